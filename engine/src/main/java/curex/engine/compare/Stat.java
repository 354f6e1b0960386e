// Mean, minimum and maximum of one measure over the seeds where it exists.
package curex.engine.compare;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@code count} values were present (a run that did not reach the target has no "to target" values). */
public record Stat(Double mean, Double min, Double max, int count) {

    /** Over the non-null values; mean, min and max are null when there are none. */
    public static Stat of(List<? extends Number> values) {
        List<Double> v = values.stream().filter(Objects::nonNull).map(Number::doubleValue).toList();
        if (v.isEmpty()) return new Stat(null, null, null, 0);
        double sum = 0, lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            sum += d;
            lo = Math.min(lo, d);
            hi = Math.max(hi, d);
        }
        return new Stat(sum / v.size(), lo, hi, v.size());
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", mean);
        m.put("min", min);
        m.put("max", max);
        m.put("count", count);
        return m;
    }
}
