// The automatic stage end: fires when windows stop gaining a share of the stage's gain, skips flat stages, resumes.
package curex.engine.distill;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.LongToDoubleFunction;

import static org.junit.jupiter.api.Assertions.*;

class AutoStageEndTest {

    /** The step (1-based) at which the rule ends a stage whose loss at step s is {@code loss(s)}; -1 if never. */
    private static long endStep(AutoStageEnd end, LongToDoubleFunction loss, long max) {
        for (long s = 1; s <= max; s++) if (end.done(s, (float) loss.applyAsDouble(s))) return s;
        return -1;
    }

    @Test
    void anExponentialDecayEndsOnceItsWindowsGainLittleOfTheWhole() {
        // window means fall by a factor e^-0.5 per window: gains share g(k) = e^{-0.5(k-1)}(1-e^-0.5)/(1-e^{-0.5(k-1)})
        LongToDoubleFunction loss = s -> Math.exp(-s / 20.0);
        AutoStageEnd end = new AutoStageEnd(10, 0.1, 2, 10_000);
        long at = endStep(end, loss, 10_000);
        double[] share = new double[20];
        int firstStale = -1;
        for (int k = 2; k < 20; k++) {
            double m1 = mean(loss, 0), mk1 = mean(loss, k - 2), mk = mean(loss, k - 1);
            share[k] = (mk1 - mk) / (m1 - mk);
            if (firstStale < 0 && share[k] < 0.1 && share[k + 1 < 20 ? k : k] < 0.1) firstStale = k;
        }
        // stale from window firstStale on (shares only fall), so the second stale window ends the stage
        assertEquals((firstStale + 1) * 10L, at, "ends at the end of the second stale window");
        Map<String, Object> r = end.reason();
        assertEquals("auto", r.get("rule"));
        assertEquals("stalled", r.get("trigger"));
        assertEquals(2, r.get("stale_windows"));
        assertTrue(((Number) r.get("gain_share")).doubleValue() < 0.1);
    }

    /** Mean of the loss over window k (steps 10k+1 .. 10k+10). */
    private static double mean(LongToDoubleFunction loss, int k) {
        double s = 0;
        for (long i = 10L * k + 1; i <= 10L * k + 10; i++) s += (float) loss.applyAsDouble(i);
        return s / 10;
    }

    @Test
    void aFlatStageSkipsItselfAfterPatiencePlusOneWindows() {
        AutoStageEnd end = new AutoStageEnd(10, 0.1, 2, 10_000);
        assertEquals(30, endStep(end, s -> 0.5, 10_000));
        assertNull(end.reason().get("gain_share"), "no gain at all");
        assertEquals("flat", end.reason().get("trigger"));
        AutoStageEnd rising = new AutoStageEnd(10, 0.1, 2, 10_000);
        assertEquals(30, endStep(rising, s -> 0.5 + s * 1e-3, 10_000));
    }

    @Test
    void aSteadyLinearDeclineRunsUntilOneWindowIsUnderATenthOfTheWhole() {
        // every window gains the same g; after window k the whole gain is (k-1)g, so the share 1/(k-1) falls under
        // 0.095 from window 12 on (1/10 is above it, 1/11 below), and the second such window, 13, ends the stage
        AutoStageEnd end = new AutoStageEnd(10, 0.095, 2, 10_000);
        assertEquals(130, endStep(end, s -> 10 - s * 1e-3, 10_000));
    }

    @Test
    void theCapEndsAStageThatKeepsImproving() {
        AutoStageEnd end = new AutoStageEnd(10, 0.1, 2, 75);
        assertEquals(75, endStep(end, s -> 10 - s * 1e-3, 10_000), "a linear decline would stall only at step 120");
        assertEquals("cap", end.reason().get("trigger"));
    }

    @Test
    void aRestoredRuleEndsAtTheSameStepAsAnUninterruptedOne() {
        LongToDoubleFunction loss = s -> Math.exp(-s / 30.0) + 0.01 * Math.sin(s);
        long whole = endStep(new AutoStageEnd(10, 0.1, 2, 10_000), loss, 10_000);
        AutoStageEnd first = new AutoStageEnd(10, 0.1, 2, 10_000);
        for (long s = 1; s <= 47; s++) assertFalse(first.done(s, (float) loss.applyAsDouble(s)));
        AutoStageEnd resumed = new AutoStageEnd(10, 0.1, 2, 10_000);
        resumed.restore(first.state());
        long at = -1;
        for (long s = 48; s <= 10_000 && at < 0; s++) if (resumed.done(s, (float) loss.applyAsDouble(s))) at = s;
        assertEquals(whole, at);
    }

    @Test
    void theWindowAndCapScaleWithTheBudget() {
        assertEquals(10, StageLength.windowFor(2000));
        assertEquals(25, StageLength.windowFor(10_000));
        assertEquals(100, StageLength.windowFor(200_000));
        assertEquals(1000, StageLength.auto().maxStepsFor(10_000));
        assertEquals(200, StageLength.auto().maxStepsFor(2000));
        assertEquals(20, StageLength.auto().maxStepsFor(60), "at least two windows");
        assertEquals(StageLength.auto(), StageLength.parse("auto"));
        assertEquals("auto", StageLength.auto().describe());
        assertEquals(StageLength.auto(), StageLength.defaults());
    }
}
