// The sweep's grid of extraction settings and its verdict: ranking by median FLOPs, best fixed, auto against it.
package curex.engine.compare;

import curex.engine.distill.Method;
import curex.engine.distill.StageLength;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SweepTest {

    @Test
    void theGridCoversLengthsLayersAndAdapterThenAuto() {
        List<Variant> twoBlocks = SweepGrid.of(Preset.tfParityQuick(), List.of(50L, 100L));
        assertEquals(List.of("len50-all", "len50-all-noadapter", "len50-last", "len50-last-noadapter", "len100-all",
                "len100-all-noadapter", "len100-last", "len100-last-noadapter", "auto", "auto-adapter"),
                twoBlocks.stream().map(Variant::id).toList());
        Variant last = twoBlocks.get(3);
        assertEquals(Method.EXTRACT, last.method());
        assertArrayEquals(new int[]{2}, last.settings().stages());
        assertFalse(last.settings().adapter());
        assertEquals(StageLength.fixed(50), last.settings().stageLength());
        Variant auto = twoBlocks.get(twoBlocks.size() - 2);
        assertFalse(auto.settings().adapter(), "auto is distill's default: no adapter");
        assertTrue(twoBlocks.getLast().settings().adapter());
        assertEquals(StageLength.auto(), auto.settings().stageLength());
        assertEquals(0, auto.settings().stages().length);
        // a one-layer student: "last" is "all", so only the all-layer arms
        assertEquals(List.of("len300-all", "len300-all-noadapter", "auto", "auto-adapter"),
                SweepGrid.of(Preset.quick(), List.of(300L)).stream().map(Variant::id).toList());
    }

    @Test
    void armsWhoseStagesFillTheBudgetAreLeftOutAndNamed() {
        // tf-parity-quick: 2 blocks, a 2,000-step budget; two 1,000-step stages leave no step for KD, one does
        List<String> ids = SweepGrid.of(Preset.tfParityQuick(), List.of(1000L)).stream().map(Variant::id).toList();
        assertEquals(List.of("len1000-last", "len1000-last-noadapter", "auto", "auto-adapter"), ids);
        List<String> out = SweepGrid.leftOut(Preset.tfParityQuick(), List.of(100L, 1000L));
        assertEquals(1, out.size(), out.toString());
        assertTrue(out.getFirst().startsWith("len1000-all") && out.getFirst().contains("2000-step budget"), out.getFirst());
        assertTrue(SweepGrid.leftOut(Preset.tfParityQuick(), List.of(999L)).isEmpty());
    }

    private static MethodStats arm(String id, Double... flops) {
        List<Map<String, Object>> runs = new java.util.ArrayList<>();
        for (Double f : flops) {
            Map<String, Object> s = new java.util.HashMap<>();
            s.put("train_flops", 1e12);
            if (f != null) {
                s.put(MethodStats.STUDENT_FLOPS, f);
                s.put(MethodStats.STEPS, 100);
            }
            runs.add(s);
        }
        return MethodStats.of(id, runs);
    }

    @Test
    void theVerdictRanksByMedianAndComparesAutoWithTheBestFixedSetting() {
        SweepSummary s = SweepSummary.of(List.of(arm("len50", 3e9, 4e9, null), arm("len100", 2e9, 3e9, 9e9),
                arm("auto", 3.3e9, 3.6e9, 2e9), arm("auto-adapter", 1e9, 1e9, 1e9), arm("len300", 5e9, 6e9, 7e9)),
                "auto");
        assertEquals(List.of("auto-adapter", "len100", "auto", "len50", "len300"),
                s.ranked().stream().map(MethodStats::method).toList(),
                "len50's missed seed counts as more than any, which leaves its median at 4e9");
        assertEquals("len100", s.best().method(), "the best fixed setting is never an automatic one");
        assertEquals(3.3 / 3, s.ratio(), 1e-12);
        assertTrue(s.autoReachesWhereFixedDoes());
        assertTrue(s.markdown().contains("Best fixed setting: len100; auto needs 1.10x"), s.markdown());
        SweepSummary missed = SweepSummary.of(List.of(arm("len100", 2e9, 3e9, 9e9), arm("auto", 3e9, null, null),
                arm("len50", 1e9, null, null)), "auto");
        assertFalse(missed.autoReachesWhereFixedDoes());
        assertTrue(Double.isNaN(missed.ratio()), "auto's median lands on a missed seed");
        assertEquals(List.of("len100", "auto", "len50"), missed.ranked().stream().map(MethodStats::method).toList(),
                "censored medians rank after every exact one");
    }
}
