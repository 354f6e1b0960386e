// Runs a comparison plan in a folder: claims the folder, makes (or skips) every run, then writes the report.
package curex.engine.compare;

import curex.engine.data.SparseParity;
import curex.engine.io.Json;
import curex.engine.io.RunLayout;
import curex.engine.metrics.Progress;
import curex.kernels.Backend;

import java.io.IOException;
import java.io.PrintWriter;
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
 * before any run. Runs go in plan order; a run finished earlier with the same settings is skipped, so an interrupted
 * comparison resumes where it stopped (an interrupted run starts again from its first step). One line is printed when
 * a run starts and when it ends, with the engine's progress display in between.
 */
public final class Comparison {
    private final ComparisonPlan plan;
    private final Path dir;
    private final Backend backend;
    private final PrintWriter out;
    private final boolean interactive;

    public Comparison(ComparisonPlan plan, Path dir, Backend backend, PrintWriter out, boolean interactive) {
        this.plan = plan;
        this.dir = dir;
        this.backend = backend;
        this.out = out;
        this.interactive = interactive;
    }

    /** Makes the missing runs and writes compare.json, report.md and the plots; {@code command} goes in the report. */
    public ComparisonResult run(String command) throws IOException {
        SettingsFile.claim(dir, plan.settings());
        SparseParity task = new SparseParity(plan.preset().n(), plan.preset().k());
        List<PlannedRun> runs = plan.runs();
        List<RunOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            PlannedRun run = runs.get(i);
            String tag = "[" + (i + 1) + "/" + runs.size() + "] " + run.label();
            Path runDir = dir.resolve(run.dir());
            Optional<Map<String, Object>> done = FinishedRun.summary(runDir, run.settings());
            if (done.isPresent()) {
                say(tag + ": finished earlier with the same settings, skipped");
                outcomes.add(new RunOutcome(run, done.get(), true));
                continue;
            }
            say(tag + ": start -> " + runDir);
            long t0 = System.nanoTime();
            try (Progress progress = Progress.create(run.label(), run.training().steps(), out, interactive)) {
                if (run.isTeacher())
                    TeacherTraining.run(backend, task, run.training(), run.checkpointEvery(), new RunLayout(runDir),
                            run.settings(), progress);
                else
                    DistillJob.run(backend, task, run.training(), run.distill(),
                            run.teacherDir() == null ? null : dir.resolve(run.teacherDir()), new RunLayout(runDir),
                            run.settings(), progress, false);
            }
            Map<String, Object> summary = Json.readMap(new RunLayout(runDir).summary());
            say(tag + ": done in " + Formats.seconds((System.nanoTime() - t0) / 1e9) + " s: " + outcome(summary));
            outcomes.add(new RunOutcome(run, summary, false));
        }
        String table = ReportWriter.write(dir, plan, command, outcomes);
        say("wrote " + dir.resolve(ReportWriter.REPORT) + ", " + dir.resolve(ReportWriter.JSON) + " and the plots "
                + ReportWriter.STEPS_PLOT + ".png/.svg, " + ReportWriter.FLOPS_PLOT + ".png/.svg");
        return new ComparisonResult(dir, outcomes, ReportWriter.stats(plan, outcomes), table);
    }

    /** "target 99.00% reached at step 700 (student 3.1e8 FLOPs); final accuracy 99.90%". */
    private static String outcome(Map<String, Object> s) {
        Number steps = (Number) s.get(MethodStats.STEPS);
        String fin = "final accuracy " + Formats.percent((Number) s.get(MethodStats.FINAL_ACCURACY)) + " after "
                + Formats.count((Number) s.get("steps")) + " steps";
        if (steps == null) return "target " + Formats.percent((Number) s.get("target_accuracy")) + " not reached; " + fin;
        Number flops = (Number) (s.containsKey(MethodStats.STUDENT_FLOPS) ? s.get(MethodStats.STUDENT_FLOPS)
                : s.get("flops_to_target"));
        return String.format(Locale.ROOT, "target %s reached at step %s (%s FLOPs); %s",
                Formats.percent((Number) s.get("target_accuracy")), Formats.count(steps), Formats.flops(flops), fin);
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
