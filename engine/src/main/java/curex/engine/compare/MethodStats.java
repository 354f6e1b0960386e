// One method's results aggregated over seeds: figures to target, final accuracy, time and storage.
package curex.engine.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Built from the runs' summary.json maps. "To target" figures are averaged over the seeds that reached the target
 * ({@code reached} of {@code runs}); the others over all seeds. {@code total_flops_to_target} is a run's student
 * plus teacher FLOPs at its first evaluation reaching the target.
 */
public record MethodStats(String method, int runs, int reached, Map<String, Stat> stats) {
    public static final String STEPS = "steps_to_target";
    public static final String SAMPLES = "samples_to_target";
    public static final String STUDENT_FLOPS = "train_flops_to_target";
    public static final String TEACHER_FLOPS = "teacher_flops_to_target";
    public static final String TOTAL_FLOPS = "total_flops_to_target";
    public static final String FINAL_ACCURACY = "final_accuracy";
    public static final String BEST_ACCURACY = "best_accuracy";
    public static final String WALL = "wall_seconds";
    public static final String STORAGE = "storage_bytes";
    /** The measures, in the order compare.json lists them. */
    public static final List<String> MEASURES = List.of(STEPS, SAMPLES, STUDENT_FLOPS, TEACHER_FLOPS, TOTAL_FLOPS,
            FINAL_ACCURACY, BEST_ACCURACY, WALL, STORAGE);

    public MethodStats {
        stats = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stats));
    }

    public static MethodStats of(String method, List<Map<String, Object>> summaries) {
        Map<String, Stat> stats = new LinkedHashMap<>();
        for (String measure : MEASURES) {
            List<Number> values = new ArrayList<>();
            for (Map<String, Object> s : summaries) values.add(value(s, measure));
            stats.put(measure, Stat.of(values));
        }
        int reached = (int) summaries.stream().filter(s -> s.get(STEPS) != null).count();
        return new MethodStats(method, summaries.size(), reached, stats);
    }

    /** A measure of one run; null when absent (not reached). */
    static Number value(Map<String, Object> summary, String measure) {
        if (measure.equals(TOTAL_FLOPS)) {
            Number s = number(summary, STUDENT_FLOPS), t = number(summary, TEACHER_FLOPS);
            if (s == null) return null;
            return s.doubleValue() + (t == null ? 0 : t.doubleValue());
        }
        return number(summary, measure);
    }

    private static Number number(Map<String, Object> summary, String key) {
        return summary.get(key) instanceof Number n ? n : null;
    }

    public Stat stat(String measure) {
        Stat s = stats.get(measure);
        if (s == null) throw new IllegalArgumentException("no measure '" + measure + "'; expected one of " + MEASURES);
        return s;
    }

    public boolean allReached() {
        return reached == runs;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", runs);
        m.put("reached_target", reached);
        stats.forEach((k, v) -> m.put(k, v.toMap()));
        return m;
    }

    /** Mean, minimum and maximum of one measure over the {@code count} seeds where it exists. */
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
}
