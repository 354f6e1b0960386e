// Records a distillation run: metrics.jsonl lines, progress display, summary.json and the trained student model.
package curex.engine.distill;

import curex.engine.checkpoint.MlpCheckpoint;
import curex.engine.io.RunLayout;
import curex.engine.metrics.MetricsLog;
import curex.engine.metrics.Progress;
import curex.engine.metrics.RunSummary;
import curex.engine.nn.Mlp;
import curex.engine.train.StepResult;
import curex.engine.train.TrainState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes to {@code metrics} a {@code train} record every {@code logEvery} steps, an {@code eval} record after each
 * evaluation (with {@code student_flops} and {@code teacher_flops}, as the report's curves read them) and a
 * {@code stage} record when a stage ends; feeds {@code progress} (may be null); at the end writes
 * {@code summary.json} (the {@link DistillResult} after the {@code extra} fields, e.g. the settings) and, when
 * {@code modelMetadata} is not null, {@code model.safetensors} with that metadata. I/O failures during training
 * surface as {@link UncheckedIOException}.
 */
public final class DistillRecorder implements DistillListener {
    private final MetricsLog metrics;
    private final Progress progress;
    private final RunLayout out;
    private final long logEvery;
    private final Map<String, Object> extra;
    private final Map<String, String> modelMetadata;

    public DistillRecorder(MetricsLog metrics, Progress progress, RunLayout out, long logEvery,
                           Map<String, Object> extra, Map<String, String> modelMetadata) {
        this.metrics = metrics;
        this.progress = progress;
        this.out = out;
        this.logEvery = Math.max(1, logEvery);
        this.extra = extra == null ? Map.of() : new LinkedHashMap<>(extra);
        this.modelMetadata = modelMetadata == null ? null : new LinkedHashMap<>(modelMetadata);
    }

    @Override
    public void onStep(StepResult r, TrainState s, String stage) {
        if (progress != null) progress.update(s.step(), r.loss(), Double.NaN);
        if (s.step() % logEvery != 0) return;
        Map<String, Object> rec = record("train", s, stage);
        rec.put("loss", r.loss());
        rec.put("lr", r.lr());
        if (!Float.isNaN(r.gradNorm())) rec.put("grad_norm", r.gradNorm());
        log(rec);
    }

    @Override
    public void onEvaluation(EvalPoint p, TrainState s) {
        if (progress != null) progress.update(s.step(), Double.NaN, p.accuracy());
        Map<String, Object> rec = record("eval", s, p.stage());
        rec.put("accuracy", p.accuracy());
        rec.put("loss", p.loss());
        log(rec);
    }

    @Override
    public void onStageEnd(StageSummary stage) {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("kind", "stage");
        rec.putAll(stage.toMap());
        log(rec);
        if (progress != null) progress.message("stage " + stage.name() + ": " + stage.steps() + " steps, loss "
                + String.format(java.util.Locale.ROOT, "%.4g -> %.4g", stage.firstLoss(), stage.finalLoss()));
    }

    @Override
    public void onFinish(DistillResult result, Mlp student) throws IOException {
        RunSummary summary = new RunSummary();
        summary.putAll(extra);
        summary.putAll(result.toMap());
        summary.write(out.summary());
        if (modelMetadata != null) MlpCheckpoint.save(out.model(), student, modelMetadata);
    }

    private static Map<String, Object> record(String kind, TrainState s, String stage) {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("kind", kind);
        rec.put("step", s.step());
        rec.put("samples", s.samples());
        rec.put("student_flops", s.flops());
        rec.put("teacher_flops", s.teacherFlops());
        rec.put("wall_seconds", s.wallNanos() / 1e9);
        rec.put("stage", stage);
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
