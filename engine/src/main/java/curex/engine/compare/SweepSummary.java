// A sweep's verdict: each setting's student FLOPs to target over seeds, the best fixed setting, and auto against it.
package curex.engine.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings are ranked by the median over every seed of student FLOPs to target (a seed that missed the target counts
 * as more than its whole budget, {@link MethodStats.Median}). The best fixed setting is the first of the ranking that
 * is not automatic (an id starting with {@link SweepGrid#AUTO}); the ratio is the automatic arm's median over the best one's (a goal of at most 1.2).
 */
public record SweepSummary(List<MethodStats> ranked, String autoId, MethodStats best, MethodStats auto) {

    public static SweepSummary of(List<MethodStats> stats, String autoId) {
        Comparator<MethodStats> byMedian = Comparator.comparing((MethodStats s) -> s.median(MethodStats.STUDENT_FLOPS)
                .censored()).thenComparingDouble(s -> s.median(MethodStats.STUDENT_FLOPS).value());
        List<MethodStats> ranked = new ArrayList<>(stats);
        ranked.sort(byMedian);
        MethodStats best = ranked.stream().filter(s -> !automatic(s.method())).findFirst().orElse(null);
        MethodStats auto = stats.stream().filter(s -> s.method().equals(autoId)).findFirst().orElse(null);
        return new SweepSummary(List.copyOf(ranked), autoId, best, auto);
    }

    /** Auto's median student FLOPs over the best fixed setting's; NaN when either is missing or censored. */
    public double ratio() {
        if (best == null || auto == null) return Double.NaN;
        MethodStats.Median a = auto.median(MethodStats.STUDENT_FLOPS), b = best.median(MethodStats.STUDENT_FLOPS);
        return a.censored() || b.censored() ? Double.NaN : a.value() / b.value();
    }

    /** Whether auto reached the target on at least as many seeds as the fixed setting that reached it most often. */
    public boolean autoReachesWhereFixedDoes() {
        if (auto == null) return false;
        int most = ranked.stream().filter(s -> !automatic(s.method())).mapToInt(MethodStats::reached).max().orElse(0);
        return auto.reached() >= most;
    }

    /** Whether an arm is one of the automatic ones. */
    static boolean automatic(String id) {
        return id.equals(SweepGrid.AUTO) || id.startsWith(SweepGrid.AUTO + "-");
    }

    /** The ranking as a Markdown table, then one line with the verdict. */
    public String markdown() {
        return table() + "\n" + verdict();
    }

    /** The ranking as a Markdown table. */
    public String table() {
        List<List<String>> rows = new ArrayList<>();
        for (MethodStats s : ranked) {
            MethodStats.Median m = s.median(MethodStats.STUDENT_FLOPS);
            rows.add(List.of(s.method(), s.reached() + "/" + s.runs(),
                    (m.censored() ? "> " : "") + Formats.flops(m.value()),
                    ResultTable.range(s.stat(MethodStats.STEPS), Formats::count),
                    best == null || best.median(MethodStats.STUDENT_FLOPS).censored() || m.censored() ? "-"
                            : String.format(java.util.Locale.ROOT, "%.2fx", m.value() / best.median(MethodStats.STUDENT_FLOPS).value())));
        }
        return ResultTable.markdown(List.of("setting", "reached target", "median student FLOPs to target",
                "steps to target (reached seeds)", "vs best fixed"), rows);
    }

    /** One line: the best fixed setting, and this summary's automatic arm against it. */
    public String verdict() {
        double r = ratio();
        String verdict = best == null || auto == null ? "" : "Best fixed setting: " + best.method() + "; " + autoId
                + " needs " + (Double.isNaN(r) ? "an undetermined multiple (a median missed the target)" : String.format(java.util.Locale.ROOT, "%.2fx", r))
                + " of its median student FLOPs and reached the target on " + auto.reached() + "/" + auto.runs()
                + " seeds (the best fixed setting on " + best.reached() + "/" + best.runs() + ").\n";
        return verdict;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ranking", ranked.stream().map(MethodStats::method).toList());
        m.put("best_fixed", best == null ? null : best.method());
        m.put("best_fixed_median_student_flops", best == null ? null : best.median(MethodStats.STUDENT_FLOPS).toMap());
        m.put("auto", autoId);
        m.put("auto_median_student_flops", auto == null ? null : auto.median(MethodStats.STUDENT_FLOPS).toMap());
        double r = ratio();
        m.put("auto_vs_best", Double.isNaN(r) ? null : r);
        m.put("auto_reaches_where_fixed_does", autoReachesWhereFixedDoes());
        return m;
    }
}
