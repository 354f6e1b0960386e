// Forward values of the reference backend against hand computations, plus its edge cases and shape errors.
package curex.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReferenceBackendTest {
    private static final float NINF = Float.NEGATIVE_INFINITY;
    private final ReferenceBackend be = new ReferenceBackend();

    @AfterEach
    void close() {
        be.close();
    }

    private Span span(float... v) {
        Span s = be.allocate(v.length).all();
        be.copyFromHost(v, 0, s);
        return s;
    }

    private Span zeros(int n) {
        return be.allocate(n).all();
    }

    private Span ints(int... v) {
        Span s = be.allocateInts(v.length).all();
        be.copyFromHost(v, 0, s);
        return s;
    }

    private int[] readInts(Span s) {
        int[] out = new int[s.intLength()];
        be.copyToHost(s, out, 0);
        return out;
    }

    private float[] read(Span s) {
        float[] out = new float[s.intLength()];
        be.copyToHost(s, out, 0);
        return out;
    }

    private float scalar(Span s) {
        return read(s)[0];
    }

    @Test
    void identity() {
        assertEquals("reference", be.name());
        assertEquals(1, be.threads());
        assertEquals(1, be.vectorWidth());
        assertEquals(java.util.Map.of("backend", "reference", "threads", "1", "vector width", "1 floats"), be.describe());
    }

    // ---------------------------------------------------------------- products

    // A = [[1,2,3],[4,5,6]] (2x3), B = [[7,8],[9,10],[11,12]] (3x2): A B = [[58,64],[139,154]].
    private static final float[] A = {1, 2, 3, 4, 5, 6}, A_T = {1, 4, 2, 5, 3, 6};
    private static final float[] B = {7, 8, 9, 10, 11, 12}, B_T = {7, 9, 11, 8, 10, 12};

    @Test
    void gemmByHandInEveryLayout() {
        float[] expected = {58, 64, 139, 154};
        for (boolean ta : new boolean[] {false, true})
            for (boolean tb : new boolean[] {false, true}) {
                Span c = span(Float.NaN, Float.NaN, Float.NaN, Float.NaN);  // beta 0: NaN must not leak
                be.gemm(ta, tb, 2, 2, 3, 1f, span(ta ? A_T : A), ta ? 2 : 3, span(tb ? B_T : B), tb ? 3 : 2,
                        0f, c, 2);
                assertArrayEquals(expected, read(c), "transA=" + ta + " transB=" + tb);
            }
    }

    @Test
    void gemmAlphaBetaAndLeadingDimensions() {
        // C (2x2) stored with ldc 3 in a 6-element span; the padding column must stay as it was.
        Span c = span(1, 2, -7, 3, 4, -7);
        be.gemm(false, false, 2, 2, 3, 2f, span(A), 3, span(B), 2, 0.5f, c, 3);
        assertArrayEquals(new float[] {2 * 58 + 0.5f, 2 * 64 + 1, -7, 2 * 139 + 1.5f, 2 * 154 + 2, -7}, read(c));
    }

    @Test
    void gemmBatchedRunsEachBatchWithItsStride() {
        // batch 2 of (1x2)(2x1) with padding: A = [1,2 | pad | 3,4], B = [5,6 | pad | 7,8].
        Span a = span(1, 2, 99, 3, 4), b = span(5, 6, 99, 7, 8), c = span(0, 42, 0);
        be.gemmBatched(false, false, 1, 1, 2, 1f, a, 2, 3, b, 1, 3, 0f, c, 1, 2, 2);
        assertArrayEquals(new float[] {1 * 5 + 2 * 6, 42, 3 * 7 + 4 * 8}, read(c));
    }

    // ---------------------------------------------------------------- elementwise and activations

    @Test
    void elementwise() {
        Span a = span(1, -2, 3), b = span(4, 5, -6), out = zeros(3);
        be.add(a, b, out);
        assertArrayEquals(new float[] {5, 3, -3}, read(out));
        be.mul(a, b, out);
        assertArrayEquals(new float[] {4, -10, -18}, read(out));
        be.scale(-0.5f, a, out);
        assertArrayEquals(new float[] {-0.5f, 1, -1.5f}, read(out));
        be.axpy(2f, b, a);
        assertArrayEquals(new float[] {9, 8, -9}, read(a));
        be.add(a, b, a);  // out aliases a
        assertArrayEquals(new float[] {13, 13, -15}, read(a));
    }

    @Test
    void biasAddAndGrad() {
        Span out = zeros(6), dBias = span(1, 1, 1);
        be.biasAdd(span(1, 2, 3, 4, 5, 6), 2, 3, span(10, 20, 30), out);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, read(out));
        be.biasGrad(span(1, 2, 3, 4, 5, 6), 2, 3, 1f, dBias);
        assertArrayEquals(new float[] {6, 8, 10}, read(dBias));
        be.biasGrad(span(1, 2, 3, 4, 5, 6), 2, 3, 0f, dBias);
        assertArrayEquals(new float[] {5, 7, 9}, read(dBias));
    }

    @Test
    void reluAndGelu() {
        Span x = span(-2, -0.5f, 0, 0.5f, 3), out = zeros(5);
        be.relu(x, out);
        assertArrayEquals(new float[] {0, 0, 0, 0.5f, 3}, read(out));
        be.gelu(x, out);
        float[] g = read(out);
        for (int i = 0; i < 5; i++) {
            double v = read(x)[i];
            double hand = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            assertEquals(hand, g[i], 1e-6);
        }
        assertEquals(0.841192f, gelu1(), 1e-5f);  // gelu(1), tanh form
        assertEquals(0f, g[2]);
        assertEquals(3f, g[4], 0.01f, "gelu(x) -> x for large x");
    }

    private float gelu1() {
        Span out = zeros(1);
        be.gelu(span(1f), out);
        return scalar(out);
    }

    // ---------------------------------------------------------------- layout and rows

    @Test
    void stridedCopyTransposesAndAccumulatesByHand() {
        // [[1, 2, 3], [4, 5, 6]] transposed: walk the (3, 2) destination with source strides (1, 3).
        Span src = span(1, 2, 3, 4, 5, 6), dst = span(Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, 9);
        be.stridedCopy(new int[] {3, 2}, src, new long[] {1, 3}, dst, new long[] {2, 1}, 0f);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, read(dst));
        be.stridedCopy(new int[] {3, 2}, src, new long[] {1, 3}, dst, new long[] {2, 1}, 1f);
        assertArrayEquals(new float[] {2, 8, 4, 10, 6, 12}, read(dst));
        be.stridedCopy(new int[] {2}, span(1, 1), new long[] {1}, dst, new long[] {4}, 0.5f);   // elements 0, 4
        assertArrayEquals(new float[] {2, 8, 4, 10, 4, 12}, read(dst));
    }

    @Test
    void rowDotAndRowScaleByHand() {
        Span out = span(Float.NaN, Float.NaN);
        be.rowDot(span(1, 2, 3, 4, 5, 6), span(1, 0, -1, 2, 2, 2), 2, 3, out);
        assertArrayEquals(new float[] {-2, 30}, read(out));
        Span scaled = span(Float.NaN, Float.NaN, Float.NaN, 1, 1, 1);
        be.rowScale(span(1, 2, 3, 4, 5, 6), 2, 3, span(2, -1), 0f, scaled);
        assertArrayEquals(new float[] {2, 4, 6, -4, -5, -6}, read(scaled));
        be.rowScale(span(1, 2, 3, 4, 5, 6), 2, 3, span(1, 1), 1f, scaled);
        assertArrayEquals(new float[] {3, 6, 9, 0, 0, 0}, read(scaled));
    }

    @Test
    void cosineLossByHand() {
        // Row 0: x = (1, 0), y = (1, 1): cos = 1/sqrt(2). Row 1: x = 0 (clamped to eps), y = (0, 2): cos = 0.
        float eps = 1e-8f;
        Span dots = span(1, 0, /* x.x */ 1, 0, /* y.y */ 2, 4), loss = zeros(1);
        be.cosineLoss(dots, 2, eps, loss);
        double cos = 1 / Math.sqrt(2);
        assertEquals(((1 - cos) + 1) / 2, scalar(loss), 1e-7);
        Span coef = span(new float[8]);
        be.fill(coef, Float.NaN);
        be.cosineLossBackward(dots, 2, eps, span(2f), coef);   // s = dLoss / rows = 1
        float[] k = read(coef);
        double nx = 1, ny = Math.sqrt(2);
        assertEquals(-1 / (nx * ny), k[0], 1e-7);
        assertEquals(cos / (nx * nx), k[2], 1e-7);
        assertEquals(0f, k[3], "x of row 1 is clamped");
        assertEquals(-1 / (nx * ny), k[4], 1e-7);
        assertEquals(cos / (ny * ny), k[6], 1e-7);
        assertEquals(-1 / (eps * 2.0), k[5], 1e-7 * 5e7);
        assertEquals(0f, k[7], 0f, "cos of row 1 is 0");
    }

    // ---------------------------------------------------------------- softmax family

    @Test
    void softmaxByHandAndRowsSumToOne() {
        double l2 = Math.log(2), l3 = Math.log(3);
        // Row 0: exp weights 1:2:3. Row 1: the same shifted by 1000 (no overflow).
        Span x = span(0, (float) l2, (float) l3, 1000, 1000 + (float) l2, 1000 + (float) l3), y = zeros(6);
        be.softmax(x, 2, 3, null, 1, y);
        float[] p = read(y);
        for (int r = 0; r < 2; r++) {
            assertEquals(1 / 6.0, p[r * 3], 1e-4);
            assertEquals(2 / 6.0, p[r * 3 + 1], 1e-4);
            assertEquals(3 / 6.0, p[r * 3 + 2], 1e-4);
            assertEquals(1.0, p[r * 3] + p[r * 3 + 1] + p[r * 3 + 2], 1e-6);
        }
        be.logSoftmax(x, 2, 3, null, 1, y);
        float[] lp = read(y);
        assertEquals(Math.log(1 / 6.0), lp[0], 1e-5);
        assertEquals(Math.log(3 / 6.0), lp[5], 1e-4);
    }

    @Test
    void softmaxMaskBroadcastsAndFullyMaskedRowsGiveZeros() {
        // 4 rows, mask of 2 rows: rows 0 and 2 use mask row 0, rows 1 and 3 mask row 1 (everything masked).
        Span x = span(1, 1, 1, 5, 6, 7, 2, 2, 2, 0, 0, 0), mask = span(0, 0, NINF, NINF, NINF, NINF);
        Span y = zeros(12);
        be.softmax(x, 4, 3, mask, 1, y);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0, 0, 0, 0, 0.5f, 0.5f, 0, 0, 0, 0}, read(y), 1e-6f);
        be.logSoftmax(x, 4, 3, mask, 1, y);
        float[] lp = read(y);
        assertEquals(Math.log(0.5), lp[0], 1e-6);
        assertEquals(NINF, lp[2]);
        for (int c = 3; c < 6; c++) assertEquals(NINF, lp[c], "fully masked row");
    }

    @Test
    void softmaxMaskRowsServeMaskRepeatConsecutiveRows() {
        // Key padding: 2 samples x 2 query rows, mask (2, 3): sample 0 hides key 2, sample 1 hides keys 1 and 2.
        Span x = span(1, 1, 1, 5, 5, 9, 2, 2, 2, 0, 3, 0), mask = span(0, 0, NINF, 0, NINF, NINF);
        Span y = zeros(12);
        be.softmax(x, 4, 3, mask, 2, y);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0, 0.5f, 0.5f, 0, 1, 0, 0, 1, 0, 0}, read(y), 1e-6f);
        be.logSoftmax(x, 4, 3, mask, 2, y);
        assertEquals(NINF, read(y)[10]);
        assertEquals(0f, read(y)[9], 1e-6f);
        assertMessage(assertThrows(ShapeException.class, () -> be.softmax(zeros(6), 2, 3, null, 0, zeros(6))),
                "softmax", "maskRepeat", "0");
    }

    @Test
    void paddingMaskHidesExactlyThePadIds() {
        Span out = zeros(5);
        be.paddingMask(ints(3, 5, 0, 5, 1), 5, out);
        assertArrayEquals(new float[] {0, NINF, 0, NINF, 0}, read(out));
        assertMessage(assertThrows(ShapeException.class, () -> be.paddingMask(ints(1, 2), 5, zeros(3))),
                "paddingMask", "2", "3");
    }

    @Test
    void softmaxInPlace() {
        Span x = span(0, 0, 0, 0);
        be.softmax(x, 1, 4, null, 1, x);
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, read(x));
    }

    // ---------------------------------------------------------------- losses

    @Test
    void crossEntropyOfUniformLogitsIsLogC() {
        int rows = 3, cols = 7;
        Span loss = zeros(1);
        be.crossEntropy(span(new float[rows * cols]), rows, cols, ints(0, 3, 6), -100, loss);
        assertEquals(Math.log(cols), scalar(loss), 1e-6);
    }

    @Test
    void crossEntropyByHandSkipsIgnoredRows() {
        // Row 0: logits [0, ln 3], target 1 -> -log(3/4). Row 1 ignored (its logits would give a huge loss).
        Span logits = span(0, (float) Math.log(3), 100, -100), loss = zeros(1);
        be.crossEntropy(logits, 2, 2, ints(1, -1), -1, loss);
        assertEquals(-Math.log(0.75), scalar(loss), 1e-6);
        // Backward divides by the one counted row: dLogits[0] = softmax - onehot = [0.25, -0.25].
        Span d = zeros(4);
        be.crossEntropyBackward(logits, 2, 2, ints(1, -1), -1, span(1f), 1f, d);
        assertArrayEquals(new float[] {0.25f, -0.25f, 0, 0}, read(d), 1e-6f);
        be.fill(d, Float.NaN);   // beta 0: overwritten, the ignored row included
        be.crossEntropyBackward(logits, 2, 2, ints(1, -1), -1, span(1f), 0f, d);
        assertArrayEquals(new float[] {0.25f, -0.25f, 0, 0}, read(d), 1e-6f);
    }

    @Test
    void crossEntropyWithEveryRowIgnoredIsZero() {
        Span logits = span(1, 2, 3, 4), loss = span(123f), d = span(1, 2, 3, 4);
        be.crossEntropy(logits, 2, 2, ints(-100, -100), -100, loss);
        assertEquals(0f, scalar(loss));
        be.crossEntropyBackward(logits, 2, 2, ints(-100, -100), -100, span(1f), 1f, d);
        assertArrayEquals(new float[] {1, 2, 3, 4}, read(d));
        be.crossEntropyBackward(logits, 2, 2, ints(-100, -100), -100, span(1f), 0.5f, d);
        assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2}, read(d));
    }

    @Test
    void crossEntropyRejectsBadTargets() {
        Span logits = zeros(4), loss = zeros(1);
        var e = assertThrows(ShapeException.class, () -> be.crossEntropy(logits, 2, 2, ints(0, 2), -100, loss));
        assertTrue(e.getMessage().contains("crossEntropy") && e.getMessage().contains("2"), e.getMessage());
        assertThrows(ShapeException.class, () -> be.crossEntropy(logits, 2, 2, ints(0, -3), -100, loss));
    }

    @Test
    void mseByHand() {
        Span loss = zeros(1);
        be.mse(span(1, 2, 3), span(1, 0, 6), loss);
        assertEquals((0 + 4 + 9) / 3f, scalar(loss), 1e-6f);
    }

    @Test
    void klDivOfIdenticalLogitsIsZero() {
        Span x = span(0.3f, -1, 2, 0.5f, 0.5f, 7), loss = span(5f);
        be.klDiv(x, x, 2, 3, 2f, loss);
        assertEquals(0f, scalar(loss), 1e-6f);
    }

    @Test
    void klDivByHandWithTemperature() {
        // Teacher p = [1/2, 1/2], student q = [1/4, 3/4]: KL(p||q) = 0.5 ln 2 + 0.5 ln(2/3).
        double kl = 0.5 * Math.log(2) + 0.5 * Math.log(2 / 3.0);
        Span loss = zeros(1);
        be.klDiv(span(0, (float) Math.log(3)), span(0, 0), 1, 2, 1f, loss);
        assertEquals(kl, scalar(loss), 1e-6);
        // With T = 2 and logits scaled by 2 the distributions are the same; the loss gains a factor T^2 = 4.
        be.klDiv(span(0, 2 * (float) Math.log(3)), span(0, 0), 1, 2, 2f, loss);
        assertEquals(4 * kl, scalar(loss), 1e-5);
    }

    // ---------------------------------------------------------------- layer norm and embeddings

    @Test
    void layerNormByHand() {
        // x = [1, 2, 3, 4]: mean 2.5, biased variance 1.25.
        Span out = zeros(4), mean = zeros(1), rstd = zeros(1);
        float eps = 1e-5f;
        be.layerNorm(span(1, 2, 3, 4), 1, 4, span(2, 2, 2, 2), span(1, 1, 1, 1), eps, out, mean, rstd);
        double rs = 1 / Math.sqrt(1.25 + eps);
        assertEquals(2.5f, scalar(mean));
        assertEquals(rs, scalar(rstd), 1e-6);
        float[] o = read(out);
        for (int c = 0; c < 4; c++) assertEquals((c + 1 - 2.5) * rs * 2 + 1, o[c], 1e-5);
    }

    @Test
    void embeddingCopiesRowsAndRejectsBadIds() {
        Span table = span(0, 1, 10, 11, 20, 21), out = zeros(6);
        be.embedding(ints(2, 0, 2), table, 3, 2, out);
        assertArrayEquals(new float[] {20, 21, 0, 1, 20, 21}, read(out));
        var e = assertThrows(ShapeException.class, () -> be.embedding(ints(3), table, 3, 2, zeros(2)));
        assertTrue(e.getMessage().contains("embedding") && e.getMessage().contains("3"), e.getMessage());
        assertThrows(ShapeException.class, () -> be.embedding(ints(-1), table, 3, 2, zeros(2)));
        assertThrows(ShapeException.class, () -> be.embedding(ints(Integer.MIN_VALUE), table, 3, 2, zeros(2)));
        assertThrows(ShapeException.class, () -> be.embeddingBackward(ints(7), zeros(2), 3, 2, 1f, zeros(6)));
        // beta 0 overwrites the whole table gradient: rows no id refers to become 0
        Span dTable = span(Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN);
        be.embeddingBackward(ints(2, 2), span(1, 2, 3, 4), 3, 2, 0f, dTable);
        assertArrayEquals(new float[] {0, 0, 0, 0, 4, 6}, read(dTable));
    }

    // ---------------------------------------------------------------- optimizers

    @Test
    void adamwFirstStepMovesByLrTimesSign() {
        float lr = 0.01f, wd = 0.1f;
        Span p = span(1, -2, 0.5f, 3), g = span(0.3f, -5, 1e-3f, -0.02f), m = zeros(4), v = zeros(4);
        be.adamwStep(p, g, m, v, lr, 0.9f, 0.999f, 1e-8f, wd, 1);
        float[] before = {1, -2, 0.5f, 3}, grads = read(g), after = read(p);
        for (int i = 0; i < 4; i++) {
            double decayed = before[i] * (1 - lr * wd);
            assertEquals(decayed - lr * Math.signum(grads[i]), after[i], 1e-5, "param " + i);
        }
        assertEquals(0.1 * 0.3, read(m)[0], 1e-7);
        assertEquals(0.001 * 0.09, read(v)[0], 1e-8);  // 0.999f is not exactly 0.999
    }

    @Test
    void adamwSecondStepByHand() {
        // One parameter, g = 1 then g = -1, no decay: m1 = 0.1, v1 = 0.001; m2 = 0.09 - 0.1 = -0.01, v2 = 0.001999.
        Span p = span(0), m = zeros(1), v = zeros(1);
        be.adamwStep(p, span(1), m, v, 0.1f, 0.9f, 0.999f, 0f, 0f, 1);
        be.adamwStep(p, span(-1), m, v, 0.1f, 0.9f, 0.999f, 0f, 0f, 2);
        double mHat = -0.01 / (1 - 0.81), vHat = 0.001999 / (1 - 0.999 * 0.999);
        assertEquals(-0.1 - 0.1 * mHat / Math.sqrt(vHat), scalar(p), 1e-6);
    }

    @Test
    void sgdMomentumTwoStepsByHand() {
        // p0 = 1, g = 0.5, lr 0.1, momentum 0.9, wd 0.01.
        // Step 1: g' = 0.51, v = 0.51, p = 0.949. Step 2: g' = 0.50949, v = 0.96849, p = 0.852151.
        Span p = span(1), g = span(0.5f), vel = zeros(1);
        be.sgdStep(p, g, vel, 0.1f, 0.9f, 0.01f);
        assertEquals(0.949f, scalar(p), 1e-6f);
        assertEquals(0.51f, scalar(vel), 1e-6f);
        be.sgdStep(p, g, vel, 0.1f, 0.9f, 0.01f);
        assertEquals(0.96849f, scalar(vel), 1e-6f);
        assertEquals(0.852151f, scalar(p), 1e-6f);
    }

    @Test
    void sgdWithoutMomentumNeedsNoVelocity() {
        Span p = span(1, 2);
        be.sgdStep(p, span(1, -1), null, 0.5f, 0f, 0f);
        assertArrayEquals(new float[] {0.5f, 2.5f}, read(p));
        assertThrows(ShapeException.class, () -> be.sgdStep(p, span(1, -1), null, 0.5f, 0.9f, 0f));
    }

    // ---------------------------------------------------------------- reductions

    @Test
    void reductions() {
        Span x = span(1, -3, 2, 4), out = zeros(1);
        be.sum(x, out);
        assertEquals(4f, scalar(out));
        be.sumOfSquares(x, out);
        assertEquals(30f, scalar(out));
        Span dX = span(Float.NaN, Float.NaN);
        be.sumBackward(span(2.5f), 0f, dX);
        assertArrayEquals(new float[] {2.5f, 2.5f}, read(dX));
        be.sumBackward(span(1f), 1f, dX);
        assertArrayEquals(new float[] {3.5f, 3.5f}, read(dX));
        assertThrows(ShapeException.class, () -> be.sumBackward(zeros(0), 1f, dX));
    }

    @Test
    void argmaxTiesPickTheFirst() {
        Span out = be.allocateInts(3).all();
        be.argmaxRows(span(1, 5, 5, 0, /* */ 7, 7, 7, 7, /* */ -1, -2, -1, -3), 3, 4, out);
        assertArrayEquals(new int[] {1, 0, 0}, readInts(out));
        be.argmaxRows(span(Float.NaN, 2, 9, 9, /* */ Float.NaN, Float.NaN, Float.NaN, Float.NaN), 2, 4, out.slice(0, 2));
        assertArrayEquals(new int[] {2, 3}, java.util.Arrays.copyOf(readInts(out), 2));   // NaN never wins
    }

    // ---------------------------------------------------------------- random fills

    @Test
    void randomFillsAreSeededAndDistributedAsAsked() {
        int n = 100_000;
        Span a = zeros(n), b = zeros(n);
        be.fillUniform(a, -2, 3, 7);
        be.fillUniform(b, -2, 3, 7);
        float[] u = read(a);
        assertArrayEquals(u, read(b), "same seed, same numbers");
        be.fillUniform(b, -2, 3, 8);
        assertFalse(java.util.Arrays.equals(u, read(b)), "different seeds differ");
        double mean = 0;
        for (float f : u) {
            assertTrue(f >= -2 && f < 3, "uniform in [-2, 3): " + f);
            mean += f / n;
        }
        assertEquals(0.5, mean, 0.02);  // std of the mean: 5 / sqrt(12 n) = 0.0046

        be.fillNormal(a, 1.5f, 0.5f, 11);
        float[] z = read(a);
        double s = 0, s2 = 0;
        for (float f : z) {
            s += f;
            s2 += (double) f * f;
        }
        double m = s / n, std = Math.sqrt(s2 / n - m * m);
        assertEquals(1.5, m, 0.01);    // std of the mean: 0.5 / sqrt(n) = 0.0016
        assertEquals(0.5, std, 0.01);
        be.fillNormal(b, 1.5f, 0.5f, 11);
        assertArrayEquals(z, read(b));
    }

    // ---------------------------------------------------------------- empty shapes and slices

    @Test
    void emptyShapesAreWellDefined() {
        Span c = span(Float.NaN, 5);
        be.gemm(false, false, 1, 2, 0, 1f, zeros(0), 1, zeros(0), 2, 0f, c, 2);  // k = 0: C = 0
        assertArrayEquals(new float[] {0, 0}, read(c));
        Span loss = span(9f);
        be.crossEntropy(zeros(0), 0, 4, ints(), -100, loss);
        assertEquals(0f, scalar(loss));
        be.mse(zeros(0), zeros(0), loss);
        assertEquals(0f, scalar(loss));
        be.softmax(zeros(0), 0, 3, null, 1, zeros(0));
        be.cosineLoss(zeros(0), 0, 1e-8f, loss);
        assertEquals(0f, scalar(loss));
        be.stridedCopy(new int[] {3, 0, 2}, zeros(0), new long[] {0, 0, 0}, zeros(0), new long[] {0, 0, 0}, 1f);
    }

    @Test
    void kernelsTouchOnlyTheirSlice() {
        Span whole = span(1, 2, 3, 4, 5, 6);
        be.softmax(whole.slice(2, 2), 1, 2, null, 1, whole.slice(2, 2));
        assertArrayEquals(new float[] {1, 2, 0.26894143f, 0.7310586f, 5, 6}, read(whole), 1e-6f);
        be.relu(span(-1, 1), whole.slice(4, 2));
        assertArrayEquals(new float[] {0, 1}, read(whole.slice(4, 2)));
        assertEquals(1f, read(whole)[0]);
    }

    // ---------------------------------------------------------------- shape errors

    private static void assertMessage(ShapeException e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' missing in: " + e.getMessage());
    }

    @Test
    void wrongShapesNameTheOpAndTheDimensions() {
        assertMessage(assertThrows(ShapeException.class,
                () -> be.gemm(false, false, 2, 2, 3, 1f, span(A), 3, span(B), 2, 0f, zeros(3), 2)),
                "gemm", "2x2", "3");
        assertMessage(assertThrows(ShapeException.class, () -> be.add(zeros(3), zeros(4), zeros(3))),
                "add", "3", "4");
        assertMessage(assertThrows(ShapeException.class, () -> be.softmax(zeros(6), 2, 3, null, 1, zeros(5))),
                "softmax", "2x3", "5");
        assertMessage(assertThrows(ShapeException.class, () -> be.softmax(zeros(6), 2, 3, zeros(4), 1, zeros(6))),
                "softmax", "mask", "4");
        assertMessage(assertThrows(ShapeException.class,
                () -> be.crossEntropy(zeros(6), 2, 3, ints(0, 0, 0), -100, zeros(1))), "crossEntropy", "targets", "3");
        assertMessage(assertThrows(ShapeException.class,
                () -> be.layerNorm(zeros(6), 2, 3, zeros(2), zeros(3), 1e-5f, zeros(6), zeros(2), zeros(2))),
                "layerNorm", "gamma", "2");
        assertMessage(assertThrows(ShapeException.class,
                () -> be.layerNormBackward(zeros(6), 2, 3, zeros(3), zeros(2), zeros(2), zeros(6), 1f, zeros(5),
                        null, null)), "layerNormBackward", "dX", "5");
        assertMessage(assertThrows(ShapeException.class,   // dA = dC B^T of a 2x3 A into a span of 5
                () -> be.gemm(false, true, 2, 3, 2, 1f, zeros(4), 2, span(B), 2, 0f, zeros(5), 3)),
                "gemm", "C", "5");
        assertMessage(assertThrows(ShapeException.class,
                () -> be.stridedCopy(new int[] {2, 3}, zeros(6), new long[] {3, 1}, zeros(6), new long[] {3, 2}, 0f)),
                "stridedCopy", "dst", "6");
        assertMessage(assertThrows(ShapeException.class,
                () -> be.adamwStep(zeros(3), zeros(3), zeros(2), zeros(3), 0.1f, 0.9f, 0.99f, 1e-8f, 0, 1)),
                "adamwStep", "3", "2");
    }
}
