// The adaptive stage end: a flat loss ends the stage after the first window plus `patience` windows; steady
// improvement runs to the maximum.
package curex.engine.distill;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PlateauDetectorTest {

    private static long stepsUntilDone(Stage.End end, java.util.function.LongToDoubleFunction loss, long limit) {
        for (long n = 1; n <= limit; n++) if (end.done(n, (float) loss.applyAsDouble(n))) return n;
        return -1;
    }

    @Test
    void flatLossEndsAfterPatienceWindows() {
        StageLength len = StageLength.adaptive(3, 10_000, 20);
        // window 1 sets the best; windows 2, 3, 4 fail to improve -> done at step 80
        assertEquals(80, stepsUntilDone(Stage.End.of(len, len.maxSteps(), 10_000), n -> 1.0, 10_000));
    }

    @Test
    void improvementBelowOnePercentCountsAsAPlateau() {
        StageLength len = StageLength.adaptive(2, 10_000, 10);
        // each window 0.5% lower than the last: no window improves on the best by 1%
        assertEquals(30, stepsUntilDone(Stage.End.of(len, len.maxSteps(), 10_000), n -> Math.pow(0.995, (n - 1) / 10), 10_000));
        // each window 5% lower: never a plateau, ends at the maximum
        StageLength capped = StageLength.adaptive(2, 200, 10);
        assertEquals(200, stepsUntilDone(Stage.End.of(capped, capped.maxSteps(), 10_000), n -> Math.pow(0.95, (n - 1) / 10), 10_000));
    }

    @Test
    void fixedAndFractionEndAfterTheirSteps() {
        assertEquals(7, stepsUntilDone(Stage.End.of(StageLength.fixed(7), 7, 100), n -> 1.0, 100));
        StageLength f = StageLength.fraction(0.05);
        assertEquals(25, stepsUntilDone(Stage.End.of(f, f.maxStepsFor(500), 500), n -> 1.0, 100));
    }
}
