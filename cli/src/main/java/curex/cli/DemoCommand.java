// `curex demo`: a preset's comparison (all four methods, teachers included) with its table printed at the end.
package curex.cli;

import curex.engine.compare.ComparisonPlan;
import curex.engine.compare.Preset;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Equivalent to {@code curex compare --preset <preset> --out <out> --seeds <seeds>}, then prints the Markdown table. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the quick comparison (ce, oneshot, progressive, extract on parity(40, 6), teachers "
                + "included; minutes on a CPU) and print its table.",
                "Re-running resumes or reuses the finished runs in --out; --preset picks another preset."})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Comparison folder (default: " + Defaults.DEMO_OUT + ", or " + Defaults.DEMO_OUT
                    + "-<preset> for another preset).")
    Path out;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = Defaults.PRESET,
            description = "The comparison to run: quick, quick-early, paper, tf-parity-quick, pcfg-quick or pcfg-paper "
                    + "(default: ${DEFAULT-VALUE}).")
    String preset;

    @Mixin
    SeedListOption seeds;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    ParallelOption parallel;

    @Override
    public Integer call() throws Exception {
        Preset p;
        if (Preset.isText(preset))
            throw new CommandLine.ParameterException(spec.commandLine(), "--preset: " + preset.strip()
                    + " runs on a text corpus, which demo does not take; run curex compare --preset " + preset.strip()
                    + " --task text --corpus PATH");
        try {
            p = Preset.named(preset);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--preset: " + e.getMessage());
        }
        ComparisonPlan plan = new ComparisonPlan(p, seeds.values(), ComparisonPlan.allMethods());
        Path out = this.out != null ? this.out
                : Path.of(Defaults.DEMO_OUT + (p.name().equals(Defaults.PRESET) ? "" : "-" + p.name()));
        PrintWriter w = spec.commandLine().getOut();
        int code = ComparisonLauncher.run(plan, out, backendOptions, parallel.lanes(backendOptions, plan),
                spec.commandLine());
        if (code != Main.OK) return code;
        w.println("report with plots: " + out.resolve("report.md"));
        w.flush();
        return Main.OK;
    }
}
