// The outcome of one distillation run: curve, compute and storage, and the figures "to target".
package curex.engine.distill;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "to target" fields come from the first evaluation whose accuracy reaches {@code targetAccuracy} and are null
 * when none did. FLOPs are cumulative matrix-product FLOPs: the student's forward+backward, the teacher's forwards
 * (for extraction including {@code setupTeacherFlops}, the one-off standardization passes, counted from step 0).
 * {@code storageBytes} is the size of the teacher files read. {@code wallSeconds} counts training steps only;
 * {@code elapsedSeconds} the whole run including setup and evaluation.
 */
public record DistillResult(String method, String student, String teacher, double targetAccuracy, Long stepsToTarget,
                            Long samplesToTarget, Long studentFlopsToTarget, Long teacherFlopsToTarget, long steps,
                            long samples, double finalAccuracy, double bestAccuracy, double wallSeconds,
                            double stepsPerSecond, double elapsedSeconds, long studentFlops, long teacherFlops,
                            long setupTeacherFlops, long storageBytes, String stopReason, List<StageSummary> stages,
                            List<EvalPoint> evals) {

    public DistillResult {
        stages = List.copyOf(stages);
        evals = List.copyOf(evals);
    }

    public boolean reachedTarget() {
        return stepsToTarget != null;
    }

    /** snake_case fields, as summary.json holds them. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("student", student);
        m.put("teacher", teacher);
        m.put("target_accuracy", targetAccuracy);
        m.put("steps_to_target", stepsToTarget);
        m.put("samples_to_target", samplesToTarget);
        m.put("student_flops_to_target", studentFlopsToTarget);
        m.put("teacher_flops_to_target", teacherFlopsToTarget);
        m.put("steps", steps);
        m.put("samples", samples);
        m.put("final_accuracy", finite(finalAccuracy));
        m.put("best_accuracy", finite(bestAccuracy));
        m.put("wall_seconds", wallSeconds);
        m.put("steps_per_second", finite(stepsPerSecond));
        m.put("elapsed_seconds", elapsedSeconds);
        m.put("student_flops", studentFlops);
        m.put("teacher_flops", teacherFlops);
        m.put("setup_teacher_flops", setupTeacherFlops);
        m.put("storage_bytes", storageBytes);
        m.put("stop_reason", stopReason);
        m.put("stages", stages.stream().map(StageSummary::toMap).toList());
        m.put("evals", evals.stream().map(EvalPoint::toMap).toList());
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
