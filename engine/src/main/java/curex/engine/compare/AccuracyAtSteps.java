// Each method's held-out accuracy at fixed steps over seeds: the table form the papers use for masked LM.
package curex.engine.compare;

import curex.engine.report.Curve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code byMethod} maps a method id to one {@link MethodStats.Stat} per listed step, over the seeds whose curve holds an
 * evaluation at exactly that step (a run that stopped earlier, or was evaluated elsewhere, has none there).
 */
public record AccuracyAtSteps(List<Long> steps, Map<String, List<MethodStats.Stat>> byMethod) {

    /** From each method's curves (one per seed), in the map's order. */
    public static AccuracyAtSteps of(List<Long> steps, Map<String, List<Curve>> curves) {
        Map<String, List<MethodStats.Stat>> by = new LinkedHashMap<>();
        curves.forEach((method, list) -> {
            List<MethodStats.Stat> row = new ArrayList<>();
            for (long step : steps) {
                List<Double> values = new ArrayList<>();
                for (Curve c : list) {
                    Double a = at(c, step);
                    if (a != null) values.add(a);
                }
                row.add(MethodStats.Stat.of(values));
            }
            by.put(method, row);
        });
        return new AccuracyAtSteps(List.copyOf(steps), by);
    }

    /** The accuracy evaluated at exactly {@code step}, or null. */
    static Double at(Curve c, long step) {
        for (int i = 0; i < c.size(); i++) if (c.steps()[i] == step) return c.accuracy()[i];
        return null;
    }

    /** Markdown: one row per method, a "mean [min..max]" cell per step ("-" where no seed was evaluated there). */
    public String markdown() {
        List<String> head = new ArrayList<>(List.of("method"));
        for (long s : steps) head.add("accuracy at " + Formats.count(s));
        List<List<String>> rows = new ArrayList<>();
        byMethod.forEach((method, stats) -> {
            List<String> row = new ArrayList<>(List.of(method));
            for (MethodStats.Stat st : stats) row.add(ResultTable.range(st, Formats::percent));
            rows.add(row);
        });
        return ResultTable.markdown(head, rows);
    }

    /** As compare.json holds it: method -> step -> {mean, min, max, count}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        byMethod.forEach((method, stats) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < steps.size(); i++) row.put(Long.toString(steps.get(i)), stats.get(i).toMap());
            m.put(method, row);
        });
        return m;
    }
}
