// The result of any run (a trained model, a teacher, a distilled student) as summary.json records it.
package curex.engine.metrics;

import curex.engine.io.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One type for every run. The "to target" fields come from the first evaluation whose accuracy reaches
 * {@code targetAccuracy} and are null when none did. FLOPs are cumulative matrix-product FLOPs: {@code trainFlops}
 * the trained model's forward and backward passes, {@code teacherFlops} the teacher's forward passes (for extraction
 * including {@code setupTeacherFlops}, the one-off standardization passes, counted from step 0). {@code storageBytes}
 * is the size of the teacher files read over the whole run, {@code storageBytesToTarget} up to the target; {@code checkpoints}, {@code checkpointBytes} and {@code modelBytes} what the
 * run wrote. {@code wallSeconds} counts training steps only, {@code elapsedSeconds} the whole run including setup and
 * evaluation. {@code role} is "train", "teacher" or a distillation method; {@code settings} what the run was asked
 * to do.
 */
public record RunSummary(String role, String task, String model, String teacher, double targetAccuracy,
                         Long stepsToTarget, Long samplesToTarget, Long trainFlopsToTarget, Long teacherFlopsToTarget,
                         Long storageBytesToTarget,
                         long steps, long samples, double finalAccuracy, double bestAccuracy, double finalEvalLoss,
                         double wallSeconds, double stepsPerSecond, double elapsedSeconds, long trainFlops,
                         long teacherFlops, long setupTeacherFlops, long storageBytes, int checkpoints,
                         long checkpointBytes, long modelBytes, String stopReason, String resumedFrom,
                         List<StageSummary> stages, List<EvalPoint> evals, Map<String, Object> settings) {

    public RunSummary {
        stages = List.copyOf(stages);
        evals = List.copyOf(evals);
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    public boolean reachedTarget() {
        return stepsToTarget != null;
    }

    /** snake_case fields, as summary.json holds them. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("task", task);
        m.put("model", model);
        m.put("teacher", teacher);
        m.put("target_accuracy", Json.finite(targetAccuracy));
        m.put("steps_to_target", stepsToTarget);
        m.put("samples_to_target", samplesToTarget);
        m.put("train_flops_to_target", trainFlopsToTarget);
        m.put("teacher_flops_to_target", teacherFlopsToTarget);
        m.put("storage_bytes_to_target", storageBytesToTarget);
        m.put("steps", steps);
        m.put("samples", samples);
        m.put("final_accuracy", Json.finite(finalAccuracy));
        m.put("best_accuracy", Json.finite(bestAccuracy));
        m.put("final_eval_loss", Json.finite(finalEvalLoss));
        m.put("wall_seconds", Json.finite(wallSeconds));
        m.put("steps_per_second", Json.finite(stepsPerSecond));
        m.put("elapsed_seconds", Json.finite(elapsedSeconds));
        m.put("train_flops", trainFlops);
        m.put("teacher_flops", teacherFlops);
        m.put("setup_teacher_flops", setupTeacherFlops);
        m.put("storage_bytes", storageBytes);
        m.put("checkpoints", checkpoints);
        m.put("checkpoint_bytes", checkpointBytes);
        m.put("model_bytes", modelBytes);
        m.put("stop_reason", stopReason);
        m.put("resumed_from", resumedFrom);
        m.put("stages", stages.stream().map(StageSummary::toMap).toList());
        m.put("evals", evals.stream().map(EvalPoint::toMap).toList());
        m.put("settings", settings);
        return m;
    }

    /** Writes summary.json (temp file + rename). */
    public void write(Path file) throws IOException {
        Json.writeAtomic(file, toMap());
    }

    /** A summary.json as an ordered map (comparisons read them back this way). */
    public static Map<String, Object> read(Path file) throws IOException {
        return Json.readMap(file);
    }
}
