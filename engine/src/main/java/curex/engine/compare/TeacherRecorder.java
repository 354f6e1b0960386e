// Records a teacher's training: metrics lines, model-only step checkpoints, progress, and the figures to target.
package curex.engine.compare;

import curex.engine.checkpoint.MlpCheckpoint;
import curex.engine.io.RunLayout;
import curex.engine.metrics.MetricsLog;
import curex.engine.metrics.Progress;
import curex.engine.metrics.RunSummary;
import curex.engine.nn.Mlp;
import curex.engine.train.EvalResult;
import curex.engine.train.StepResult;
import curex.engine.train.TrainState;
import curex.engine.train.TrainingListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code train} record every {@value #LOG_EVERY} steps and an {@code eval} record per evaluation (with
 * {@code train_flops}, as the report's curves read them); {@code checkpoints/step-<N>.safetensors} every
 * {@code checkpointEvery} steps. I/O failures surface as {@link UncheckedIOException}.
 */
final class TeacherRecorder implements TrainingListener {
    private static final long LOG_EVERY = 50;
    private final MetricsLog metrics;
    private final Progress progress;
    private final RunLayout out;
    private final Mlp model;
    private final Map<String, String> meta;
    private final long checkpointEvery;
    private final double target;
    private double lastAccuracy = Double.NaN;
    private double bestAccuracy = Double.NaN;
    private TrainState atTarget;
    private StopReason stopReason;
    private int checkpoints;

    TeacherRecorder(MetricsLog metrics, Progress progress, RunLayout out, Mlp model, Map<String, String> meta,
                    long checkpointEvery, double target) {
        this.metrics = metrics;
        this.progress = progress;
        this.out = out;
        this.model = model;
        this.meta = meta;
        this.checkpointEvery = checkpointEvery;
        this.target = target;
    }

    @Override
    public void onStep(StepResult r, TrainState s) {
        if (progress != null) progress.update(s.step(), r.loss(), Double.NaN);
        if (s.step() % LOG_EVERY == 0) {
            Map<String, Object> rec = record("train", s);
            rec.put("loss", r.loss());
            rec.put("lr", r.lr());
            log(rec);
        }
        if (checkpointEvery > 0 && s.step() % checkpointEvery == 0) {
            try {
                MlpCheckpoint.save(out.checkpoint(s.step()), model, meta);
                checkpoints++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void onEvaluation(EvalResult e, TrainState s) {
        lastAccuracy = e.accuracy();
        if (Double.isNaN(bestAccuracy) || e.accuracy() > bestAccuracy) bestAccuracy = e.accuracy();
        if (atTarget == null && e.accuracy() >= target) atTarget = s;
        if (progress != null) progress.update(s.step(), Double.NaN, e.accuracy());
        Map<String, Object> rec = record("eval", s);
        rec.put("accuracy", e.accuracy());
        rec.put("loss", e.loss());
        log(rec);
    }

    @Override
    public void onEnd(TrainState s, StopReason reason) {
        stopReason = reason;
    }

    RunSummary summary(TrainState end, double elapsed) {
        double wall = end.wallNanos() / 1e9;
        return new RunSummary()
                .put("role", "teacher")
                .put("target_accuracy", target)
                .put("steps_to_target", atTarget == null ? null : atTarget.step())
                .put("samples_to_target", atTarget == null ? null : atTarget.samples())
                .put("flops_to_target", atTarget == null ? null : atTarget.flops())
                .put("steps", end.step())
                .put("samples", end.samples())
                .put("final_accuracy", lastAccuracy)
                .put("best_accuracy", bestAccuracy)
                .put("train_flops", end.flops())
                .put("wall_seconds", wall)
                .put("steps_per_second", wall > 0 ? end.step() / wall : Double.NaN)
                .put("elapsed_seconds", elapsed)
                .put("checkpoints", checkpoints)
                .put("stop_reason", stopReason == null ? null : stopReason.name().toLowerCase(java.util.Locale.ROOT));
    }

    private static Map<String, Object> record(String kind, TrainState s) {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("kind", kind);
        rec.put("step", s.step());
        rec.put("samples", s.samples());
        rec.put("train_flops", s.flops());
        rec.put("wall_seconds", s.wallNanos() / 1e9);
        return rec;
    }

    private void log(Map<String, Object> rec) {
        try {
            metrics.log(rec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
