// The memory `--parallel` plans for: runs side by side, except a shared teacher that every student waits on.
package curex.cli;

import curex.engine.compare.ComparisonPlan;
import curex.engine.compare.Preset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelOptionTest {

    private static ComparisonPlan plan(Preset p) {
        return new ComparisonPlan(p, 3, ComparisonPlan.allMethods());
    }

    @Test
    void teachersOfTheirOwnSeedMayTrainSideBySide() {
        ComparisonPlan p = plan(Preset.tfParityQuick());
        assertEquals(2 * ParallelOption.need(p, 1), ParallelOption.need(p, 2));
        assertEquals(3 * ParallelOption.need(p, 1), ParallelOption.need(p, 3));
    }

    @Test
    void aSharedTeacherThatSetsTheTargetsTrainsAloneSoOnlyStudentsAddUp() {
        ComparisonPlan p = plan(Preset.pcfgQuick());
        long one = ParallelOption.need(p, 1), two = ParallelOption.need(p, 2);
        assertTrue(two < 2 * one, two + " vs " + one);
        long many = ParallelOption.need(p, 16);
        assertTrue(many > one && many < 16 * one, many + " vs " + one);
    }
}
