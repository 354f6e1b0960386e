// What one stage of a run did: its name, where it started, how many steps, and its loss at the start and the end.
package curex.engine.metrics;

import curex.engine.io.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code firstLoss} and {@code finalLoss} are the mean training loss over the stage's first and last
 * {@link #WINDOW} steps (or all of them, if fewer). {@code end}: why the stage ended (its end rule's decision), or null
 * for the last stage, which runs out the budget.
 */
public record StageSummary(String name, long startStep, long steps, double firstLoss, double finalLoss,
                           Map<String, Object> end) {
    public static final int WINDOW = 20;

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("start_step", startStep);
        m.put("steps", steps);
        m.put("first_loss", Json.finite(firstLoss));
        m.put("final_loss", Json.finite(finalLoss));
        if (end != null) m.put("end", end);
        return m;
    }

    /** The summary a {@code stage} record of metrics.jsonl describes. */
    static StageSummary fromRecord(Map<String, Object> r) {
        return new StageSummary(String.valueOf(r.get("name")), ((Number) r.get("start_step")).longValue(),
                ((Number) r.get("steps")).longValue(),
                r.get("first_loss") instanceof Number f ? f.doubleValue() : Double.NaN,
                r.get("final_loss") instanceof Number f ? f.doubleValue() : Double.NaN, endOf(r.get("end")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> endOf(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }
}
