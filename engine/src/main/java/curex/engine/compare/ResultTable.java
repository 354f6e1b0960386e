// The Markdown tables of a comparison: aggregated per method, and steps to target per seed.
package curex.engine.compare;

import curex.engine.distill.Method;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A "to target" cell shows the mean over the seeds that reached the target and [min..max] when there are several;
 * "(2/3 seeds)" when not all did. When none did, the steps cell says "not reached (98.30%)" (mean final accuracy)
 * and the other "to target" cells "-". The median cells count every seed, a seed that missed the target as more than
 * its budget: "> 10,000" when the median lands on such a seed. Ratios to extract are given for both.
 */
final class ResultTable {
    private ResultTable() {
    }

    /** One row per method. */
    static String methods(List<MethodStats> stats) {
        MethodStats extract = stats.stream().filter(s -> s.method().equals(Method.EXTRACT.id())).findFirst().orElse(null);
        boolean ratio = extract != null && extract.reached() > 0;
        List<String> head = new ArrayList<>(List.of("method", "reached target", "steps to target",
                "median steps (all seeds)", "student FLOPs to target", "median student FLOPs (all seeds)",
                "teacher FLOPs to target", "total FLOPs to target"));
        if (ratio) head.addAll(List.of("student FLOPs vs extract", "median vs extract"));
        head.addAll(List.of("final accuracy", "teacher storage", "storage to target", "wall s"));
        List<List<String>> rows = new ArrayList<>();
        for (MethodStats s : stats) {
            List<String> row = new ArrayList<>();
            row.add(s.method());
            row.add(s.reached() + "/" + s.runs());
            row.add(s.reached() == 0 ? "not reached (" + Formats.percent(s.stat(MethodStats.FINAL_ACCURACY).mean()) + ")"
                    : toTarget(s, MethodStats.STEPS, false));
            row.add(median(s.median(MethodStats.STEPS), Formats::count));
            row.add(toTarget(s, MethodStats.STUDENT_FLOPS, true));
            row.add(median(s.median(MethodStats.STUDENT_FLOPS), Formats::flops));
            row.add(toTarget(s, MethodStats.TEACHER_FLOPS, true));
            row.add(toTarget(s, MethodStats.TOTAL_FLOPS, true));
            if (ratio) {
                MethodStats.Stat mine = s.stat(MethodStats.STUDENT_FLOPS), ref = extract.stat(MethodStats.STUDENT_FLOPS);
                row.add(mine.isEmpty() ? "-" : Formats.ratio(mine.mean() / ref.mean()));
                row.add(medianRatio(s.median(MethodStats.STUDENT_FLOPS), extract.median(MethodStats.STUDENT_FLOPS)));
            }
            row.add(range(s.stat(MethodStats.FINAL_ACCURACY), Formats::percent));
            Double storage = s.stat(MethodStats.STORAGE).mean();
            row.add(storage != null && storage == 0 ? "none" : Formats.bytes(storage));
            Double toTarget = s.stat(MethodStats.STORAGE_TO_TARGET).mean();
            row.add(toTarget == null ? "-" : toTarget == 0 ? "none" : Formats.bytes(toTarget));
            row.add(Formats.seconds(s.stat(MethodStats.WALL).mean()));
            rows.add(row);
        }
        return markdown(head, rows);
    }

    /** Steps to target of every run: rows are methods, columns seeds. */
    static String perSeed(List<String> methods, List<Long> seeds, List<ComparisonResult.Outcome> runs) {
        List<String> head = new ArrayList<>(List.of("method"));
        for (long s : seeds) head.add("seed " + s);
        List<List<String>> rows = new ArrayList<>();
        for (String m : methods) {
            List<String> row = new ArrayList<>(List.of(m));
            for (long s : seeds) {
                ComparisonResult.Outcome r = runs.stream().filter(o -> o.run().seed() == s && o.run().role().equals(m))
                        .findFirst().orElse(null);
                row.add(r == null ? "-" : stepsCell(r.summary()));
            }
            rows.add(row);
        }
        return markdown(head, rows);
    }

    private static String stepsCell(Map<String, Object> summary) {
        Number steps = MethodStats.value(summary, MethodStats.STEPS);
        if (steps != null) return Formats.count(steps);
        return "not reached (" + Formats.percent(MethodStats.value(summary, MethodStats.FINAL_ACCURACY)) + ")";
    }

    private static String toTarget(MethodStats s, String measure, boolean flops) {
        if (s.reached() == 0) return "-";
        String cell = range(s.stat(measure), flops ? Formats::flops : Formats::count);
        return s.allReached() ? cell : cell + " (" + s.reached() + "/" + s.runs() + " seeds)";
    }

    /** "1,200", or "> 10,000" when the median is a seed that missed the target. */
    private static String median(MethodStats.Median m, java.util.function.Function<Number, String> f) {
        if (Double.isNaN(m.value())) return "-";
        return (m.censored() ? "> " : "") + f.apply(m.value());
    }

    /** The ratio of two medians; a bound when one is censored, "-" when both are. */
    private static String medianRatio(MethodStats.Median mine, MethodStats.Median ref) {
        if (mine.censored() && ref.censored() || Double.isNaN(mine.value()) || !(ref.value() > 0)) return "-";
        String r = Formats.ratio(mine.value() / ref.value());
        return mine.censored() ? "> " + r : ref.censored() ? "< " + r : r;
    }

    /** "mean [min..max]", or one value when the seeds agree or there is one; "-" when there is none. */
    static String range(MethodStats.Stat st, java.util.function.Function<Number, String> f) {
        if (st.isEmpty()) return "-";
        if (st.count() == 1 || st.min().equals(st.max())) return f.apply(st.mean());
        return f.apply(st.mean()) + " [" + f.apply(st.min()) + ".." + f.apply(st.max()) + "]";
    }

    static String markdown(List<String> head, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        line(sb, head);
        sb.append('|');
        for (int i = 0; i < head.size(); i++) sb.append(i == 0 ? " --- |" : " ---: |");
        sb.append('\n');
        for (List<String> r : rows) line(sb, r);
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells) {
        sb.append('|');
        for (String c : cells) sb.append(' ').append(c.replace("|", "\\|")).append(" |");
        sb.append('\n');
    }
}
