// `curex compare`: trains a teacher per seed and runs the chosen methods against it, then writes the report.
package curex.cli;

import curex.engine.autograd.Activation;
import curex.engine.compare.ComparisonPlan;
import curex.engine.compare.SweepGrid;
import curex.engine.compare.SweepSummary;
import curex.engine.io.AtomicFiles;
import curex.engine.io.Json;
import java.nio.charset.StandardCharsets;
import curex.engine.compare.Preset;
import curex.engine.compare.RunSpec;
import curex.engine.compare.SettingsFile;
import curex.engine.data.Task;
import curex.engine.distill.Method;
import curex.engine.settings.TrainingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Per seed s: {@code <out>/seed-<s>/teacher} (trained with checkpoints), then {@code <out>/seed-<s>/<method>} for each
 * method with identical student, optimizer, data order and budget. Writes {@code compare-settings.json} first,
 * then {@code compare.json}, {@code report.md}, {@code accuracy_vs_steps.png/.svg} and
 * {@code accuracy_vs_flops.png/.svg}. Runs finished earlier with the same settings are skipped; interrupted ones
 * continue from their newest checkpoint.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare ce, oneshot, progressive and extract on a preset over several seeds: steps, FLOPs and "
                + "teacher storage to reach the target accuracy, with a Markdown report and plots.",
                "The task, model and training options replace the preset's (the optimizer and batch options apply to "
                        + "the teachers too); the rest stays the preset's.",
                "Re-running with the same --out skips the runs already finished and continues an interrupted one; a "
                        + "folder holding a comparison with other settings (other seeds or methods included), or "
                        + "anything else, is refused."})
