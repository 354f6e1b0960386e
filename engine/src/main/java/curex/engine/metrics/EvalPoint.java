// One held-out evaluation of a run, with the compute spent up to it and the stage just trained.
package curex.engine.metrics;

import curex.engine.io.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * After {@code step} steps: accuracy and loss on the held-out set, cumulative FLOPs, the bytes of teacher files read
 * so far, and the stage just trained (null: unstaged).
 */
public record EvalPoint(long step, long samples, double accuracy, double loss, long trainFlops, long teacherFlops,
                        long storageBytes, String stage) {

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("samples", samples);
        m.put("accuracy", Json.finite(accuracy));
        m.put("loss", Json.finite(loss));
        m.put("train_flops", trainFlops);
        m.put("teacher_flops", teacherFlops);
        m.put("storage_bytes", storageBytes);
        m.put("stage", stage);
        return m;
    }

    /** The point an {@code eval} record of metrics.jsonl describes. */
    static EvalPoint fromRecord(Map<String, Object> r) {
        return new EvalPoint(number(r, "step").longValue(), number(r, "samples").longValue(),
                number(r, "accuracy").doubleValue(), number(r, "loss").doubleValue(),
                number(r, "train_flops").longValue(), number(r, "teacher_flops").longValue(),
                r.get("storage_bytes") instanceof Number b ? b.longValue() : 0, r.get("stage") instanceof String s ? s : null);
    }

    private static Number number(Map<String, Object> r, String key) {
        return r.get(key) instanceof Number n ? n : Double.NaN;
    }
}
