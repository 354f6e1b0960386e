// Correctness of VectorGemm against a double-precision naive product, and bitwise equality across thread counts.
package curex.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tolerance: a float sum of k products, each rounded once by a fused multiply-add, is within
 * {@code k * 2^-24 * sum_p |a_ip b_pj|} of the exact sum (the standard gamma_k bound); the alpha and beta steps add
 * two more roundings. Each element is checked against {@code TOL_ULPS * (k + 2) * 2^-24 * (|alpha| sum|a b| +
 * |beta c_old|)} with the exact value computed in double, so the check is loose for no shape and catches any
 * wrong, missing or doubled product. Operands are stored with offsets and leading dimensions larger than their
 * rows, guard values (NaN) around and between C's rows must survive, and old C holds NaN when beta is 0.
 */
class VectorGemmTest {
    private static final double U = Math.ulp(1.0f) / 2; // 2^-24
    private static final double TOL_ULPS = 2;
    private static final WorkerPool[] POOLS = {new WorkerPool(1), new WorkerPool(2), new WorkerPool(3)};
    private static final VectorGemm[] GEMMS = {new VectorGemm(POOLS[0]), new VectorGemm(POOLS[1]),
            new VectorGemm(POOLS[2])};

    @AfterAll
    static void close() {
        for (WorkerPool p : POOLS) p.close();
    }

    /** One stored product: op(A) (m, k), op(B) (k, n), C (m, n), each with an offset and a padded leading dim. */
    record Problem(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        static Problem random(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int ar = ta ? k : m, ac = ta ? m : k, br = tb ? n : k, bc = tb ? k : n;
            int lda = ac + rnd.nextInt(4), ldb = bc + rnd.nextInt(4), ldc = n + 1 + rnd.nextInt(3);
            int aOff = rnd.nextInt(5), bOff = rnd.nextInt(5), cOff = 1 + rnd.nextInt(5);
            float[] a = fill(new float[aOff + ar * lda + 3], rnd);
            float[] b = fill(new float[bOff + br * ldb + 3], rnd);
            float[] c = new float[cOff + m * ldc + 3];
            java.util.Arrays.fill(c, Float.NaN); // guards; the C cells get values below unless beta == 0
            if (beta != 0)
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) c[cOff + i * ldc + j] = (float) (rnd.nextDouble() * 2 - 1);
            return new Problem(ta, tb, m, n, k, alpha, beta, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        }

        static float[] fill(float[] x, SplittableRandom rnd) {
            for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
            return x;
        }

        float opA(int i, int p) {
            return ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        float opB(int p, int j) {
            return tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }

        /** A copy of C after the product on the given engine. */
        float[] run(VectorGemm g) {
            float[] out = c.clone();
            g.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            return out;
        }

        /** Checks element (i, j) of out against the double-precision product; returns false if it is wrong. */
        boolean elementOk(float[] out, int i, int j, StringBuilder why) {
            double exact = 0, mag = 0;
            for (int p = 0; p < k; p++) {
                double x = (double) opA(i, p) * opB(p, j);
                exact += x;
                mag += Math.abs(x);
            }
            double old = beta == 0 ? 0 : c[cOff + i * ldc + j];
            double want = alpha * exact + beta * old;
            double tol = TOL_ULPS * (k + 2) * U * (Math.abs(alpha) * mag + Math.abs(beta * old)) + Float.MIN_NORMAL;
            float got = out[cOff + i * ldc + j];
            if (Math.abs(got - want) <= tol) return true;
            why.append(String.format("C(%d,%d) = %s, want %s +- %s; ", i, j, got, want, tol));
            return false;
        }

        /** Every element (or `samples` random ones, when positive) is right and no guard cell changed. */
        void check(float[] out, int samples) {
            StringBuilder why = new StringBuilder();
            int bad = 0;
            if (samples <= 0) {
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) if (!elementOk(out, i, j, why)) bad++;
            } else {
                SplittableRandom rnd = new SplittableRandom(m * 31L + n);
                for (int s = 0; s < samples; s++) {
                    int i = s < 4 ? (s < 2 ? 0 : m - 1) : rnd.nextInt(m), j = s % 2 == 0 ? n - 1 : rnd.nextInt(n);
                    if (!elementOk(out, i, j, why)) bad++;
                }
            }
            for (int x = 0; x < out.length; x++) {
                int r = (x - cOff) / ldc, col = (x - cOff) % ldc;
                boolean inC = x >= cOff && r < m && col < n;
                if (!inC && !Float.isNaN(out[x])) {
                    why.append("guard cell ").append(x).append(" overwritten; ");
                    bad++;
                }
            }
            if (bad > 0) fail(this + ": " + bad + " wrong: " + why.substring(0, Math.min(600, why.length())));
        }

        @Override
        public String toString() {
            return (ta ? "T" : "N") + (tb ? "T" : "N") + " " + m + "x" + n + "x" + k + " alpha=" + alpha
                    + " beta=" + beta;
        }
    }

