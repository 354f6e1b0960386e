// Writes a comparison's results: compare.json, report.md and the accuracy plots against steps and FLOPs.
package curex.engine.compare;

import curex.engine.distill.Method;
import curex.engine.settings.TrainingSettings;
import curex.engine.io.AtomicFiles;
import curex.engine.io.Json;
import curex.engine.io.RunLayout;
import curex.engine.report.AccuracyPlot;
import curex.engine.report.Curve;
import curex.engine.report.SeedBand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * compare.json holds the settings, the command, per method the {@link MethodStats} over seeds, and every run's
 * summary. report.md holds the tables ({@link ResultTable}), the teachers, the settings, the command and links to
 * the plots. The plots show one line per method (mean over seeds) with its min-max band.
 */
public final class ReportWriter {
    public static final String JSON = "compare.json";
    public static final String REPORT = "report.md";
    public static final String STEPS_PLOT = "accuracy_vs_steps";
    public static final String FLOPS_PLOT = "accuracy_vs_flops";

    private ReportWriter() {
    }

    /** Per method (in the plan's order) over the method runs in {@code runs}. */
    public static List<MethodStats> stats(ComparisonPlan plan, List<ComparisonResult.Outcome> runs) {
        List<MethodStats> out = new ArrayList<>();
        for (Variant v : plan.variants())
            out.add(MethodStats.of(v.id(), runs.stream().filter(r -> r.run().role().equals(v.id()))
                    .map(ComparisonResult.Outcome::summary).toList()));
        return out;
    }

    /** Writes every output into {@code dir}; returns the main Markdown table. */
    public static String write(Path dir, ComparisonPlan plan, String command, List<ComparisonResult.Outcome> runs) throws IOException {
        List<MethodStats> stats = stats(plan, runs);
        Map<String, List<Curve>> curves = curves(dir, plan, runs);
        AccuracyAtSteps at = AccuracyAtSteps.of(plan.preset().rules().accuracyAt(), curves);
        Json.writeAtomic(dir.resolve(JSON), json(plan, command, runs, stats, at));
        boolean plotted = plotIfPossible(dir, plan, curves);
        String table = ResultTable.methods(stats);
        AtomicFiles.write(dir.resolve(REPORT), report(plan, command, runs, table, at, plotted)
                .getBytes(StandardCharsets.UTF_8));
        return table;
    }

    /** Each method's learning curves, one per seed, in the plan's order. */
    private static Map<String, List<Curve>> curves(Path dir, ComparisonPlan plan, List<ComparisonResult.Outcome> runs)
            throws IOException {
        Map<String, List<Curve>> out = new LinkedHashMap<>();
        for (Variant v : plan.variants()) {
            List<Curve> list = new ArrayList<>();
            for (ComparisonResult.Outcome r : runs)
                if (r.run().role().equals(v.id())) list.add(Curve.read(new RunLayout(dir.resolve(r.run().dir())).metrics()));
            if (!list.isEmpty()) out.put(v.id(), list);
        }
        return out;
    }

