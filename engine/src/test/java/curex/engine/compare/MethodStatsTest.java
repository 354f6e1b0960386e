// Aggregation over seeds: "to target" figures over the seeds that reached it, totals, and the table's cells.
package curex.engine.compare;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class MethodStatsTest {

    private static Map<String, Object> run(Long steps, Long student, Long teacher, double accuracy, long storage) {
        Map<String, Object> m = new HashMap<>();
        m.put("steps_to_target", steps);
        m.put("samples_to_target", steps == null ? null : steps * 128);
        m.put("train_flops_to_target", student);
        m.put("teacher_flops_to_target", teacher);
        m.put("final_accuracy", accuracy);
        m.put("best_accuracy", accuracy);
        m.put("wall_seconds", 2.0);
        m.put("storage_bytes", storage);
        m.put("steps", 10_000L);
        m.put("train_flops", 100_000L);
        return m;
    }

    @Test
    void toTargetFiguresAverageOverTheSeedsThatReachedIt() {
        MethodStats s = MethodStats.of("oneshot", List.of(run(100L, 1000L, 500L, 0.99, 10),
                run(null, null, null, 0.6, 10), run(300L, 3000L, 1500L, 1.0, 10)));
        assertEquals(3, s.runs());
        assertEquals(2, s.reached());
        assertFalse(s.allReached());
        assertEquals(new MethodStats.Stat(200.0, 100.0, 300.0, 2), s.stat(MethodStats.STEPS));
        assertEquals(new MethodStats.Stat(3000.0, 1500.0, 4500.0, 2), s.stat(MethodStats.TOTAL_FLOPS));
        assertEquals((0.99 + 0.6 + 1.0) / 3, s.stat(MethodStats.FINAL_ACCURACY).mean(), 1e-12);
        assertEquals(3, s.stat(MethodStats.FINAL_ACCURACY).count());
        Map<String, Object> json = s.toMap();
        assertEquals(2, json.get("reached_target"));
        assertThrows(IllegalArgumentException.class, () -> s.stat("speed"));
        // the median counts the failed seed as more than its budget: 100, 300, > 10,000 -> 300
        assertEquals(new MethodStats.Median(300, false), s.median(MethodStats.STEPS));
        MethodStats twoFail = MethodStats.of("ce", List.of(run(100L, 1000L, 500L, 0.99, 10),
                run(null, null, null, 0.6, 10), run(null, null, null, 0.5, 10)));
        assertEquals(new MethodStats.Median(10_000, true), twoFail.median(MethodStats.STEPS), "censored: > budget");
        assertEquals(new MethodStats.Median(100_000, true), twoFail.median(MethodStats.STUDENT_FLOPS));
    }

    @Test
    void theTableSaysNotReachedWithTheAccuracyAndMarksPartialResults() {
        MethodStats none = MethodStats.of("ce", List.of(run(null, null, null, 0.5, 0), run(null, null, null, 0.7, 0)));
        MethodStats some = MethodStats.of("oneshot", List.of(run(100L, 1000L, 500L, 0.99, 2000), run(null, null, null, 0.6, 2000)));
        MethodStats all = MethodStats.of("extract", List.of(run(50L, 500L, 100L, 1.0, 1000), run(150L, 1500L, 300L, 1.0, 1000)));
        String table = ResultTable.methods(List.of(none, some, all));
        List<String> rows = table.lines().toList();
        assertEquals(5, rows.size(), table);
        assertTrue(rows.get(2).startsWith("| ce | 0/2 | not reached (60.00%) | > 10,000 | - | > 1.00e5 |"), rows.get(2));
        assertTrue(rows.get(2).contains("| none |"), rows.get(2));
        assertTrue(rows.get(3).contains("| 100 (1/2 seeds) |"), rows.get(3));
        assertTrue(rows.get(3).contains("| 1.0x |"), "oneshot's 1000 vs extract's mean 1000: " + rows.get(3));
        assertTrue(rows.get(3).contains("| > 10,000 |") && rows.get(3).contains("| > 100x |"),
                "oneshot's median is a failed seed's budget: " + rows.get(3));
        assertTrue(rows.get(4).contains("| 100 [50..150] |"), rows.get(4));
        assertTrue(rows.get(4).contains("| 1.00 KB |"), rows.get(4));
    }
}
