// Trains one teacher on parity and writes a run folder as `curex train` does: model, step checkpoints, metrics, summary.
package curex.engine.compare;

import curex.engine.checkpoint.MlpCheckpoint;
import curex.engine.data.LabeledBatch;
import curex.engine.data.SparseParity;
import curex.engine.distill.StudentOptim;
import curex.engine.distill.StudentTraining;
import curex.engine.io.Json;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The teacher MLP {@code [n, hidden..., 2]} is trained by {@code spec} (its steps a maximum; with
 * {@code stopAtTarget} it ends at the first evaluation reaching the target). Every {@code checkpointEvery} steps the
 * model alone (no optimizer state: progressive KD reads only weights, and its storage is the sum of these files) is
 * saved to {@code checkpoints/step-<N>.safetensors}. Earlier outputs in the folder are removed first.
 */
public final class TeacherTraining {
    private static final long LOG_EVERY = 50;

    private TeacherTraining() {
    }

    /** Trains and writes the run; returns its summary (also written to summary.json, with {@code settings}). */
    public static RunSummary run(Backend backend, SparseParity task, StudentTraining spec, long checkpointEvery,
                                 RunLayout out, Map<String, Object> settings, Progress progress) throws IOException {
        clear(out);
        Files.createDirectories(out.checkpoints());
        Json.writeAtomic(out.config(), settings);
        long startNanos = System.nanoTime();
        long seed = spec.seed();
        MlpConfig config = new MlpConfig(spec.widths(task.n(), task.classes()), spec.activation());
        Map<String, String> meta = TaskMetadata.parity(task.n(), task.k(), seed, Map.of("role", "teacher"));
        LabeledBatch held = task.heldOut(seed, spec.evalSize());
        try (Mlp model = Mlp.create(backend, config, seed);
             Optimizer optimizer = StudentOptim.optimizer(spec, model.parameters());
             TrainStep step = new TrainStep(new ExecContext(backend), optimizer, (float) spec.clip());
             ClassificationObjective data = new ClassificationObjective(backend, model,
                     (s, x, y) -> task.batch(seed, s, spec.batch(), x, y), spec.batch(), task.n());
             ClassifierAccuracy evaluator = ClassifierAccuracy.onHeldOut(backend, model, held);
             MetricsLog metrics = MetricsLog.open(out.metrics(), false)) {
            RunRecorder recorder = new RunRecorder(metrics, progress, LOG_EVERY,
                    st -> MlpCheckpoint.save(out.checkpoint(st.step()), model, meta), checkpointEvery, false,
                    spec.targetAccuracy());
            Trainer trainer = new Trainer(step, data, StudentOptim.schedule(spec), spec.steps())
                    .evaluateEvery(spec.evalEvery() > 0 ? spec.evalEvery() : spec.steps(), evaluator)
                    .evaluateAtStart(true)
                    .listener(recorder);
            if (spec.stopAtTarget()) trainer.stopAtAccuracy(spec.targetAccuracy());
            TrainState end = trainer.run(TrainState.start());
            MlpCheckpoint.save(out.model(), model, meta);
            RunSummary summary = summary(recorder, end, (System.nanoTime() - startNanos) / 1e9);
            summary.put("model_bytes", Files.size(out.model()));
            summary.put("checkpoint_bytes", checkpointBytes(out));
            summary.put(FinishedRun.SETTINGS, settings);
            summary.write(out.summary());
            return summary;
        }
    }

    /** The teacher's summary.json from what its recorder saw. */
    private static RunSummary summary(RunRecorder rec, TrainState end, double elapsed) {
        TrainState atTarget = rec.atTarget();
        double wall = end.wallNanos() / 1e9;
        return new RunSummary()
                .put("role", "teacher")
                .put("target_accuracy", rec.target())
                .put("steps_to_target", atTarget == null ? null : atTarget.step())
                .put("samples_to_target", atTarget == null ? null : atTarget.samples())
                .put("flops_to_target", atTarget == null ? null : atTarget.flops())
                .put("steps", end.step())
                .put("samples", end.samples())
                .put("final_accuracy", rec.lastAccuracy())
                .put("best_accuracy", rec.bestAccuracy())
                .put("train_flops", end.flops())
                .put("wall_seconds", wall)
                .put("steps_per_second", wall > 0 ? end.step() / wall : Double.NaN)
                .put("elapsed_seconds", elapsed)
                .put("checkpoints", rec.checkpoints())
                .put("stop_reason", rec.stopReason() == null ? null : rec.stopReason().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** Summed size of the step checkpoints (what progressive KD may read besides the final model). */
    static long checkpointBytes(RunLayout out) throws IOException {
        if (!Files.isDirectory(out.checkpoints())) return 0;
        long sum = 0;
        try (Stream<Path> files = Files.list(out.checkpoints())) {
            for (Path p : files.filter(f -> RunLayout.stepOf(f).isPresent()).toList()) sum += Files.size(p);
        }
        return sum;
    }

    /** Removes what an earlier (interrupted or different) teacher run left in the folder. */
    private static void clear(RunLayout out) throws IOException {
        Files.deleteIfExists(out.summary());
        Files.deleteIfExists(out.model());
        Files.deleteIfExists(out.metrics());
        if (Files.isDirectory(out.checkpoints()))
            try (Stream<Path> files = Files.list(out.checkpoints())) {
                for (Path p : files.filter(f -> RunLayout.stepOf(f).isPresent()).toList()) Files.delete(p);
            }
    }
}
