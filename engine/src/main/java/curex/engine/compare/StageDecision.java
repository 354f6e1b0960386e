// One line saying why a projection stage ended, from the decision its end rule recorded.
package curex.engine.compare;

import java.util.Locale;
import java.util.Map;

/** Reads the {@code end} map of a stage summary: {@code rule} (length, adaptive, auto) and its statistics. */
final class StageDecision {
    private StageDecision() {
    }

    /** "its length (300 steps)", "auto: 2 windows of 50 steps each gained < 10% of the stage's gain (last 4.1%)". */
    static String describe(Map<?, ?> end) {
        String rule = String.valueOf(end.get("rule"));
        Object trigger = end.get("trigger");
        return switch (rule) {
            case "length" -> "its length" + (end.get("steps") instanceof Number n ? " (" + Formats.count(n) + " steps)" : "");
            case "adaptive" -> "cap".equals(trigger) ? "adaptive: its maximum of " + end.get("max_steps") + " steps"
                    : "adaptive: " + end.get("stale_windows") + " windows without a relative improvement";
            case "auto" -> "flat".equals(trigger) ? "auto: no improvement over " + end.get("windows") + " windows (skipped)"
                    : "cap".equals(trigger) ? "auto: its cap of " + Formats.count((Number) end.get("cap")) + " steps"
                    : String.format(Locale.ROOT, "auto: %s windows of %s steps each gained < %.0f%% of the stage's gain "
                    + "(last %s)", end.get("stale_windows"), end.get("window"),
                    100 * ((Number) end.get("min_share")).doubleValue(), share(end.get("gain_share")));
            default -> rule;
        };
    }

    private static String share(Object o) {
        return o instanceof Number n ? String.format(Locale.ROOT, "%.1f%%", 100 * n.doubleValue()) : "no gain";
    }
}