public final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = Defaults.PRESET,
            description = "Sizes and budgets: quick (a CPU, minutes; teachers trained 6,000 steps), quick-early "
                    + "(quick with teachers stopped at their first 99%% evaluation), paper (the published sizes; a GPU "
                    + "or a long CPU run), tf-parity-quick (transformers on parity), pcfg-quick (transformers on PCFG "
                    + "masked LM), pcfg-paper (its published sizes), text-quick (masked LM on a text corpus given "
                    + "with --task text --corpus, on a CPU) or text-paper (BERT-base sizes, for a GPU) "
                    + "(default: ${DEFAULT-VALUE}).")
    String preset;

    @Mixin
    SeedListOption seeds;

    @Option(names = "--methods", paramLabel = "M[,M...]", defaultValue = Defaults.METHODS,
            description = "Methods to run, comma-separated, from ce, oneshot, progressive, extract "
                    + "(default: ${DEFAULT-VALUE}).")
    String methods;

    @Option(names = "--sweep", description = "Instead of the methods, run extract under a grid of settings (stage "
            + "lengths from --stage-lengths, on every block or the last only, with and without the adapter) and the "
            + "automatic stage length; write sweep.md and sweep.json with the best fixed setting and auto against it. "
            + "Each arm ends at the target unless --no-stop-at-target is given.")
    boolean sweep;

    @Option(names = "--stage-lengths", paramLabel = "L[,L...]", converter = Converters.Widths.class,
            description = "With --sweep: the fixed stage lengths to try (default: 50,100,300,1000).")
    Converters.WidthList stageLengths;

    @Mixin
    TaskOptions task;

    @Option(names = "--teacher-hidden", paramLabel = "W[,W...]", converter = Converters.Widths.class,
            description = "Teacher hidden widths (default: the preset's).")
    Converters.WidthList teacherHidden;

    @Option(names = "--student-hidden", paramLabel = "W[,W...]", converter = Converters.Widths.class,
            description = "Student hidden widths (e.g. 100 for the paper's narrow student) (default: the preset's).")
    Converters.WidthList studentHidden;

    @Option(names = "--teacher-steps", paramLabel = "STEPS", converter = Converters.PositiveLong.class,
            description = "Teacher training steps (default: the preset's).")
    Long teacherSteps;

    @Mixin
    TrainingOptions student;

    @Option(names = "--out", paramLabel = "DIR", description = "Comparison folder (default: runs/compare-<preset>).")
    Path out;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    ParallelOption parallel;

    /** The validated plan; unknown presets or methods are usage errors listing the valid ones. */
    ComparisonPlan plan() {
        Preset p = Preset.isText(preset) ? textPreset() : namedPreset();
        List<Method> ms;
        try {
            ms = ComparisonPlan.parseMethods(Arrays.stream(methods.split(",", -1)).map(String::strip).toList());
        } catch (IllegalArgumentException e) {
            throw usage("--methods: " + e.getMessage());
        }
        boolean methodsGiven = spec.commandLine().getParseResult().hasMatchedOption("--methods");
        if (sweep && methodsGiven) throw usage("--sweep runs extract under many settings; it takes no --methods");
        if (!sweep && stageLengths != null) throw usage("--stage-lengths: applies to --sweep only");
        p = withOverrides(p);
        backendOptions.checkMemory(p.task(), p.teacher().model(), p.teacher().training());
        backendOptions.checkMemory(p.task(), p.student().model(), p.student().training());
        try {
            if (!sweep) return new ComparisonPlan(p, seeds.values(), ms);
            return ComparisonPlan.ofVariants(p, seeds.values(), SweepGrid.of(p, lengths()));
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            if (m.startsWith("methods listed twice"))   // arms named twice: a method, or a sweep's stage length
                throw usage((sweep ? "--stage-lengths: a length listed twice gives arms " : "--methods: ") + m);
            throw usage(m);
        }
    }

    /** A preset that is not a text one; the text options are refused. */
    private Preset namedPreset() {
        Preset p;
        try {
            p = Preset.named(preset);
        } catch (IllegalArgumentException e) {
            throw usage("--preset: " + e.getMessage());
        }
        String text = task.textOptionGiven();
        if (text != null)
            throw usage(text + ": applies to the text presets (" + String.join(", ", Preset.names().stream()
                    .filter(Preset::isText).toList()) + "), not " + p.name());
        return p;
    }

    /** A text preset on the task prepared from --corpus (the preset's sequence length and vocabulary unless given). */
    private Preset textPreset() {
        String name = preset.strip();
        if (task.corpus == null)
            throw usage("--preset " + name + ": a text preset runs on a corpus; add --task text --corpus PATH");
        if (task.kindGiven() && task.kind != TaskOptions.Kind.TEXT)
            throw usage("--task: preset " + name + " runs on text, not " + task.kind);
        if (task.n != null || task.k != null || task.grammar != null || task.roots != null)
            throw usage("--n/--k/--grammar/--roots: preset " + name + " runs on the text corpus given with --corpus");
        try {
            return Preset.named(name, task.text(Preset.textSeqLen(name), Preset.textVocabSize(name)));
        } catch (IllegalArgumentException e) {
            throw usage("--preset: " + e.getMessage());
        }
    }

    /** The preset with the options given replacing its settings. */
    private Preset withOverrides(Preset p) {
        TaskOptions.Kind presetKind = TaskOptions.Kind.of(p.task());
        if (task.kindGiven() && task.kind != presetKind)
            throw usage("--task: preset " + p.name() + " runs on " + presetKind + ", not " + task.kind);
        if (presetKind != TaskOptions.Kind.PARITY) {
            if (task.n != null || task.k != null || task.grammar != null || task.roots != null || teacherHidden != null
                    || studentHidden != null)
                throw usage("--n/--k/--grammar/--roots/--teacher-hidden/--student-hidden: preset " + p.name()
                        + " fixes its task and its transformers");
        } else if (task.n != null || task.k != null) {
            Task t = task.task(null, null);
            try {
                p = p.withTask(t);
            } catch (IllegalArgumentException e) {
                throw usage("--n/--k: " + e.getMessage());
            }
        }
        try {
            if (teacherHidden != null) p = p.withTeacherHidden(teacherHidden.values().clone());
            if (studentHidden != null) p = p.withStudentHidden(studentHidden.values().clone());
        } catch (IllegalArgumentException e) {
            throw usage("--teacher-hidden/--student-hidden: " + e.getMessage());
        }
        TrainingSettings studentTraining = student.applyTo(p.student().training(), 0), teacherTraining;
        if (sweep && student.stopAtTarget == null)   // a sweep ranks FLOPs to target: what follows it is not needed
            studentTraining = studentTraining.toBuilder().eval(studentTraining.eval().stoppingAtTarget(true)).build();
        var t = p.teacher().training();
        long teacherBudget = teacherSteps != null ? teacherSteps : t.steps();
        String noRoom = TrainingOptions.warmupLeavesNothing("--teacher-steps", teacherBudget,
                student.optimizer.warmup != null ? student.optimizer.warmup : t.optimizer().warmup(), "the teacher's ");
        if (noRoom != null) throw usage(noRoom);   // the preset's warmup past a shorter --teacher-steps, say
        teacherTraining = t.toBuilder().batch(studentTraining.batch()).steps(teacherBudget)
                .optimizer(student.optimizer.applyTo(t.optimizer())).build();
        if (student.target != null && p.rules().targetFromTeacher())   // a --target given stands for the students
            p = p.withRules(p.rules().withOwnTarget());
        try {
            return p.withTeacher(new RunSpec(p.teacher().model(), teacherTraining))
                    .withStudent(new RunSpec(p.student().model(), studentTraining));
        } catch (IllegalArgumentException e) {
            throw usage("--steps: " + e.getMessage());
        }
    }

    /**
     * The training options shared with `train` and `distill` have no default here, the preset decides: their help says
     * "the preset's" where the other commands show their default (options rebuilt in place, order kept).
     */
    static void describePresetDefaults(CommandSpec spec) {
        List<OptionSpec> all = new ArrayList<>(spec.options());
        for (OptionSpec o : all) spec.remove(o);
        for (OptionSpec o : all) {
            String[] d = o.description();       // already interpolated: a null default reads "default: null"
            boolean unset = o.defaultValue() == null && Arrays.stream(d).anyMatch(x -> x.contains("(default: null)"));
            spec.addOption(unset ? o.toBuilder().description(Arrays.stream(d)
                    .map(x -> x.replace("(default: null)", "(default: the preset's)")).toArray(String[]::new)).build() : o);
        }
    }

    /** The sweep's stage lengths: --stage-lengths, or the grid's defaults. */
    private List<Long> lengths() {
        return stageLengths == null ? SweepGrid.DEFAULT_LENGTHS
                : Arrays.stream(stageLengths.values()).mapToObj(v -> (long) v).toList();
    }

    Path dir() {
        if (out != null && out.toString().isBlank()) throw usage("--out: the folder name is empty");
        Path dir = out != null ? out : Path.of("runs", "compare-" + preset.strip());
        String denied = Main.unwritable(dir);
        if (denied != null) throw usage("--out: " + denied);
        return dir;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws Exception {
        ComparisonPlan plan = plan();
        Path dir = dir();
        PrintWriter w = spec.commandLine().getOut();
        int lanes = parallel.lanes(backendOptions, plan);
        int code = ComparisonLauncher.run(plan, dir, backendOptions, lanes, spec.commandLine(), r -> {
            if (!sweep) return;
            SweepSummary s = SweepSummary.of(r.stats(), SweepGrid.AUTO);
            SweepSummary adapted = SweepSummary.of(r.stats(), SweepGrid.AUTO_ADAPTER);
            List<String> leftOut = SweepGrid.leftOut(plan.preset(), lengths());
            String text = s.markdown() + adapted.verdict() + (leftOut.isEmpty() ? ""
                    : "\nLeft out: " + String.join("; ", leftOut) + ".\n");
            AtomicFiles.write(dir.resolve("sweep.md"), ("# Sweep of extraction settings on `" + plan.preset().name()
                    + "`: " + plan.preset().task().describe() + ", " + plan.seeds().size() + " seed(s)\n\n" + text)
                    .getBytes(StandardCharsets.UTF_8));
            Json.writeAtomic(dir.resolve("sweep.json"), java.util.Map.of(SweepGrid.AUTO, s.toMap(),
                    SweepGrid.AUTO_ADAPTER, adapted.toMap()));
            w.println(text);
            w.println("sweep: " + dir.resolve("sweep.md"));
        });
        if (code != Main.OK) return code;
        w.println("report: " + dir.resolve("report.md") + " (settings in " + dir.resolve(SettingsFile.NAME) + ")");
        w.flush();
        return Main.OK;
    }
}
