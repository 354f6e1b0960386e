// Tests of the sparse parity task: the label rule, purity in (seed, step), stream separation, balance.
package curex.engine.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class SparseParityTest {

    /** Label straight from the definition: 1 iff the product of the support coordinates is -1. */
    private static int productLabel(float[] x, int row, int n, int[] support) {
        float p = 1;
        for (int c : support) p *= x[row * n + c];
        return p == -1f ? 1 : 0;
    }

    @Test
    void labelsFollowTheProductRuleOnTheFirstKCoordinates() {
        SparseParity task = new SparseParity(70, 6);   // n > 64: samples span two random words
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5}, task.support());
        Batch b = task.batch(11, 3, 257);
        for (int r = 0; r < b.size(); r++) {
            assertEquals(productLabel(b.features(), r, 70, task.support()), b.labels()[r], "row " + r);
            for (int c = 0; c < 70; c++) {
                float v = b.features()[r * 70 + c];
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
        Batch b = a.batch(1, 0, 500);
        for (int r = 0; r < 500; r++) assertEquals(productLabel(b.features(), r, 40, s), b.labels()[r]);
        assertArrayEquals(new int[]{0, 1, 2, 3, 4}, SparseParity.withRandomSupport(5, 5, 9).support());
    }

    @Test
    void batchesArePureFunctionsOfSeedAndStep() {
        SparseParity task = new SparseParity(50, 4);
        Batch one = Batch.of(task, 64), two = Batch.of(task, 64);
        task.fill(42, 1000, one);
        task.fill(42, 7, two);                  // an unrelated call in between changes nothing
        float[] x1 = one.features(), x2 = two.features();
        assertFalse(Arrays.equals(x1, x2), "different steps give different batches");
        task.fill(42, 1000, two);
        assertArrayEquals(x1, x2);
        assertArrayEquals(one.labels(), two.labels());
        assertArrayEquals(x1, new SparseParity(50, 4).batch(42, 1000, 64).features(), "a fresh instance agrees");
        assertFalse(Arrays.equals(x1, task.batch(43, 1000, 64).features()), "different seeds differ");
        // a larger batch of the same step starts with the same rows
        float[] big = task.batch(42, 1000, 100).features();
        assertArrayEquals(x1, Arrays.copyOf(big, 64 * 50));
    }

    @Test
    void heldOutComesFromAStreamDisjointFromTraining() {
        SparseParity task = new SparseParity(40, 6);
        Batch held = task.heldOut(3, 512);
        assertArrayEquals(held.features(), task.heldOut(3, 512).features(), "held-out set is fixed");
        assertFalse(Arrays.equals(held.features(), task.heldOut(4, 512).features()), "depends on the seed");
        Set<String> heldRows = rows(held);
        assertEquals(512, heldRows.size(), "2^40 inputs: no repeats expected");
        // no held-out row appears among the first training batches of the same seed, nor of nearby seeds
        for (long seed = 2; seed <= 4; seed++)
            for (long step = 0; step < 40; step++)
                for (String r : rows(task.batch(seed, step, 128)))
                    assertFalse(heldRows.contains(r), "held-out row seen in training, seed " + seed + " step " + step);
        assertEquals(SparseParity.DEFAULT_HELD_OUT, task.heldOut(3).size());
    }

    private static Set<String> rows(Batch b) {
        Set<String> s = new HashSet<>();
        for (int r = 0; r < b.size(); r++)
            s.add(Arrays.toString(Arrays.copyOfRange(b.features(), r * 40, (r + 1) * 40)));
        return s;
    }

    @Test
    void labelsAndCoordinatesAreBalanced() {
        SparseParity task = new SparseParity(30, 3);
        int rows = 20_000;
        Batch b = task.batch(9, 0, rows);
        double ones = 0, negatives = 0;
        for (int v : b.labels()) ones += v;
        for (float v : b.features()) if (v < 0) negatives++;
        // 5 standard deviations of a fair coin
        assertEquals(0.5, ones / rows, 5 * 0.5 / Math.sqrt(rows));
        assertEquals(0.5, negatives / b.features().length, 5 * 0.5 / Math.sqrt(b.features().length));
        Batch h = task.heldOut(9);
        double heldOnes = 0;
        for (int v : h.labels()) heldOnes += v;
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
        assertThrows(IllegalArgumentException.class, () -> t.fill(0, 0, Batch.of(new SparseParity(9, 2), 4)));
    }
}
