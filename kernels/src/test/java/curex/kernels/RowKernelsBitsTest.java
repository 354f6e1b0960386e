// Kernels that keep sums in registers (or copy through vector tiles) give the bits of the plain loops they replace.
package curex.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RowKernelsBitsTest {
    private static final int W = VectorMath.W;

    @Test
    void tiledTransposeCopiesEveryFloatAndZeroesOnlyThePaddingItReaches() {
        SplittableRandom random = new SplittableRandom(11);
        for (int rows : new int[] {1, 5, 8, 13, 16, 21, 37})
            for (int cols : new int[] {1, 7, 8, 12, 16, 24, 32, 33, 40}) {
                int lda = cols + 5, ldt = (rows + 7) / 8 * 8 + 3, a0 = 2;
                float[] a = new float[a0 + rows * lda];
                for (int i = 0; i < a.length; i++) a[i] = (float) random.nextGaussian();
                float[] got = new float[cols * ldt];
                Arrays.fill(got, Float.NaN);   // what the copy does not write stays NaN
                VectorTranspose.block(a, a0, lda, rows, cols, got, ldt);
                for (int p = 0; p < cols; p++)
                    for (int j = 0; j < ldt; j++) {
                        float g = got[p * ldt + j];
                        String where = rows + "x" + cols + " at (" + p + ", " + j + ")";
                        if (j < rows) assertEquals(a[a0 + j * lda + p], g, where);
                        // padding up to a multiple of 8: zero where a tile reached it, else untouched
                        else if (j < (rows + 7) / 8 * 8 && VectorTranspose.TILES && p < cols / W * W)
                            assertEquals(0f, g, where);
                        else assertTrue(Float.isNaN(g), where);
                    }
            }
    }

    @Test
    void fourSoftmaxRowsAtOnceEqualRowByRow() {
        SplittableRandom random = new SplittableRandom(7);
        for (int cols : new int[] {W, 2 * W, 5 * W})
            for (int stride : new int[] {cols, cols + 3}) {
                float[] z = new float[3 + 4 * stride];
                for (int i = 0; i < z.length; i++)
                    z[i] = random.nextInt(5) == 0 ? Float.NEGATIVE_INFINITY : (float) (8 * random.nextGaussian());
                for (int r = 0; r < 4; r++) z[3 + r * stride] = (float) random.nextGaussian();   // no row all -inf
                float[] want = z.clone(), got = z.clone();
                for (int r = 0; r < 4; r++) VectorSoftmax.row(want, 3 + r * stride, want, 3 + r * stride, cols, false);
                assertTrue(VectorSoftmax.fourRows(got, 3, stride, cols));
                assertArrayEquals(want, got, "cols " + cols + ", stride " + stride);
            }
    }

    @Test
    void fourSoftmaxRowsLeaveARowOfMinusInfinityOrNaNToTheRowKernel() {
        float[] z = new float[4 * W];
        for (int i = 0; i < z.length; i++) z[i] = i % 3;
        Arrays.fill(z, 2 * W, 3 * W, Float.NEGATIVE_INFINITY);
        float[] before = z.clone();
        assertFalse(VectorSoftmax.fourRows(z, 0, W, W));
        assertArrayEquals(before, z);
        z[1] = Float.NaN;   // a diverged row beside the all -inf one: still row()'s to handle
        before = z.clone();
        assertFalse(VectorSoftmax.fourRows(z, 0, W, W));
        assertArrayEquals(before, z);
    }

    @Test
    void aLastQueryAloneInItsGroupGetsTheBitsItWouldGetInAFullGroup() {
        int queries = 5, seq = 7, headDim = 2 * W + 3, n = headDim;   // groups of four queries, then one alone
        SplittableRandom random = new SplittableRandom(3);
        float[] q = new float[queries * n], k = new float[seq * n], v = new float[seq * n];
        for (float[] a : new float[][] {q, k, v}) for (int i = 0; i < a.length; i++) a[i] = (float) random.nextGaussian();
        float[] moved = new float[q.length];   // the last query first, so that it is computed in a full group
        System.arraycopy(q, (queries - 1) * n, moved, 0, n);
        System.arraycopy(q, 0, moved, n, (queries - 1) * n);
        try (VectorBackend be = new VectorBackend(1)) {
            float[] alone = attend(be, q, k, v, queries, seq, headDim), inGroup = attend(be, moved, k, v, queries, seq,
                    headDim);
            assertArrayEquals(Arrays.copyOfRange(inGroup, 0, n), Arrays.copyOfRange(alone, (queries - 1) * n, queries * n));
        }
    }

    /** One head's attention output (queries, headDim), one sequence. */
    private static float[] attend(Backend be, float[] q, float[] k, float[] v, int queries, int seq, int headDim) {
        Span qs = be.allocate(q.length).all(), ks = be.allocate(k.length).all(), vs = be.allocate(v.length).all();
        be.copyFromHost(q, 0, qs);
        be.copyFromHost(k, 0, ks);
        be.copyFromHost(v, 0, vs);
        Span probs = be.allocate((long) queries * seq).all(), out = be.allocate(q.length).all();
        be.attention(qs, ks, vs, null, 1, queries, seq, 1, headDim, 0.25f, probs, out);
        float[] host = new float[q.length];
        be.copyToHost(out, host, 0);
        return host;
    }

    @Test
    void accumulatingRowsInRegistersEqualsAccumulatingRowByRow() {
        SplittableRandom random = new SplittableRandom(11);
        for (int n : new int[] {1, W - 1, W, 4 * W, 4 * W + 3, 9 * W + 5}) {
            int ld = n + 2, rows = 70;
            float[] v = new float[5 + rows * ld];
            for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian() * (1 << random.nextInt(20));
            float[] acc = new float[n + 1];
            for (int i = 0; i < acc.length; i++) acc[i] = (float) random.nextGaussian();
            float[] want = acc.clone(), got = acc.clone();
            for (int r = 3; r < 67; r++) VectorColumns.accumulate(v, 5 + r * ld, want, 1, n);
            VectorColumns.accumulateRows(v, 5, ld, 3, 67, got, 1, n);
            assertArrayEquals(want, got, "n " + n);
        }
    }
}
