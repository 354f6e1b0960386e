// `curex compare`: trains a teacher per seed and runs the chosen methods against it, then writes the report.
package curex.cli;

import curex.engine.compare.ComparisonPlan;
import curex.engine.compare.ComparisonResult;
import curex.engine.compare.Preset;
import curex.engine.compare.SettingsFile;
import curex.engine.distill.Method;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Per seed s: {@code <out>/seed-<s>/teacher} (trained with checkpoints), then {@code <out>/seed-<s>/<method>} for each
 * method with identical student, optimizer, data order and budget. Writes {@code compare-settings.json} first,
 * then {@code compare.json}, {@code report.md}, {@code accuracy_vs_steps.png/.svg} and
 * {@code accuracy_vs_flops.png/.svg}. Runs finished earlier with the same settings are skipped.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare ce, oneshot, progressive and extract on a preset over several seeds: steps, FLOPs and "
                + "teacher storage to reach the target accuracy, with a Markdown report and plots.",
                "Re-running with the same --out skips the runs already finished (an interrupted comparison resumes); "
                        + "a folder holding a comparison with other settings is refused."})
public final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--task", defaultValue = "parity", description = "Task: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Choices.Task task;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = Defaults.PRESET,
            description = "Sizes and budgets: quick (a CPU, minutes; teachers trained 6,000 steps), quick-early "
                    + "(quick with teachers stopped at their first 99% evaluation) or paper (the published sizes; a GPU or a long CPU run) "
                    + "(default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = Defaults.SEEDS, converter = Converters.PositiveInt.class,
            description = "Seeds 0..N-1, each with its own teacher (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--methods", paramLabel = "M[,M...]", defaultValue = Defaults.METHODS,
            description = "Methods to run, comma-separated, from ce, oneshot, progressive, extract "
                    + "(default: ${DEFAULT-VALUE}).")
    String methods;

    @Option(names = "--student-hidden", paramLabel = "W[,W...]", converter = Converters.Widths.class,
            description = "Student hidden widths instead of the preset's (e.g. 100 for the paper's narrow student) "
                    + "(default: the preset's).")
    Converters.WidthList studentHidden;

    @Option(names = "--out", paramLabel = "DIR", description = "Comparison folder (default: runs/compare-<preset>).")
    Path out;

    @Mixin
    BackendOptions backendOptions;

    /** The validated plan; unknown presets or methods are usage errors listing the valid ones. */
    ComparisonPlan plan() {
        Preset p;
        List<Method> ms;
        try {
            p = Preset.named(preset);
        } catch (IllegalArgumentException e) {
            throw usage("--preset: " + e.getMessage());
        }
        try {
            ms = ComparisonPlan.parseMethods(Arrays.stream(methods.split(",", -1)).map(String::strip).toList());
            if (studentHidden != null) p = p.withStudentHidden(studentHidden.values().clone());
            return new ComparisonPlan(p, seeds, ms);
        } catch (IllegalArgumentException e) {
            throw usage("--methods: " + e.getMessage());
        }
    }

    Path dir() {
        return out != null ? out : Path.of("runs", "compare-" + preset.strip());
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws Exception {
        ComparisonPlan plan = plan();
        PrintWriter w = spec.commandLine().getOut();
        ComparisonResult r = ComparisonLauncher.run(plan, dir(), backendOptions, w,
                spec.commandLine().getParseResult().originalArgs());
        w.println();
        w.print(r.table());
        w.println();
        w.println("report: " + dir().resolve("report.md") + " (settings in " + dir().resolve(SettingsFile.NAME) + ")");
        w.flush();
        return Main.OK;
    }
}
