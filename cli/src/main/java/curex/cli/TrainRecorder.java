// Listens to the training loop and records the run: metrics lines, step checkpoints, progress, best accuracy.
package curex.cli;

import curex.engine.checkpoint.TrainingCheckpoint;
import curex.engine.io.RunLayout;
import curex.engine.metrics.MetricsLog;
import curex.engine.metrics.Progress;
import curex.engine.nn.Mlp;
import curex.engine.optim.Optimizer;
import curex.engine.train.EvalResult;
import curex.engine.train.StepResult;
import curex.engine.train.TrainState;
import curex.engine.train.TrainingListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a {@code train} record to metrics.jsonl every {@code logEvery} steps and an {@code eval} record after each
 * evaluation, saves {@code checkpoints/step-<N>.safetensors} every {@code checkpointEvery} steps and at the end,
 * and feeds the progress display. I/O failures surface as {@link UncheckedIOException}.
 */
final class TrainRecorder implements TrainingListener {
    private final MetricsLog metrics;
    private final Progress progress;
    private final RunLayout layout;
    private final Mlp model;
    private final Optimizer optimizer;
    private final Map<String, String> checkpointMetadata;
    private final long logEvery;
    private final long checkpointEvery;
    private double bestAccuracy = Double.NaN;
    private double lastAccuracy = Double.NaN;
    private double lastEvalLoss = Double.NaN;
    private long lastCheckpointStep = -1;
    private StopReason stopReason;

    TrainRecorder(MetricsLog metrics, Progress progress, RunLayout layout, Mlp model, Optimizer optimizer,
                  Map<String, String> checkpointMetadata, long logEvery, long checkpointEvery) {
        this.metrics = metrics;
        this.progress = progress;
        this.layout = layout;
        this.model = model;
        this.optimizer = optimizer;
        this.checkpointMetadata = checkpointMetadata;
        this.logEvery = Math.max(1, logEvery);
        this.checkpointEvery = checkpointEvery;
    }

    @Override
    public void onStep(StepResult r, TrainState s) {
        progress.update(s.step(), r.loss(), Double.NaN);
        if (s.step() % logEvery == 0) {
            Map<String, Object> rec = record("train", s);
            rec.put("loss", r.loss());
            rec.put("lr", r.lr());
            if (!Float.isNaN(r.gradNorm())) rec.put("grad_norm", r.gradNorm());
            log(rec);
        }
        if (checkpointEvery > 0 && s.step() % checkpointEvery == 0) checkpoint(s);
    }

    @Override
    public void onEvaluation(EvalResult e, TrainState s) {
        lastAccuracy = e.accuracy();
        lastEvalLoss = e.loss();
        if (Double.isNaN(bestAccuracy) || e.accuracy() > bestAccuracy) bestAccuracy = e.accuracy();
        progress.update(s.step(), Double.NaN, e.accuracy());
        Map<String, Object> rec = record("eval", s);
        rec.put("accuracy", e.accuracy());
        rec.put("loss", e.loss());
        log(rec);
    }

    @Override
    public void onEnd(TrainState s, StopReason reason) {
        stopReason = reason;
        if (checkpointEvery > 0 && lastCheckpointStep != s.step()) checkpoint(s);
    }

    private static Map<String, Object> record(String kind, TrainState s) {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("kind", kind);
        rec.put("step", s.step());
        rec.put("samples", s.samples());
        rec.put("flops", s.flops());
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

    private void checkpoint(TrainState s) {
        try {
            TrainingCheckpoint.save(layout.checkpoint(s.step()), model, optimizer, s, checkpointMetadata);
            lastCheckpointStep = s.step();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the best accuracy from an earlier part of a resumed run. */
    void priorBest(double accuracy) {
        bestAccuracy = accuracy;
    }

    /** Best held-out accuracy of the run, NaN if none. */
    double bestAccuracy() {
        return bestAccuracy;
    }

    double lastAccuracy() {
        return lastAccuracy;
    }

    double lastEvalLoss() {
        return lastEvalLoss;
    }

    StopReason stopReason() {
        return stopReason;
    }
}
