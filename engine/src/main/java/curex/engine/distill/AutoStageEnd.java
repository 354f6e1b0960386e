// Ends a projection stage once its smoothed loss has stopped improving relative to what the stage has gained so far.
package curex.engine.distill;

import curex.engine.io.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loss is averaged over windows of {@code window} steps. After window k >= 2, its gain {@code m(k-1) - m(k)} is
 * compared with the stage's whole improvement {@code m(1) - m(k)}: a gain below {@code minShare} of it (or no
 * improvement at all) is stale. {@code patience} stale windows in a row end the stage, as does {@code cap} steps.
 * The test is scale-free (a loss halving from 1 or from 0.01 reads alike), and a stage with nothing to learn (its
 * loss flat from the start) ends after {@code patience + 1} windows, its trigger "flat": that is how a stage skips
 * itself.
 */
final class AutoStageEnd implements Stage.End {
    private final long window;
    private final double minShare;
    private final int patience;
    private final long cap;
    private double sum;
    private long count;
    private double first = Double.NaN, last = Double.NaN, gain = Double.NaN, total = Double.NaN;
    private int windows, stale;
    private String rule;

    AutoStageEnd(long window, double minShare, int patience, long cap) {
        if (window < 1 || patience < 1 || cap < 1 || !(minShare > 0 && minShare < 1))
            throw new IllegalArgumentException("auto stage end: window " + window + ", share " + minShare + ", patience "
                    + patience + ", cap " + cap);
        this.window = window;
        this.minShare = minShare;
        this.patience = patience;
        this.cap = cap;
    }

    @Override
    public boolean done(long stepsInStage, float loss) {
        sum += loss;
        count++;
        if (count == window) {
            double mean = sum / count;
            sum = 0;
            count = 0;
            windows++;
            if (windows == 1) first = mean;
            else {
                gain = last - mean;
                total = first - mean;
                stale = total <= 0 || gain < minShare * total ? stale + 1 : 0;
            }
            last = mean;
            if (stale >= patience) {
                rule = total > 0 ? "stalled" : "flat";
                return true;
            }
        }
        if (stepsInStage >= cap) {
            rule = "cap";
            return true;
        }
        return false;
    }

    /** The rule that fired and the statistic behind it. */
    @Override
    public Map<String, Object> reason() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", "auto");
        m.put("trigger", rule == null ? "none" : rule);
        m.put("window", window);
        m.put("windows", windows);
        m.put("first_window_loss", Json.finite(first));
        m.put("last_window_loss", Json.finite(last));
        m.put("last_gain", Json.finite(gain));
        m.put("gain_so_far", Json.finite(total));
        m.put("gain_share", Double.isFinite(gain) && total > 0 ? gain / total : null);
        m.put("min_share", minShare);
        m.put("stale_windows", stale);
        m.put("cap", cap);
        return m;
    }

    @Override
    public Map<String, String> state() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sum", Double.toString(sum));
        m.put("count", Long.toString(count));
        m.put("first", Double.toString(first));
        m.put("last", Double.toString(last));
        m.put("gain", Double.toString(gain));
        m.put("total", Double.toString(total));
        m.put("windows", Integer.toString(windows));
        m.put("stale", Integer.toString(stale));
        return m;
    }

    @Override
    public void restore(Map<String, String> s) {
        sum = Double.parseDouble(s.get("sum"));
        count = Long.parseLong(s.get("count"));
        first = Double.parseDouble(s.get("first"));
        last = Double.parseDouble(s.get("last"));
        gain = Double.parseDouble(s.get("gain"));
        total = Double.parseDouble(s.get("total"));
        windows = Integer.parseInt(s.get("windows"));
        stale = Integer.parseInt(s.get("stale"));
    }
}
