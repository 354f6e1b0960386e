// One method's results aggregated over seeds: figures to target, final accuracy, time and storage.
package curex.engine.compare;

import curex.engine.io.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Built from the runs' summary.json maps. "To target" figures are averaged over the seeds that reached the target
 * ({@code reached} of {@code runs}: a conditional mean, which leaves failed seeds out); the others over all seeds.
 * Next to them, {@code medians} of the "to target" figures over every seed, counting a seed that never reached the
 * target as more than its whole budget (a censored value): a median that lands on such a seed is only a lower bound.
 * {@code total_flops_to_target} is a run's student plus teacher FLOPs at its first evaluation reaching the target.
 */
public record MethodStats(String method, int runs, int reached, Map<String, Stat> stats, Map<String, Median> medians) {
    public static final String STEPS = "steps_to_target";
    public static final String SAMPLES = "samples_to_target";
    public static final String STUDENT_FLOPS = "train_flops_to_target";
    public static final String TEACHER_FLOPS = "teacher_flops_to_target";
    public static final String TOTAL_FLOPS = "total_flops_to_target";
    public static final String FINAL_ACCURACY = "final_accuracy";
    public static final String BEST_ACCURACY = "best_accuracy";
    public static final String WALL = "wall_seconds";
    public static final String STORAGE = "storage_bytes";
    public static final String STORAGE_TO_TARGET = "storage_bytes_to_target";
    /** The measures, in the order compare.json lists them. */
    public static final List<String> MEASURES = List.of(STEPS, SAMPLES, STUDENT_FLOPS, TEACHER_FLOPS, TOTAL_FLOPS,
            FINAL_ACCURACY, BEST_ACCURACY, WALL, STORAGE, STORAGE_TO_TARGET);

    /** The measures that get a median over every seed, and what a seed that missed the target spent in their unit. */
    static final Map<String, List<String>> CENSORED = Map.of(STEPS, List.of("steps"), STUDENT_FLOPS, List.of("train_flops"),
            TOTAL_FLOPS, List.of("train_flops", "teacher_flops"));

    public MethodStats {
        stats = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stats));
        medians = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(medians));
    }

    public static MethodStats of(String method, List<Map<String, Object>> summaries) {
        Map<String, Stat> stats = new LinkedHashMap<>();
        for (String measure : MEASURES) {
            List<Number> values = new ArrayList<>();
            for (Map<String, Object> s : summaries) values.add(value(s, measure));
            stats.put(measure, Stat.of(values));
        }
        Map<String, Median> medians = new LinkedHashMap<>();
        for (String measure : List.of(STEPS, STUDENT_FLOPS, TOTAL_FLOPS)) {
            List<Median> values = new ArrayList<>();
            for (Map<String, Object> s : summaries) {
                Number v = value(s, measure);
                if (v != null) values.add(new Median(v.doubleValue(), false));
                else values.add(new Median(spent(s, CENSORED.get(measure)), true));
            }
            medians.put(measure, Median.of(values));
        }
        int reached = (int) summaries.stream().filter(s -> s.get(STEPS) != null).count();
        return new MethodStats(method, summaries.size(), reached, stats, medians);
    }

    /** What a run spent over its whole budget, in the unit of {@code keys} summed. */
    private static double spent(Map<String, Object> summary, List<String> keys) {
        double sum = 0;
        for (String k : keys) {
            Number n = number(summary, k);
            sum += n == null ? 0 : n.doubleValue();
        }
        return sum;
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

    /** The median over every seed of a "to target" measure: {@link #STEPS}, {@link #STUDENT_FLOPS}, {@link #TOTAL_FLOPS}. */
    public Median median(String measure) {
        Median m = medians.get(measure);
        if (m == null) throw new IllegalArgumentException("no median of '" + measure + "'; there are " + medians.keySet());
        return m;
    }

    public boolean allReached() {
        return reached == runs;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", runs);
        m.put("reached_target", reached);
        stats.forEach((k, v) -> m.put(k, v.toMap()));
        medians.forEach((k, v) -> m.put("median_" + k, v.toMap()));
        return m;
    }

    /**
     * A median over every seed; {@code censored}: it lands on a seed that missed the target, so the true value is
     * more than {@code value} (what that seed spent over its whole budget). Also one seed's value, censored or not.
     */
    public record Median(double value, boolean censored) {

        /** The median of the values, ordering censored ones after every exact one (they are larger than any). */
        static Median of(List<Median> values) {
            if (values.isEmpty()) return new Median(Double.NaN, false);
            List<Median> v = new ArrayList<>(values);
            v.sort(java.util.Comparator.comparing(Median::censored).thenComparingDouble(Median::value));
            int n = v.size();
            Median lo = v.get((n - 1) / 2), hi = v.get(n / 2);
            if (lo.censored || hi.censored) return new Median(lo.censored ? lo.value : hi.value, true);
            return new Median((lo.value + hi.value) / 2, false);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", Json.finite(value));
            m.put("censored", censored);
            return m;
        }
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
