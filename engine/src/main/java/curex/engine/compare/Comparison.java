// Runs a comparison plan in a folder: claims the folder, makes (or skips) every run, then writes the report.
package curex.engine.compare;

import curex.engine.checkpoint.TrainingCheckpoint;
import curex.engine.distill.Distillation;
import curex.engine.distill.TeacherOutputs;
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
import java.util.HashMap;
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
 * before any run. Each run is a {@link TrainingRun} (the teacher's with step checkpoints, a method's through
 * {@link Distillation}); a run finished earlier with the same settings is skipped, and an interrupted one (same
 * settings, a checkpoint that reads back) continues from its newest checkpoint, so an interrupted comparison resumes
 * where it stopped. With one backend the runs go in plan order; with several ("lanes") as many runs go at a time, a
 * student once its teacher has finished ({@link RunQueue}). Every run is a pure function of its settings, so the
 * lanes change the wall times only. One line is printed when a run starts and when it ends, with the engine's
 * progress display in between.
 */
public final class Comparison {
    private final ComparisonPlan plan;
    private final Path dir;
    private final List<Backend> lanes;
    private final Backend whole;             // for a run that goes alone among several lanes; null: its lane's
    private final PrintWriter out;
    private final boolean interactive;
    private StopSignal stop = new StopSignal();
    private final Map<Long, TeacherOutputs> memos = new HashMap<>();          // per seed, while its readers run
    private final Map<Long, Integer> readersLeft = new HashMap<>();

    /** Runs one at a time on {@code backend}. */
    public Comparison(ComparisonPlan plan, Path dir, Backend backend, PrintWriter out, boolean interactive) {
        this(plan, dir, List.of(backend), null, out, interactive);
    }

    /**
     * Makes as many runs at a time as there are {@code lanes}, each on its own backend (a CPU backend with a share of
     * the threads); with more than one, progress is printed as plain lines, never redrawn. A run that can only go
     * alone (a shared teacher every other run waits on, the last run) goes on {@code whole} (a backend with every
     * lane's threads) when it is not null.
     */
    public Comparison(ComparisonPlan plan, Path dir, List<Backend> lanes, Backend whole, PrintWriter out,
                      boolean interactive) {
        if (lanes.isEmpty()) throw new IllegalArgumentException("a comparison needs at least one backend to run on");
        this.plan = plan;
        this.dir = dir;
        this.lanes = List.copyOf(lanes);
        this.whole = lanes.size() > 1 ? whole : null;
        this.out = out;
        this.interactive = interactive && lanes.size() == 1;
    }

    /** Stop the runs in progress after their current step (they save themselves) and start no other. */
    public Comparison stopOn(StopSignal signal) {
        this.stop = signal;
        return this;
    }

    /** Makes the missing runs and writes compare.json, report.md and the plots; {@code command} goes in the report. */
    public ComparisonResult run(String command) throws IOException {
        SettingsFile.claim(dir, plan.settings());
        RunQueue queue = new RunQueue(plan.runs(), plan.preset().rules().targetFromTeacher(), lanes.size() > 1);
        for (PlannedRun r : queue.runs()) if (r.teacherDir() != null) readersLeft.merge(r.seed(), 1, Integer::sum);
        Throwable failure = lanes.size() == 1 ? lane(queue, lanes.getFirst()) : inParallel(queue);
        if (failure instanceof IOException e) throw e;
        if (failure instanceof RuntimeException e) throw e;
        if (failure instanceof Error e) throw e;
        List<ComparisonResult.Outcome> outcomes = queue.outcomes();
        if (stop.requested()) return new ComparisonResult(dir, outcomes, List.of(), "", true);
        String table = ReportWriter.write(dir, plan, command, outcomes);
        say("wrote " + dir.resolve(ReportWriter.REPORT) + ", " + dir.resolve(ReportWriter.JSON) + (ReportWriter.canPlot()
                ? " and the plots " + ReportWriter.STEPS_PLOT + ".png/.svg, " + ReportWriter.FLOPS_PLOT + ".png/.svg"
                : " (no plots: this Java runtime has no java.desktop module)"));
        return new ComparisonResult(dir, outcomes, ReportWriter.stats(plan, outcomes), table, false);
    }

    /** One thread per lane; the first failure stops the other lanes' runs (they save themselves) and is returned. */
    private Throwable inParallel(RunQueue queue) {
        Throwable[] failures = new Throwable[lanes.size()];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < lanes.size(); i++) {
            int lane = i;
            threads.add(Thread.ofPlatform().name("curex-lane-" + lane).start(() -> failures[lane] = lane(queue, lanes.get(lane))));
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    stop.request();
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        Throwable first = null;
        for (Throwable f : failures) {
            if (f == null) continue;
            if (first == null) first = f;
            else if (f != first) first.addSuppressed(f);
        }
        return first;
    }