    static Stream<Arguments> exhaustive() {
        int[] sizes = {1, 7, 17};
        float[][] ab = {{1, 0}, {0.5f, 0}, {1, 1}, {-1.5f, 0.25f}};
        List<Arguments> out = new ArrayList<>();
        long seed = 1;
        for (int t = 0; t < 4; t++)
            for (int m : sizes) for (int n : sizes) for (int k : sizes) {
                float[] x = ab[(int) (seed % 4)];
                out.add(Arguments.of(t >= 2, t % 2 == 1, m, n, k, x[0], x[1], seed++));
            }
        int[][] odd = {{1000, 7, 17}, {7, 1000, 17}, {17, 7, 1000}, {257, 1001, 33}, {1, 1000, 1000},
                {1000, 1, 1000}, {63, 47, 70}, {9, 33, 2100}, {40, 50, 1025}, {100, 100, 100}};
        for (int t = 0; t < 4; t++)
            for (int o = 0; o < odd.length; o++)
                for (int v = 0; v < 2; v++) { // two of the alpha/beta variants per shape and transposes, in turn
                    float[] x = ab[(t + o + 2 * v) % 4];
                    out.add(Arguments.of(t >= 2, t % 2 == 1, odd[o][0], odd[o][1], odd[o][2], x[0], x[1], seed++));
                }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}{1} {2}x{3}x{4} alpha={5} beta={6}")
    @MethodSource("exhaustive")
    void matchesDoubleProductEverywhere(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
                                        long seed) {
        Problem p = Problem.random(ta, tb, m, n, k, alpha, beta, seed);
        float[] one = p.run(GEMMS[0]);
        p.check(one, m * n <= 300_000 ? 0 : 4000);
        assertArrayEquals(one, p.run(GEMMS[1]), "2 threads differ from 1: " + p);
    }

    static Stream<Arguments> large() {
        return Stream.of(Arguments.of(false, false), Arguments.of(false, true), Arguments.of(true, false),
                Arguments.of(true, true));
    }

    @ParameterizedTest(name = "{0}{1} 1000x1000x(1000 or 300)")
    @MethodSource("large")
    void largeSquareMatchesOnSampledElements(boolean ta, boolean tb) {
        Problem p = Problem.random(ta, tb, 1000, 1000, ta == tb ? 1000 : 300, 1, 0.5f, ta ? 7 : 8);
        float[] two = p.run(GEMMS[1]);
        p.check(two, 3000);
    }

    @Test
    void resultIsBitwiseTheSameForOneTwoAndThreeThreads() {
        int[][] shapes = {{257, 1001, 33}, {1000, 100, 256}, {256, 100, 2000}, {31, 300, 1100}, {5, 2000, 100},
                {300, 16, 300}};
        for (int t = 0; t < 4; t++)
            for (int[] s : shapes) {
                Problem p = Problem.random(t >= 2, t % 2 == 1, s[0], s[1], s[2], 0.75f, t == 1 ? 0 : 1.25f, t);
                float[] one = p.run(GEMMS[0]);
                assertArrayEquals(one, p.run(GEMMS[1]), "2 threads: " + p);
                assertArrayEquals(one, p.run(GEMMS[2]), "3 threads: " + p);
                assertArrayEquals(one, p.run(GEMMS[1]), "2 threads again (reused scratch): " + p);
            }
    }

