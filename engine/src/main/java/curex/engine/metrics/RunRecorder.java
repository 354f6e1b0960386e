// Records a training run as it goes: metrics lines, step checkpoints, progress, and its accuracy figures.
package curex.engine.metrics;

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
 * evaluation (both with {@code step}, {@code samples}, {@code train_flops}, {@code wall_seconds}, as the report's
 * curves read them), saves a checkpoint every {@code checkpointEvery} steps through a {@link Checkpointer} (and,
 * when asked, at the end), feeds the progress display (may be null), and keeps the last and best accuracy and the
 * first state reaching the target. I/O failures surface as {@link UncheckedIOException}.
 */
public final class RunRecorder implements TrainingListener {
    /** Saves the model (and whatever else a run keeps) as of state {@code s}. */
    @FunctionalInterface
    public interface Checkpointer {
        void save(TrainState s) throws IOException;
    }

    private final MetricsLog metrics;
    private final Progress progress;
    private final long logEvery;
    private final Checkpointer checkpointer;
    private final long checkpointEvery;
    private final boolean checkpointAtEnd;
    private final double target;
    private double bestAccuracy = Double.NaN;
    private double lastAccuracy = Double.NaN;
    private double lastEvalLoss = Double.NaN;
    private TrainState atTarget;
    private long lastCheckpointStep = -1;
    private int checkpoints;
    private StopReason stopReason;

    /**
     * @param checkpointer    null, or saves checkpoints every {@code checkpointEvery} (> 0) steps
     * @param checkpointAtEnd also save one after the last step when it is not on the interval
     * @param target          accuracy whose first reaching is remembered; NaN for none
     */
    public RunRecorder(MetricsLog metrics, Progress progress, long logEvery, Checkpointer checkpointer,
                       long checkpointEvery, boolean checkpointAtEnd, double target) {
        this.metrics = metrics;
        this.progress = progress;
        this.logEvery = Math.max(1, logEvery);
        this.checkpointer = checkpointEvery > 0 ? checkpointer : null;
        this.checkpointEvery = checkpointEvery;
        this.checkpointAtEnd = checkpointAtEnd;
        this.target = target;
    }

    @Override
    public void onStep(StepResult r, TrainState s) {
        if (progress != null) progress.update(s.step(), r.loss(), Double.NaN);
        if (s.step() % logEvery == 0) {
            Map<String, Object> rec = record("train", s);
            rec.put("loss", r.loss());
            rec.put("lr", r.lr());
            if (!Float.isNaN(r.gradNorm())) rec.put("grad_norm", r.gradNorm());
            log(rec);
        }
        if (checkpointer != null && s.step() % checkpointEvery == 0) checkpoint(s);
    }

    @Override
    public void onEvaluation(EvalResult e, TrainState s) {
        lastAccuracy = e.accuracy();
        lastEvalLoss = e.loss();
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
        if (checkpointer != null && checkpointAtEnd && lastCheckpointStep != s.step()) checkpoint(s);
    }

    private void checkpoint(TrainState s) {
        try {
            checkpointer.save(s);
            lastCheckpointStep = s.step();
            checkpoints++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** Starts the best accuracy from an earlier part of a resumed run. */
    public void priorBest(double accuracy) {
        bestAccuracy = accuracy;
    }

    public double bestAccuracy() {
        return bestAccuracy;
    }

    public double lastAccuracy() {
        return lastAccuracy;
    }

    public double lastEvalLoss() {
        return lastEvalLoss;
    }

    /** The state after the first evaluation reaching the target, or null. */
    public TrainState atTarget() {
        return atTarget;
    }

    public double target() {
        return target;
    }

    /** Checkpoints saved in this part of the run. */
    public int checkpoints() {
        return checkpoints;
    }

    /** Why the loop ended; null before it has. */
    public StopReason stopReason() {
        return stopReason;
    }
}
