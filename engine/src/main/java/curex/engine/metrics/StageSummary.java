// What one stage of a run did: its name, where it started, how many steps, and its loss at the start and the end.
package curex.engine.distill;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code firstLoss} and {@code finalLoss} are the mean training loss over the stage's first and last
 * {@link #WINDOW} steps (or all of them, if fewer).
 */
public record StageSummary(String name, long startStep, long steps, double firstLoss, double finalLoss) {
    public static final int WINDOW = 20;

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("start_step", startStep);
        m.put("steps", steps);
        m.put("first_loss", Double.isFinite(firstLoss) ? firstLoss : null);
        m.put("final_loss", Double.isFinite(finalLoss) ? finalLoss : null);
        return m;
    }
}