    /**
     * Every tile shape, whichever this machine uses (8 rows, packed or from rows; 6 rows from rows; 4 rows packed):
     * each sum is fma(a, b, sum) over k in order from its starting value.
     */
    @ParameterizedTest(name = "{0} rows")
    @ValueSource(ints = {8, 6, 4})
    void microKernelsOfEveryShapeSumEachProductInKOrder(int rows) {
        int l = GemmMicroKernel.L, nr = GemmMicroKernel.NR, lda = 41, ldd = nr + 3;
        SplittableRandom rnd = new SplittableRandom(rows);
        for (int kc : new int[] {1, 2, 5, 37}) {
            float[] packedA = new float[3 + rows * kc], rowsA = new float[3 + rows * lda];
            float[] b = new float[2 + nr * kc], narrowB = new float[2 + l * kc];
            for (float[] x : new float[][] {packedA, rowsA, b, narrowB})
                for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
            for (int variant = rows == 6 ? 2 : 0; variant < (rows == 4 ? 2 : 4); variant++) {
                boolean narrow = variant % 2 == 1, inPlace = variant >= 2;
                int w = narrow ? l : nr;
                float[] bp = narrow ? narrowB : b;
                float[] d = new float[1 + rows * ldd], init = new float[5 + nr];
                java.util.Arrays.fill(d, Float.NaN);
                for (int i = 0; i < init.length; i++) init[i] = (float) (rnd.nextDouble() * 2 - 1);
                if (rows == 8) {
                    if (variant == 0) GemmMicroKernel.full(packedA, 3, bp, 2, kc, init, 5, d, 1, ldd);
                    if (variant == 1) GemmMicroKernel.narrow(packedA, 3, bp, 2, kc, init, 5, d, 1, ldd);
                    if (variant == 2) GemmMicroKernel.fullRows(rowsA, 3, lda, bp, 2, kc, init, 5, d, 1, ldd);
                    if (variant == 3) GemmMicroKernel.narrowRows(rowsA, 3, lda, bp, 2, kc, init, 5, d, 1, ldd);
                } else if (rows == 6) {
                    if (variant == 2) GemmMicroKernel.fullRows6(rowsA, 3, lda, bp, 2, kc, init, 5, d, 1, ldd);
                    if (variant == 3) GemmMicroKernel.narrowRows6(rowsA, 3, lda, bp, 2, kc, init, 5, d, 1, ldd);
                } else {
                    if (variant == 0) GemmMicroKernel.full4(packedA, 3, bp, 2, kc, init, 5, d, 1, ldd);
                    if (variant == 1) GemmMicroKernel.narrow4(packedA, 3, bp, 2, kc, init, 5, d, 1, ldd);
                }
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < ldd; j++) {
                        float want = Float.NaN;
                        if (j < w) {
                            want = init[5 + j];   // the sums start at init
                            for (int p = 0; p < kc; p++) {
                                float x = inPlace ? rowsA[3 + r * lda + p] : packedA[3 + p * rows + r];
                                want = Math.fma(x, bp[2 + p * w + j], want);
                            }
                        }
                        assertEquals(want, d[1 + r * ldd + j], "variant " + variant + " kc " + kc + " C(" + r + ","
                                + j + ")");
                    }
            }
        }
    }

    @Test
    void tileShapeFollowsTheVectorRegisters() {
        boolean sixteen = GemmMicroKernel.L < 16 && GemmMicroKernel.isX86(System.getProperty("os.arch"));
        assertEquals(sixteen ? 4 : 8, GemmMicroKernel.PACKED_ROWS);
        assertEquals(sixteen ? 6 : 8, GemmMicroKernel.ROWS);
        assertEquals(2 * GemmMicroKernel.L, GemmMicroKernel.NR);
        for (String x86 : new String[] {"amd64", "x86_64", "x86", "i386", "i686"})
            assertTrue(GemmMicroKernel.isX86(x86), x86);
        for (String other : new String[] {"aarch64", "riscv64", "ppc64le", "s390x", ""})
            assertFalse(GemmMicroKernel.isX86(other), other);
    }

    @Test
    void zeroAlphaOrEmptyKOnlyScalesC() {
        for (float beta : new float[] {0, 2}) {
            Problem p = Problem.random(false, false, 5, 9, 0, 1, beta, 3);
            float[] out = p.run(GEMMS[1]);
            p.check(out, 0);
            Problem q = Problem.random(true, false, 50, 40, 30, 0, beta, 4);
            float[] outQ = q.run(GEMMS[1]);
            for (int i = 0; i < 50; i++)
                for (int j = 0; j < 40; j++)
                    assertEquals(beta == 0 ? 0f : beta * q.c[q.cOff + i * q.ldc + j], outQ[q.cOff + i * q.ldc + j]);
        }
    }

    @Test
    void batchedMatchesOneProductPerItem() {
        for (int t = 0; t < 4; t++)
            for (int[] s : new int[][] {{7, 17, 9}, {33, 70, 45}, {64, 200, 150}}) {
                boolean ta = t >= 2, tb = t % 2 == 1;
                int m = s[0], n = s[1], k = s[2], batch = 5;
                // One problem large enough for all items: item i uses offsets shifted by i * stride.
                Problem p = Problem.random(ta, tb, m, n, k, 1.5f, 0.5f, 11 + t);
                int sa = p.a.length, sb = p.b.length, sc = p.c.length;
                float[] a = new float[sa * batch], b = new float[sb * batch], c = new float[sc * batch];
                SplittableRandom rnd = new SplittableRandom(t);
                for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextDouble();
                for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextDouble();
                for (int i = 0; i < c.length; i++) c[i] = (float) rnd.nextDouble();
                float[] expect = c.clone();
                for (int i = 0; i < batch; i++)
                    GEMMS[0].gemm(ta, tb, m, n, k, p.alpha, a, p.aOff + i * sa, p.lda, b, p.bOff + i * sb, p.ldb,
                            p.beta, expect, p.cOff + i * sc, p.ldc);
                for (VectorGemm g : GEMMS) {
                    float[] got = c.clone();
                    g.gemmBatched(ta, tb, m, n, k, p.alpha, a, p.aOff, p.lda, sa, b, p.bOff, p.ldb, sb, p.beta, got,
                            p.cOff, p.ldc, sc, batch);
                    assertArrayEquals(expect, got, "batched " + t + " " + m + "x" + n + "x" + k);
                }
                // And item 3 of the batch is right against the double product.
                Problem item = new Problem(ta, tb, m, n, k, p.alpha, p.beta, a, p.aOff + 3 * sa, p.lda, b,
                        p.bOff + 3 * sb, p.ldb, c, p.cOff + 3 * sc, p.ldc);
                StringBuilder why = new StringBuilder();
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) assertTrue(item.elementOk(expect, i, j, why), why::toString);
            }
    }

    /**
     * gemmBiasGrad gives the bits of the product followed by biasGrad's column sums, on one, two and three threads:
     * shapes that split the rows, that split the columns (each task packing all of A), that cut k into several chunks
     * whose bounds are not multiples of biasGrad's 64-row groups, small enough for the unpacked path, and empty n or k;
     * and products that run transposed (A wider than B, k long), split by rows or by columns, the last B panel narrow.
     */
    @Test
    void gemmBiasGradHasTheBitsOfTheProductThenBiasGrad() {
        int[][] shapes = {{70, 40, 2100}, {20, 700, 300}, {300, 50, 400}, {128, 128, 2688}, {5, 3, 7}, {9, 0, 30},
                {7, 5, 0}, {33, 17, 1}, {136, 48, 1100}, {264, 40, 1030}};
        assertTrue(VectorGemm.transposes(136, 48, 1100) && VectorGemm.transposes(264, 40, 1030)
                && !VectorGemm.transposes(70, 40, 2100) && !VectorGemm.transposes(300, 50, 400));
        for (int t = 0; t < shapes.length * 2; t++) {
            int m = shapes[t / 2][0], n = shapes[t / 2][1], k = shapes[t / 2][2];
            float beta = t % 2 == 0 ? 0f : 1f, biasBeta = t % 2 == 0 ? 1f : 0f;
            SplittableRandom rnd = new SplittableRandom(t);
            float[] a = Problem.fill(new float[2 + k * m], rnd), b = Problem.fill(new float[1 + k * n], rnd);
            float[] c = Problem.fill(new float[3 + m * n], rnd), bias = Problem.fill(new float[4 + m], rnd);
            if (beta == 0) java.util.Arrays.fill(c, 3, c.length, Float.NaN);
            else java.util.Arrays.fill(bias, 4, bias.length, Float.NaN);
            float[] wantC = c.clone(), wantBias = bias.clone();
            GEMMS[0].gemm(true, false, m, n, k, 1f, a, 2, m, b, 1, n, beta, wantC, 3, n);
            VectorColumns.biasGrad(POOLS[0], a, 2, k, m, biasBeta, wantBias, 4);
            for (int g = 0; g < GEMMS.length; g++) {
                float[] gotC = c.clone(), gotBias = bias.clone();
                GEMMS[g].gemmBiasGrad(m, n, k, a, 2, b, 1, beta, gotC, 3, biasBeta, gotBias, 4);
                String what = (g + 1) + " threads, " + m + "x" + n + "x" + k + " beta " + beta;
                assertArrayEquals(wantC, gotC, "C, " + what);
                assertArrayEquals(wantBias, gotBias, "bias gradient, " + what);
            }
        }
    }

    /**
     * The transposed weight gradient with betas other than 0 and 1 (C transposed into scratch first), and with beta 0
     * right after a call that left NaN in that scratch: the bits of the product then biasGrad, on one to three threads.
     */
    @Test
    void transposedGemmBiasGradScalesCAndForgetsItsScratch() {
        int m = 136, n = 48, k = 1100;
        assertTrue(VectorGemm.transposes(m, n, k));
        SplittableRandom rnd = new SplittableRandom(99);
        float[] a = Problem.fill(new float[k * m], rnd), b = Problem.fill(new float[k * n], rnd);
        float[] c0 = Problem.fill(new float[1 + m * n], rnd), bias0 = Problem.fill(new float[m], rnd);
        for (float beta : new float[] {0.5f, -1f, 0f}) {
            float[] wantC = c0.clone(), wantBias = bias0.clone();
            GEMMS[0].gemm(true, false, m, n, k, 1f, a, 0, m, b, 0, n, beta, wantC, 1, n);
            VectorColumns.biasGrad(POOLS[0], a, 0, k, m, beta, wantBias, 0);
            for (int g = 0; g < GEMMS.length; g++) {
                float[] nan = new float[1 + m * n], nanBias = new float[m];
                java.util.Arrays.fill(nan, Float.NaN);
                GEMMS[g].gemmBiasGrad(m, n, k, a, 0, b, 0, 1f, nan, 1, 1f, nanBias, 0);   // NaN into the scratch
                float[] gotC = c0.clone(), gotBias = bias0.clone();
                GEMMS[g].gemmBiasGrad(m, n, k, a, 0, b, 0, beta, gotC, 1, beta, gotBias, 0);
                assertArrayEquals(wantC, gotC, "C, " + (g + 1) + " threads, beta " + beta);
                assertArrayEquals(wantBias, gotBias, "bias gradient, " + (g + 1) + " threads, beta " + beta);
            }
        }
    }
}
