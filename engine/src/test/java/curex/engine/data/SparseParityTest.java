// Tests of the sparse parity task: the label rule, purity in (seed, step), stream separation, balance.
package curex.engine.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class SparseParityTest {

    /** Label straight from the definition: 1 iff the product of the support coordinates is -1. */
    private static float productLabel(float[] x, int row, int n, int[] support) {
        float p = 1;
        for (int c : support) p *= x[row * n + c];
        return p == -1f ? 1f : 0f;
    }

    @Test
    void labelsFollowTheProductRuleOnTheFirstKCoordinates() {
        SparseParity task = new SparseParity(70, 6);   // n > 64: samples span two random words
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5}, task.support());
        LabeledBatch b = task.batch(11, 3, 257);
        for (int r = 0; r < b.size(); r++) {
            assertEquals(productLabel(b.x(), r, 70, task.support()), b.y()[r], "row " + r);
            for (int c = 0; c < 70; c++) {
                float v = b.x()[r * 70 + c];
                assertTrue(v == 1f || v == -1f, "coordinate " + v);
            }
        }
    }

    @Test
    void randomSupportIsASeededKSubsetAndDrivesTheLabel() {
        SparseParity a = SparseParity.withRandomSupport(40, 6, 5);
        assertArrayEquals(a.support(), SparseParity.withRandomSupport(40, 6, 5).support());
        int[] s = a.support();
        assertEquals(6, s.length);
        assertEquals(6, Arrays.stream(s).distinct().count());
        assertTrue(Arrays.stream(s).allMatch(c -> c >= 0 && c < 40));
        boolean differs = false;
        for (long seed = 6; seed < 12 && !differs; seed++)
            differs = !Arrays.equals(s, SparseParity.withRandomSupport(40, 6, seed).support());
        assertTrue(differs, "different seeds choose different supports");
        LabeledBatch b = a.batch(1, 0, 500);
        for (int r = 0; r < 500; r++) assertEquals(productLabel(b.x(), r, 40, s), b.y()[r]);
        assertArrayEquals(new int[]{0, 1, 2, 3, 4}, SparseParity.withRandomSupport(5, 5, 9).support());
    }

    @Test
    void batchesArePureFunctionsOfSeedAndStep() {
        SparseParity task = new SparseParity(50, 4);
        float[] x1 = new float[64 * 50], y1 = new float[64], x2 = new float[64 * 50], y2 = new float[64];
        task.batch(42, 1000, 64, x1, y1);
        task.batch(42, 7, 64, x2, y2);          // an unrelated call in between changes nothing
        assertFalse(Arrays.equals(x1, x2), "different steps give different batches");
        task.batch(42, 1000, 64, x2, y2);
        assertArrayEquals(x1, x2);
        assertArrayEquals(y1, y2);
        assertArrayEquals(x1, new SparseParity(50, 4).batch(42, 1000, 64).x(), "a fresh instance agrees");
        assertFalse(Arrays.equals(x1, task.batch(43, 1000, 64).x()), "different seeds differ");
        // a larger batch of the same step starts with the same rows
        float[] big = task.batch(42, 1000, 100).x();
        assertArrayEquals(x1, Arrays.copyOf(big, 64 * 50));
    }

    @Test
    void heldOutComesFromAStreamDisjointFromTraining() {
        SparseParity task = new SparseParity(40, 6);
        LabeledBatch held = task.heldOut(3, 512);
        assertArrayEquals(held.x(), task.heldOut(3, 512).x(), "held-out set is fixed");
        assertFalse(Arrays.equals(held.x(), task.heldOut(4, 512).x()), "depends on the seed");
        Set<String> heldRows = rows(held);
        assertEquals(512, heldRows.size(), "2^40 inputs: no repeats expected");
        // no held-out row appears among the first training batches of the same seed, nor of nearby seeds
        for (long seed = 2; seed <= 4; seed++)
            for (long step = 0; step < 40; step++)
                for (String r : rows(task.batch(seed, step, 128)))
                    assertFalse(heldRows.contains(r), "held-out row seen in training, seed " + seed + " step " + step);
        assertEquals(SparseParity.DEFAULT_HELD_OUT, task.heldOut(3).size());
    }

    private static Set<String> rows(LabeledBatch b) {
        Set<String> s = new HashSet<>();
        for (int r = 0; r < b.size(); r++)
            s.add(Arrays.toString(Arrays.copyOfRange(b.x(), r * b.features(), (r + 1) * b.features())));
        return s;
    }

    @Test
    void labelsAndCoordinatesAreBalanced() {
        SparseParity task = new SparseParity(30, 3);
        int rows = 20_000;
        LabeledBatch b = task.batch(9, 0, rows);
        double ones = 0, negatives = 0;
        for (float v : b.y()) ones += v;
        for (float v : b.x()) if (v < 0) negatives++;
        // 5 standard deviations of a fair coin
        assertEquals(0.5, ones / rows, 5 * 0.5 / Math.sqrt(rows));
        assertEquals(0.5, negatives / b.x().length, 5 * 0.5 / Math.sqrt(b.x().length));
        LabeledBatch h = task.heldOut(9);
        double heldOnes = 0;
        for (float v : h.y()) heldOnes += v;
        assertEquals(0.5, heldOnes / h.size(), 5 * 0.5 / Math.sqrt(h.size()));
    }

    @Test
    void invalidArgumentsAreExplained() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SparseParity(10, 11));
        assertTrue(e.getMessage().contains("1 <= k <= n") && e.getMessage().contains("11"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SparseParity(0, 1));
        assertTrue(e.getMessage().contains("n must be >= 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SparseParity(10, 0));
        assertThrows(IllegalArgumentException.class, () -> SparseParity.withRandomSupport(5, 6, 1));
        SparseParity t = new SparseParity(10, 2);
        assertThrows(IllegalArgumentException.class, () -> t.batch(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> t.batch(0, -1, 4));
        assertThrows(IllegalArgumentException.class, () -> t.batch(0, 0, 4, new float[39], new float[4]));
    }
}
