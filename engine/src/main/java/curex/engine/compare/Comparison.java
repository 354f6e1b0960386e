// Runs a comparison plan in a folder: claims the folder, makes (or skips) every run, then writes the report.
package curex.engine.compare;

import curex.engine.checkpoint.TrainingCheckpoint;
import curex.engine.distill.Distillation;
import curex.engine.io.Json;
import curex.engine.io.RunLayout;
import curex.engine.metrics.Progress;
import curex.engine.train.StopSignal;
import curex.engine.train.TrainingRun;
import curex.kernels.Backend;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * <pre>
 * ComparisonResult r = new Comparison(new ComparisonPlan(Preset.quick(), 3, ComparisonPlan.allMethods()),
 *         Path.of("runs/demo"), backend, out, false).run("curex demo");
 * </pre>
 * The folder's compare-settings.json is checked (a folder holding another comparison is refused) and written
 * before any run. Runs go in plan order, each a {@link TrainingRun} (the teacher's with step checkpoints, a method's
 * through {@link Distillation}); a run finished earlier with the same settings is skipped, and an interrupted one
 * (same settings, a checkpoint that reads back) continues from its newest checkpoint, so an interrupted comparison
 * resumes where it stopped. One line is printed when a run starts and when it ends, with the engine's progress
 * display in between.
 */
public final class Comparison {
    private final ComparisonPlan plan;
    private final Path dir;
    private final Backend backend;
    private final PrintWriter out;
    private final boolean interactive;
    private StopSignal stop = new StopSignal();

    public Comparison(ComparisonPlan plan, Path dir, Backend backend, PrintWriter out, boolean interactive) {
        this.plan = plan;
        this.dir = dir;
        this.backend = backend;
        this.out = out;
        this.interactive = interactive;
    }

    /** Stop the run in progress after its current step (it saves itself) and start no other. */
    public Comparison stopOn(StopSignal signal) {
        this.stop = signal;
        return this;
    }

    /** Makes the missing runs and writes compare.json, report.md and the plots; {@code command} goes in the report. */
    public ComparisonResult run(String command) throws IOException {
        SettingsFile.claim(dir, plan.settings());
        List<PlannedRun> runs = plan.runs();
        List<ComparisonResult.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            PlannedRun run = withTarget(runs.get(i), outcomes);
            String tag = "[" + (i + 1) + "/" + runs.size() + "] " + run.label();
            Path runDir = dir.resolve(run.dir());
            Optional<Map<String, Object>> done = run.finished(dir);
            if (done.isPresent()) {
                say(tag + ": finished earlier with the same settings, skipped");
                outcomes.add(new ComparisonResult.Outcome(run, done.get(), true));
                continue;
            }
            Path resume = resumable(run, runDir);
            say(tag + (resume == null ? ": start -> " + runDir : ": continuing from " + resume));
            long t0 = System.nanoTime();
            try (Progress progress = Progress.create(run.label(), run.spec().training().steps(), out, interactive)) {
                trainingRun(run, runDir).resumeFrom(resume).progress(progress, false).stopOn(stop).run();
            }
            if (stop.requested()) {
                say(tag + ": interrupted; its checkpoint is saved and the same command continues the comparison");
                return new ComparisonResult(dir, outcomes, List.of(), "", true);
            }
            Map<String, Object> summary = Json.readMap(new RunLayout(runDir).summary());
            say(tag + ": done in " + Formats.seconds((System.nanoTime() - t0) / 1e9) + " s: " + outcome(summary));
            outcomes.add(new ComparisonResult.Outcome(run, summary, false));
        }
        String table = ReportWriter.write(dir, plan, command, outcomes);
        say("wrote " + dir.resolve(ReportWriter.REPORT) + ", " + dir.resolve(ReportWriter.JSON) + (ReportWriter.canPlot()
                ? " and the plots " + ReportWriter.STEPS_PLOT + ".png/.svg, " + ReportWriter.FLOPS_PLOT + ".png/.svg"
                : " (no plots: this Java runtime has no java.desktop module)"));
        return new ComparisonResult(dir, outcomes, ReportWriter.stats(plan, outcomes), table, false);
    }

    /**
     * {@code run} with its target set from its teacher's final accuracy, when the rules say so (the teacher ran
     * earlier in plan order: the shared one, or its seed's).
     */
    private PlannedRun withTarget(PlannedRun run, List<ComparisonResult.Outcome> done) {
        ComparisonRules rules = plan.preset().rules();
        if (run.isTeacher() || !rules.targetFromTeacher()) return run;
        ComparisonResult.Outcome teacher = done.stream().filter(o -> o.run().isTeacher()
                && (rules.sharedTeacher() || o.run().seed() == run.seed())).findFirst().orElseThrow(() ->
                new IllegalStateException(run.label() + ": its target comes from a teacher that has not run"));
        if (!(teacher.summary().get(MethodStats.FINAL_ACCURACY) instanceof Number acc))
            throw new IllegalStateException(teacher.run().dir() + "/summary.json has no final accuracy");
        return run.withStudentTarget(rules.studentTarget(acc.doubleValue()));
    }

    /** The checkpoint an interrupted run with the same settings continues from, or null to start it afresh. */
    private Path resumable(PlannedRun run, Path runDir) throws IOException {
        RunLayout layout = new RunLayout(runDir);
        if (!Files.isRegularFile(layout.config())) return null;
        Map<String, Object> config;
        try {
            config = Json.readMap(layout.config());
        } catch (IOException e) {
            return null;
        }
        if (!SettingsDiff.same(config, run.settings())) return null;
        return TrainingCheckpoint.newestUsable(layout, problem -> say(run.label() + ": " + problem
                + "; trying the checkpoint before it"));
    }

    private TrainingRun trainingRun(PlannedRun run, Path runDir) {
        Preset p = plan.preset();
        TrainingRun r = new TrainingRun(backend, p.task(), run.spec().model(), run.spec().training())
                .output(new RunLayout(runDir)).settings(run.settings());
        if (run.isTeacher()) return r.role(PlannedRun.TEACHER).checkpointEvery(run.checkpointEvery());
        return r.method(new Distillation(run.distill(), run.teacherDir() == null ? null : dir.resolve(run.teacherDir())));
    }

    /** "target 99.00% reached at step 700 (3.1e8 FLOPs); final accuracy 99.90%". */
    private static String outcome(Map<String, Object> s) {
        Number steps = (Number) s.get(MethodStats.STEPS);
        String fin = "final accuracy " + Formats.percent((Number) s.get(MethodStats.FINAL_ACCURACY)) + " after "
                + Formats.count((Number) s.get("steps")) + " steps";
        if (steps == null) return "target " + Formats.percent((Number) s.get("target_accuracy")) + " not reached; " + fin;
        return String.format(Locale.ROOT, "target %s reached at step %s (%s FLOPs); %s",
                Formats.percent((Number) s.get("target_accuracy")), Formats.count(steps),
                Formats.flops((Number) s.get(MethodStats.STUDENT_FLOPS)), fin);
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
