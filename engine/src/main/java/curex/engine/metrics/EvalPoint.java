// One held-out evaluation of a distillation run, with the compute spent up to it.
package curex.engine.distill;

import java.util.LinkedHashMap;
import java.util.Map;

/** After {@code step} steps: accuracy and loss on the held-out set, cumulative FLOPs, and the stage just trained. */
public record EvalPoint(long step, long samples, double accuracy, double loss, long studentFlops, long teacherFlops,
                        String stage) {

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("samples", samples);
        m.put("accuracy", accuracy);
        m.put("loss", Double.isFinite(loss) ? loss : null);
        m.put("student_flops", studentFlops);
        m.put("teacher_flops", teacherFlops);
        m.put("stage", stage);
        return m;
    }
}
