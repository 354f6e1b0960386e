// How a run is evaluated: interval, held-out size, the target accuracy and whether reaching it ends the run.
package curex.engine.settings;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Evaluate on {@code size} held-out samples every {@code every} steps (0: only at the end), plus at step 0 of a
 * fresh run. {@code target} defines the "to target" figures; with {@code stopAtTarget} the run ends at the first
 * evaluation reaching it.
 */
public record EvalSettings(long every, int size, double target, boolean stopAtTarget) {
    public static final int DEFAULT_SIZE = 4096;

    public EvalSettings {
        if (every < 0) throw new IllegalArgumentException("evaluation interval must be >= 0 (0: only at the end), got " + every);
        if (size < 1) throw new IllegalArgumentException("held-out size must be >= 1, got " + size);
        if (!(target > 0 && target <= 1))
            throw new IllegalArgumentException("target accuracy must lie in (0, 1], got " + target);
    }

    /** Every {@code every} steps on 4096 samples, target 99%, not stopping there. */
    public static EvalSettings every(long every) {
        return new EvalSettings(every, DEFAULT_SIZE, 0.99, false);
    }

    public EvalSettings stoppingAtTarget(boolean v) {
        return new EvalSettings(every, size, target, v);
    }

    /** The interval the loop uses for a budget of {@code steps}: {@code every}, or the budget when it is 0. */
    public long intervalFor(long steps) {
        return every > 0 ? every : steps;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eval_every", every);
        m.put("eval_size", size);
        m.put("target_accuracy", target);
        m.put("stop_at_target", stopAtTarget);
        return m;
    }
}
