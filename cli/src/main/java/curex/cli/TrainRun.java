// Runs the engine's training loop for `curex train` and writes the run's outputs.
package curex.cli;

import curex.engine.autograd.Activation;
import curex.engine.checkpoint.MlpCheckpoint;
import curex.engine.checkpoint.TrainingCheckpoint;
import curex.engine.data.LabeledBatch;
import curex.engine.data.SparseParity;
import curex.engine.distill.StudentOptim;
import curex.engine.io.RunLayout;
import curex.engine.metrics.MetricsLog;
import curex.engine.metrics.Progress;
import curex.engine.metrics.RunRecorder;
import curex.engine.metrics.RunSummary;
import curex.engine.nn.Mlp;
import curex.engine.nn.MlpConfig;
import curex.engine.optim.Optimizer;
import curex.engine.tensor.ExecContext;
import curex.engine.train.ClassificationObjective;
import curex.engine.train.ClassifierAccuracy;
import curex.engine.train.TrainState;
import curex.engine.train.TrainStep;
import curex.engine.train.Trainer;
import curex.kernels.Backend;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The bridge from validated {@link TrainSettings} to the engine's {@link Trainer}. */
final class TrainRun {
    /** Rows per held-out forward pass. */

    private TrainRun() {
    }

    /** Trains as {@code s} says, writing model, checkpoints, metrics and summary under {@code layout}. */
    static int run(TrainSettings s, RunLayout layout, PrintWriter out, boolean interactive) throws IOException {
        SparseParity task = new SparseParity(s.n(), s.k());
        MlpConfig config = new MlpConfig(s.widths(), Activation.parse(s.activation().name()));
        Map<String, String> meta = metadata(s);
        long startNanos = System.nanoTime();
        try (Backend backend = Backends.create(s.backend(), s.threads());
             Mlp model = Mlp.create(backend, config, s.seed());
             Optimizer optimizer = StudentOptim.optimizer(s.optimization(), model.parameters());
             TrainStep step = new TrainStep(new ExecContext(backend), optimizer, (float) s.clip());
             ClassificationObjective objective = new ClassificationObjective(backend, model,
                     (st, x, y) -> task.batch(s.seed(), st, s.batch(), x, y), s.batch(), s.n());
             ClassifierAccuracy evaluator = heldOut(backend, model, task, s)) {
            TrainState start = TrainState.start();
            double priorBest = Double.NaN;
            if (s.resumeFrom() != null) {
                start = TrainingCheckpoint.load(s.resumeFrom(), model, optimizer);
                MetricsLog.keepUpTo(layout.metrics(), start.step());
                priorBest = bestRecorded(layout);
                out.println("resuming from " + s.resumeFrom() + " at step " + start.step());
            }
            out.println("training " + config + " on parity(n=" + s.n() + ", k=" + s.k() + ") with " + s.optimizer()
                    + ", " + backend.name() + " backend, " + backend.threads() + " thread(s) -> " + layout.dir());
            out.flush();
            TrainState end;
            RunRecorder recorder;
            try (MetricsLog metrics = MetricsLog.open(layout.metrics(), s.resumeFrom() != null);
                 Progress progress = Progress.create("train", s.steps(), out, interactive)) {
                recorder = new RunRecorder(metrics, progress,
                        Math.max(1, Math.min(100, s.evalEvery() > 0 ? s.evalEvery() / 10 : s.steps() / 100)),
                        st -> TrainingCheckpoint.save(layout.checkpoint(st.step()), model, optimizer, st, meta),
                        s.checkpointEvery(), true, Double.NaN);
                recorder.priorBest(priorBest);
                Trainer trainer = new Trainer(step, objective, StudentOptim.schedule(s.optimization()), s.steps())
                        .evaluateEvery(s.evalEvery() > 0 ? s.evalEvery() : s.steps(), evaluator)
                        .evaluateAtStart(s.resumeFrom() == null)
                        .listener(recorder);
                end = trainer.run(start);
            }
            MlpCheckpoint.save(layout.model(), model, meta);
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            RunSummary summary = summary(s, end, recorder, elapsed);
            summary.write(layout.summary());
            out.printf(Locale.ROOT, "done: %d steps, held-out accuracy %.2f%% (best %.2f%%), %.1f s, model %s%n",
                    end.step(), 100 * recorder.lastAccuracy(), 100 * recorder.bestAccuracy(), elapsed, layout.model());
            out.flush();
            return Main.OK;
        }
    }

    /** Task and run facts stored with every checkpoint, so `curex eval` knows the task. */
    static Map<String, String> metadata(TrainSettings s) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(EvalCommand.KEY_TASK, s.task().name());
        m.put(EvalCommand.KEY_N, Integer.toString(s.n()));
        m.put(EvalCommand.KEY_K, Integer.toString(s.k()));
        m.put(EvalCommand.KEY_SEED, Long.toString(s.seed()));
        m.put("curex.version", VersionProvider.version());
        return m;
    }

    private static ClassifierAccuracy heldOut(Backend backend, Mlp model, SparseParity task, TrainSettings s) {
        LabeledBatch held = task.heldOut(s.seed(), s.evalSize());
        return ClassifierAccuracy.onHeldOut(backend, model, held);
    }

    /** Best accuracy among the eval records already in metrics.jsonl (a resumed run), NaN if none. */
    private static double bestRecorded(RunLayout layout) throws IOException {
        if (!java.nio.file.Files.exists(layout.metrics())) return Double.NaN;
        double best = Double.NaN;
        for (Map<String, Object> r : MetricsLog.readAll(layout.metrics()))
            if ("eval".equals(r.get("kind")) && r.get("accuracy") instanceof Number a
                    && (Double.isNaN(best) || a.doubleValue() > best)) best = a.doubleValue();
        return best;
    }

    private static RunSummary summary(TrainSettings s, TrainState end, RunRecorder rec, double elapsed) {
        double trainSeconds = end.wallNanos() / 1e9;
        return new RunSummary()
                .put("task", s.task().name())
                .put("steps", end.step())
                .put("samples", end.samples())
                .put("final_accuracy", rec.lastAccuracy())
                .put("best_accuracy", rec.bestAccuracy())
                .put("final_eval_loss", rec.lastEvalLoss())
                .put("wall_seconds", trainSeconds)
                .put("elapsed_seconds", elapsed)
                .put("steps_per_second", trainSeconds > 0 ? end.step() / trainSeconds : Double.NaN)
                .put("train_flops", end.flops())
                .put("stop_reason", rec.stopReason() == null ? null : rec.stopReason().name().toLowerCase(Locale.ROOT))
                .put("resumed_from", s.resumeFrom() == null ? null : s.resumeFrom().toString());
    }
}