    static Map<String, Object> json(ComparisonPlan plan, String command, List<ComparisonResult.Outcome> runs,
                                    List<MethodStats> stats, AccuracyAtSteps at) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("settings", plan.settings());
        m.put("command", command);
        Map<String, Object> methods = new LinkedHashMap<>();
        for (MethodStats s : stats) methods.put(s.method(), s.toMap());
        m.put("methods", methods);
        if (!at.steps().isEmpty()) m.put("accuracy_at_steps", at.toMap());
        List<Map<String, Object>> list = new ArrayList<>();
        for (ComparisonResult.Outcome r : runs) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("seed", r.run().seed());
            e.put("role", r.run().role());
            e.put("dir", r.run().dir().toString());
            e.put("summary", r.summary());
            list.add(e);
        }
        m.put("runs", list);
        return m;
    }

    /** Draws the plots; false when the runtime cannot (no java.desktop, as in a runtime trimmed for a GPU machine). */
    private static boolean plotIfPossible(Path dir, ComparisonPlan plan, Map<String, List<Curve>> curves)
            throws IOException {
        if (!canPlot()) return false;
        plot(dir, plan, curves);
        return true;
    }

    /** Whether this runtime can draw the plots (it has the java.desktop module). */
    public static boolean canPlot() {
        return ModuleLayer.boot().findModule("java.desktop").isPresent();
    }

    private static void plot(Path dir, ComparisonPlan plan, Map<String, List<Curve>> curves) throws IOException {
        List<SeedBand> bands = new ArrayList<>();
        curves.forEach((method, list) -> bands.add(SeedBand.of(method, list)));
        Preset p = plan.preset();
        int seeds = plan.seeds().size();
        String title = p.task().describe() + ", " + p.name() + ": mean and min-max over " + seeds
                + (seeds == 1 ? " seed" : " seeds");
        AccuracyPlot.write(dir.resolve(STEPS_PLOT), title, AccuracyPlot.Axis.STEPS, bands);
        AccuracyPlot.write(dir.resolve(FLOPS_PLOT), title, AccuracyPlot.Axis.FLOPS, bands);
    }

    private static String report(ComparisonPlan plan, String command, List<ComparisonResult.Outcome> runs, String table,
                                 AccuracyAtSteps at, boolean plotted) {
        Preset p = plan.preset();
        StringBuilder sb = new StringBuilder();
        int count = plan.seeds().size();
        TrainingSettings student = p.student().training();
        sb.append("# Comparison `").append(p.name()).append("`: ").append(p.task().describe()).append(", ")
                .append(count).append(count == 1 ? " seed" : " seeds").append("\n\n");
        sb.append("Target: ").append(target(p.rules(), student, runs))
                .append(" held-out accuracy within ").append(Formats.count(student.steps())).append(" student steps.")
                .append(p.rules().sharedTeacher() ? " One teacher, trained with seed " + plan.seeds().get(0)
                        + ", serves every seed." : "").append("\n\n");
        sb.append(table).append('\n');
        sb.append("To-target figures are means over the seeds that reached the target, [min..max] over those seeds: ")
                .append("they leave failed seeds out. The median columns count every seed, a seed that never reached ")
                .append("the target as more than its whole budget; a median shown as \"> x\" lands on such a seed and is ")
                .append("only a lower bound (so is a ratio shown as \"> x\"). ")
                .append("FLOPs count matrix products (2*M*N*K): the student's forward and backward passes, the teacher's ")
                .append("forward passes (for extract including the one-off standardization passes). The teacher's own ")
                .append("training is not included (see Teachers). Teacher storage: bytes of the teacher files a method ")
                .append("reads (extract and oneshot: the final model; progressive: its checkpoints and the final model, ")
                .append("the same weights counted once), over the whole budget and up to the target. ")
                .append("Wall time: training steps only.\n\n");
        if (!at.steps().isEmpty())
            sb.append("## Accuracy at fixed steps\n\nHeld-out accuracy, mean [min..max] over seeds.\n\n")
                    .append(at.markdown()).append('\n');
        sb.append("## Steps to target per seed\n\n")
                .append(ResultTable.perSeed(plan.variants().stream().map(Variant::id).toList(), plan.seeds(), runs))
                .append('\n');
        teachers(sb, runs);
        stages(sb, runs);
        sb.append("## Plots\n\n");
        if (!plotted) sb.append("Not drawn: this Java runtime has no java.desktop module (a trimmed runtime); "
                + "compare.json holds every curve.\n\n");
        else for (String base : List.of(STEPS_PLOT, FLOPS_PLOT))
            sb.append("![").append(base.replace('_', ' ')).append("](").append(base).append(".png) ([svg](")
                    .append(base).append(".svg))\n\n");
        sb.append("## Settings\n\n");
        TrainingSettings teacher = p.teacher().training();
        sb.append("- task: ").append(p.task().describe())
                .append(", fresh samples every step, batch s of seed s's stream for every method\n");
        sb.append("- teacher: ").append(describe(p.teacher())).append(teacher.eval().stopAtTarget()
                ? ", stops at its first evaluation reaching " + Formats.percent(teacher.eval().target()) : "")
                .append("; checkpoint every ").append(Formats.count(p.checkpointEvery())).append(" steps\n");
        sb.append("- student (every method): ").append(describe(p.student())).append(student.eval().stopAtTarget()
                ? ", stops at the target" : "").append('\n');
        for (Variant v : plan.variants())
            sb.append("- ").append(v.id()).append(": ").append(v.method() == Method.CE ? "cross-entropy on the ground-truth "
                    + "labels, no teacher" : v.settings().toMap().entrySet().stream()
                    .filter(e -> !e.getKey().equals("method")).map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", "))).append('\n');
        sb.append("- seeds: ").append(plan.seeds().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                .append('\n');
        sb.append("- wall times: a run's own. The runs of a seed share the final teacher's outputs on their common "
                + "batches (one-shot's serve progressive's last phase and extraction's KD phase), so a run that reused "
                + "them leaves those teacher passes out of its wall time, while its teacher FLOPs count them; runs made "
                + "side by side (`--parallel`) share the processors\n\n");
        sb.append("## Command\n\n```\n").append(command).append("\n```\n");
        return sb.toString();
    }

    /** "99.00%", or "the teacher's final accuracy minus 2 points (86.10%)" with the value(s) the runs used. */
    private static String target(ComparisonRules rules, TrainingSettings student, List<ComparisonResult.Outcome> runs) {
        if (!rules.targetFromTeacher()) return Formats.percent(student.eval().target());
        String values = runs.stream().filter(r -> !r.run().isTeacher())
                .map(r -> Formats.percent(r.run().spec().training().eval().target())).distinct()
                .collect(Collectors.joining(", "));
        return "the teacher's final accuracy minus " + String.format(java.util.Locale.ROOT, "%.4g", rules.targetBelowTeacher() * 100)
                .replaceAll("\\.?0+$", "") + " points ("
                + values + ")";
    }

    /** Every run's projection stages: where each ended, and the decision that ended it. */
    private static void stages(StringBuilder sb, List<ComparisonResult.Outcome> runs) {
        List<List<String>> rows = new ArrayList<>();
        for (ComparisonResult.Outcome r : runs) {
            if (!(r.summary().get("stages") instanceof List<?> list)) continue;
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> st) || !(st.get("end") instanceof Map<?, ?> end)) continue;
                rows.add(List.of(Long.toString(r.run().seed()), r.run().role(), String.valueOf(st.get("name")),
                        Formats.count((Number) st.get("start_step")), Formats.count((Number) st.get("steps")),
                        StageDecision.describe(end)));
            }
        }
        if (rows.isEmpty()) return;
        sb.append("## Stages\n\nEach projection stage: where it started, how long it ran, and what ended it.\n\n")
                .append(ResultTable.markdown(List.of("seed", "method", "stage", "start", "steps", "ended by"), rows))
                .append('\n');
    }

    private static void teachers(StringBuilder sb, List<ComparisonResult.Outcome> runs) {
        List<ComparisonResult.Outcome> teachers = runs.stream().filter(r -> r.run().isTeacher()).toList();
        if (teachers.isEmpty()) return;
        List<List<String>> rows = new ArrayList<>();
        for (ComparisonResult.Outcome t : teachers) {
            Map<String, Object> s = t.summary();
            Number steps = (Number) s.get("steps_to_target");
            rows.add(List.of(Long.toString(t.run().seed()),
                    steps == null ? "not reached" : Formats.count(steps),
                    Formats.count((Number) s.get("steps")), Formats.percent((Number) s.get("final_accuracy")),
                    Formats.flops((Number) s.get("train_flops")), Formats.bytes((Number) s.get("model_bytes")),
                    s.get("checkpoints") + " (" + Formats.bytes((Number) s.get("checkpoint_bytes")) + ")",
                    Formats.seconds((Number) s.get("wall_seconds"))));
        }
        sb.append("## Teachers\n\n").append(ResultTable.markdown(List.of("seed", "steps to target", "steps trained",
                "final accuracy", "training FLOPs", "model", "checkpoints", "wall s"), rows)).append('\n');
    }

    /** "MLP 40-50-2 (relu), adamw lr 0.003 (constant), batch 128, 8,000 steps, eval every 100 on 4,096 samples". */
    static String describe(RunSpec spec) {
        TrainingSettings t = spec.training();
        var o = t.optimizer();
        return spec.model().describe() + ", " + o.kind() + " lr " + o.lr() + " (" + o.schedule()
                + (o.warmup() > 0 ? ", warmup " + o.warmup() : "") + "), batch " + t.batch() + ", "
                + Formats.count(t.steps()) + " steps, eval every " + t.eval().every() + " on "
                + Formats.count(t.eval().size()) + " held-out samples";
    }
}