    /** Makes runs from the queue on {@code backend} until none is left or one fails; returns the failure, if any. */
    private Throwable lane(RunQueue queue, Backend backend) {
        while (true) {
            Optional<RunQueue.Pick> next;
            try {
                next = queue.next();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop.request();
                return null;
            }
            if (next.isEmpty()) return null;
            int i = next.get().index();
            boolean alone = next.get().alone() && whole != null;
            ComparisonResult.Outcome outcome;
            try {
                outcome = make(queue, i, alone ? whole : backend, alone);
            } catch (IOException | RuntimeException | Error e) {
                stop.request();
                queue.abandon(i);
                return e;
            }
            if (outcome == null) {
                queue.abandon(i);
                return null;
            }
            released(queue.runs().get(i));
            queue.done(i, outcome);
        }
    }

    /** Makes (or skips) run i of the queue ({@code alone}: on the whole backend); null when it was stopped. */
    private ComparisonResult.Outcome make(RunQueue queue, int i, Backend backend, boolean alone) throws IOException {
        List<PlannedRun> runs = queue.runs();
        PlannedRun run = withTarget(runs.get(i), queue.teacherOutcome(i));
        String tag = "[" + (i + 1) + "/" + runs.size() + "] " + run.label();
        Path runDir = dir.resolve(run.dir());
        Optional<Map<String, Object>> done = run.finished(dir);
        if (done.isPresent()) {
            say(tag + ": finished earlier with the same settings, skipped");
            return new ComparisonResult.Outcome(run, done.get(), true);
        }
        if (stop.requested()) return null;
        Path resume = resumable(run, runDir);
        say(tag + (resume == null ? ": start" : ": continuing from " + resume) + (alone
                ? " (alone, on every lane's threads)" : "") + (resume == null ? " -> " + runDir : ""));
        long t0 = System.nanoTime();
        try (Progress progress = Progress.create(run.label(), run.spec().training().steps(), out, interactive)) {
            trainingRun(run, runDir, backend).resumeFrom(resume).progress(progress, false).stopOn(stop).run();
        }
        if (stop.requested()) {
            say(tag + ": interrupted; its checkpoint is saved and the same command continues the comparison");
            return null;
        }
        Map<String, Object> summary = Json.readMap(new RunLayout(runDir).summary());
        say(tag + ": done in " + Formats.seconds((System.nanoTime() - t0) / 1e9) + " s: " + outcome(summary));
        return new ComparisonResult.Outcome(run, summary, false);
    }

    /**
     * {@code run} with its target set from its teacher's final accuracy, when the rules say so ({@code teacher}: the
     * outcome of the teacher it depends on, finished before it).
     */
    private PlannedRun withTarget(PlannedRun run, ComparisonResult.Outcome teacher) {
        ComparisonRules rules = plan.preset().rules();
        if (run.isTeacher() || !rules.targetFromTeacher()) return run;
        if (teacher == null)
            throw new IllegalStateException(run.label() + ": its target comes from a teacher that has not run");
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

    /**
     * The memo of teacher targets that the runs of {@code seed} share: they read the same teacher on the same batches
     * (one-shot, progressive's last phase and extraction's KD phase ask for the same final-teacher logits).
     */
    private synchronized TeacherOutputs memo(long seed) {
        return memos.computeIfAbsent(seed, s -> TeacherOutputs.sized(plan.seeds().size()));
    }

    /** Drops a seed's memo once its last run that reads a teacher has ended. */
    private synchronized void released(PlannedRun run) {
        if (run.teacherDir() != null && readersLeft.merge(run.seed(), -1, Integer::sum) == 0) memos.remove(run.seed());
    }

    private TrainingRun trainingRun(PlannedRun run, Path runDir, Backend backend) {
        Preset p = plan.preset();
        TrainingRun r = new TrainingRun(backend, p.task(), run.spec().model(), run.spec().training())
                .output(new RunLayout(runDir)).settings(run.settings());
        if (run.isTeacher()) return r.role(PlannedRun.TEACHER).checkpointEvery(run.checkpointEvery());
        if (run.teacherDir() == null) return r.method(new Distillation(run.distill(), null));
        return r.method(new Distillation(run.distill(), dir.resolve(run.teacherDir())).sharing(memo(run.seed())));
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
