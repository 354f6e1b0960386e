// Finite-difference checks of every backward kernel of a backend under test, with beta 0, 1 and 0.5 semantics.
package curex.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every backward kernel against central differences of its forward ({@link GradientCheck}), on small awkward
 * shapes. Analytic gradients come from {@link GradientCheck#gradient}, which also checks that beta 0 overwrites a
 * NaN-filled gradient and that beta 1 and 0.5 add to noise; product gradients are gemm calls
 * ({@link ProductGradients}). Use from any module: {@code class CudaGradientTest extends BackendGradientSuite {
 * protected Backend open() { return new CudaBackend(); } }}.
 */
public abstract class BackendGradientSuite {
    private static final float NINF = Float.NEGATIVE_INFINITY;
    private Backend be;
    private GradientCheck gc;

    /** A new backend of the kind under test. */
    protected abstract Backend open();

    @BeforeEach
    void openBackend() {
        be = open();
        gc = new GradientCheck(be);
    }

    @AfterEach
    void closeBackend() {
        be.close();
    }

    private Span ints(int... values) {
        Span s = be.allocateInts(values.length).all();
        be.copyFromHost(values, 0, s);
        return s;
    }

    // ---------------------------------------------------------------- beta where nothing is contributed

    /** Gradient elements that receive no contribution still become beta * old (0 for beta 0, NaN ignored). */
    @Test
    void betaAppliesWhereNothingIsContributed() {
        float nan = Float.NaN;
        Span empty = be.allocate(0).all(), dBias = gc.span(1, 2, 3);
        be.biasGrad(empty, 0, 3, 0.5f, dBias);
        assertArrayEquals(new float[] {0.5f, 1, 1.5f}, gc.read(dBias));
        be.fill(dBias, nan);
        be.biasGrad(empty, 0, 3, 0f, dBias);
        assertArrayEquals(new float[] {0, 0, 0}, gc.read(dBias));

        Span dGamma = gc.span(2, 4), dBeta = gc.span(nan, nan);
        be.layerNormBackward(empty, 0, 2, gc.span(1, 1), empty, empty, empty, 0.5f, null, dGamma, null);
        assertArrayEquals(new float[] {1, 2}, gc.read(dGamma));
        be.layerNormBackward(empty, 0, 2, gc.span(1, 1), empty, empty, empty, 0f, null, null, dBeta);
        assertArrayEquals(new float[] {0, 0}, gc.read(dBeta));

        Span logits = gc.uniform(4, -1, 1), dLogits = gc.span(nan, nan, nan, nan), dLoss = gc.span(1f);
        be.crossEntropyBackward(logits, 2, 2, ints(-1, -1), -1, dLoss, 0f, dLogits);
        assertArrayEquals(new float[] {0, 0, 0, 0}, gc.read(dLogits));
        Span halved = gc.span(2, 4, 6, 8);
        be.crossEntropyBackward(logits, 2, 2, ints(-1, -1), -1, dLoss, 0.5f, halved);
        assertArrayEquals(new float[] {1, 2, 3, 4}, gc.read(halved));

        Span dX = gc.span(nan, nan, 5);
        be.reluBackward(gc.span(-1, 0, -2), gc.span(1, 1, 1), 0f, dX);
        assertArrayEquals(new float[] {0, 0, 0}, gc.read(dX));
        Span dTable = gc.span(nan, nan, nan, nan);
        be.embeddingBackward(ints(), empty, 2, 2, 0f, dTable);
        assertArrayEquals(new float[] {0, 0, 0, 0}, gc.read(dTable));
    }

    // ---------------------------------------------------------------- products (gradients as gemm calls)

    @ParameterizedTest(name = "transA={0} transB={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void gemmAllTransposesWithPaddingAndOffsets(boolean transA, boolean transB) {
        int m = 3, n = 4, k = 5;
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        int lda = aCols + 2, ldb = bCols + 1, ldc = n + 3;
        // Each operand sits 3 elements into a larger buffer, with padding between rows.
        Span a = gc.uniform(3 + aRows * lda + 2, -1, 1).slice(3, (aRows - 1) * lda + aCols);
        Span b = gc.uniform(3 + bRows * ldb + 2, -1, 1).slice(3, (bRows - 1) * ldb + bCols);
        Span c = be.allocate(3 + m * ldc + 2).all().slice(3, (m - 1) * ldc + n);
        // dC = R in C's layout; its padding holds huge values that a correct gradient never reads.
        float[] rDense = gc.weights(m * n), rStored = new float[c.intLength()], rPadded = new float[c.intLength()];
        java.util.Arrays.fill(rStored, 1e6f);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                rStored[i * ldc + j] = rDense[i * n + j];
                rPadded[i * ldc + j] = rDense[i * n + j];
            }
        Span dC = gc.span(rStored);
        Runnable forward = () -> be.gemm(transA, transB, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc);
        float[] dA = gc.accumulated(a.intLength(),
                g -> ProductGradients.dA(be, transA, transB, m, n, k, b, ldb, dC, ldc, 1f, g, lda));
        float[] dB = gc.accumulated(b.intLength(),
                g -> ProductGradients.dB(be, transA, transB, m, n, k, a, lda, dC, ldc, 1f, g, ldb));
        // rPadded has zeros in C's padding, so the loss ignores whatever gemm leaves there.
        gc.check("gemm dA", a, dA, () -> { forward.run(); return gc.weightedSum(c, rPadded); });
        gc.check("gemm dB", b, dB, () -> { forward.run(); return gc.weightedSum(c, rPadded); });
    }

    @Test
    void gemmBatchedThroughPerBatchGradients() {
        int m = 2, n = 3, k = 4, batch = 3;
        long strideA = m * k + 1, strideB = k * n + 2, strideC = m * n + 3;
        Span a = gc.uniform((int) (strideA * batch), -1, 1), b = gc.uniform((int) (strideB * batch), -1, 1);
        Span c = be.allocate(strideC * batch).all();
        float[] r = new float[c.intLength()];
        float[] w = gc.weights(r.length);
        for (int i = 0; i < batch; i++)
            for (int e = 0; e < m * n; e++) r[(int) (i * strideC) + e] = w[(int) (i * strideC) + e];
        Span dC = gc.span(r);
        Runnable forward = () -> be.gemmBatched(false, true, m, n, k, 1f, a, k, strideA, b, k, strideB,
                0f, c, n, strideC, batch);
        float[] dA = gc.accumulated(a.intLength(), g -> {
            for (int i = 0; i < batch; i++)
                ProductGradients.dA(be, false, true, m, n, k, b.slice(i * strideB, n * k), k,
                        dC.slice(i * strideC, m * n), n, 1f, g.slice(i * strideA, m * k), k);
        });
        float[] dB = gc.accumulated(b.intLength(), g -> {
            for (int i = 0; i < batch; i++)
                ProductGradients.dB(be, false, true, m, n, k, a.slice(i * strideA, m * k), k,
                        dC.slice(i * strideC, m * n), n, 1f, g.slice(i * strideB, n * k), k);
        });
        gc.check("gemmBatched dA", a, dA, () -> { forward.run(); return gc.weightedSum(c, r); });
        gc.check("gemmBatched dB", b, dB, () -> { forward.run(); return gc.weightedSum(c, r); });
    }

    // ---------------------------------------------------------------- elementwise

    @Test
    void add() {
        int n = 7;
        Span a = gc.uniform(n, -1, 1), b = gc.uniform(n, -1, 1), out = be.allocate(n).all();
        float[] r = gc.weights(n);
        Span dOut = gc.span(r);
        float[] dA = gc.gradient(n, (beta, g) -> be.scaleBackward(1f, dOut, beta, g));   // add passes dOut on
        gc.check("add dA", a, dA, () -> { be.add(a, b, out); return gc.weightedSum(out, r); });
        gc.check("add dB", b, dA, () -> { be.add(a, b, out); return gc.weightedSum(out, r); });
    }

    @Test
    void mul() {
        int n = 7;
        Span a = gc.uniform(n, -2, 2), b = gc.uniform(n, -2, 2), out = be.allocate(n).all();
        float[] r = gc.weights(n);
        Span dOut = gc.span(r);
        float[] dA = gc.gradient(n, (beta, g) -> be.mulBackward(a, b, dOut, beta, g, null));
        float[] dB = gc.gradient(n, (beta, g) -> be.mulBackward(a, b, dOut, beta, null, g));
        gc.check("mul dA", a, dA, () -> { be.mul(a, b, out); return gc.weightedSum(out, r); });
        gc.check("mul dB", b, dB, () -> { be.mul(a, b, out); return gc.weightedSum(out, r); });
    }

    @Test
    void scale() {
        int n = 7;
        Span x = gc.uniform(n, -1, 1), out = be.allocate(n).all();
        float[] r = gc.weights(n);
        Span dOut = gc.span(r);
        float[] dX = gc.gradient(n, (beta, g) -> be.scaleBackward(-1.5f, dOut, beta, g));
        gc.check("scale", x, dX, () -> { be.scale(-1.5f, x, out); return gc.weightedSum(out, r); });
    }

    @Test
    void axpy() {
        int n = 7;
        Span x = gc.uniform(n, -1, 1), y0 = gc.uniform(n, -1, 1), y = be.allocate(n).all();
        float[] r = gc.weights(n);
        Span dY = gc.span(r);
        float[] dX = gc.accumulated(n, g -> be.axpy(0.75f, dY, g));  // its own backward
        gc.check("axpy", x, dX, () -> { be.copy(y0, y); be.axpy(0.75f, x, y); return gc.weightedSum(y, r); });
    }

    // ---------------------------------------------------------------- rows and columns

    @Test
    void biasAddAndBiasGrad() {
        int rows = 4, cols = 3;
        Span x = gc.uniform(rows * cols, -1, 1), bias = gc.uniform(cols, -1, 1);
        Span out = be.allocate(rows * cols).all();
        float[] r = gc.weights(rows * cols);
        Span dOut = gc.span(r);
        float[] dBias = gc.gradient(cols, (beta, g) -> be.biasGrad(dOut, rows, cols, beta, g));
        gc.check("biasGrad", bias, dBias, () -> {
            be.biasAdd(x, rows, cols, bias, out);
            return gc.weightedSum(out, r);
        });
    }

    @Test
    void rowDotGradientsAreRowScales() {
        int rows = 3, cols = 5;
        Span x = gc.uniform(rows * cols, -1, 1), y = gc.uniform(rows * cols, -1, 1), out = be.allocate(rows).all();
        float[] r = gc.weights(rows);
        Span dOut = gc.span(r);
        float[] dX = gc.gradient(rows * cols, (beta, g) -> be.rowScale(y, rows, cols, dOut, beta, g));
        float[] dY = gc.gradient(rows * cols, (beta, g) -> be.rowScale(x, rows, cols, dOut, beta, g));
        DoubleSupplier loss = () -> { be.rowDot(x, y, rows, cols, out); return gc.weightedSum(out, r); };
        gc.check("rowDot dX", x, dX, loss);
        gc.check("rowDot dY", y, dY, loss);
    }

    @Test
    void rowScaleGradients() {
        int rows = 4, cols = 3;
        Span x = gc.uniform(rows * cols, -1, 1), scale = gc.uniform(rows, -2, 2);
        Span out = be.allocate(rows * cols).all();
        float[] r = gc.weights(rows * cols);
        Span dOut = gc.span(r), dScale = be.allocate(rows).all();
        float[] dX = gc.gradient(rows * cols, (beta, g) -> be.rowScale(dOut, rows, cols, scale, beta, g));
        be.rowDot(dOut, x, rows, cols, dScale);
        DoubleSupplier loss = () -> { be.rowScale(x, rows, cols, scale, 0f, out); return gc.weightedSum(out, r); };
        gc.check("rowScale dX", x, dX, loss);
        gc.check("rowScale dScale", scale, gc.read(dScale), loss);
    }

    // ---------------------------------------------------------------- layout

    /** (B, T, H, d) to (B, H, T, d); the gradient is the inverse permutation, the same kernel with roles swapped. */
    @Test
    void stridedCopyPermutationIsItsOwnBackward() {
        int bs = 2, t = 3, h = 2, d = 4, n = bs * t * h * d;
        int[] shape = {bs, h, t, d};
        long[] srcWalk = {(long) t * h * d, d, (long) h * d, 1}, dense = {(long) h * t * d, (long) t * d, d, 1};
        Span x = gc.uniform(n, -1, 1), out = be.allocate(n).all();
        float[] r = gc.weights(n);
        Span dOut = gc.span(r);
        float[] dX = gc.gradient(n, (beta, g) -> be.stridedCopy(shape, dOut, dense, g, srcWalk, beta));
        gc.check("stridedCopy", x, dX, () -> {
            be.stridedCopy(shape, x, srcWalk, out, dense, 0f);
            return gc.weightedSum(out, r);
        });
    }

    // ---------------------------------------------------------------- activations

    @Test
    void reluAwayFromZero() {
        float[] v = {-1.3f, -0.4f, -0.1f, 0.1f, 0.35f, 0.8f, 2.1f};
        Span x = gc.span(v), out = be.allocate(v.length).all();
        float[] r = gc.weights(v.length);
        Span dOut = gc.span(r);
        float[] dX = gc.gradient(v.length, (beta, g) -> be.reluBackward(x, dOut, beta, g));
        gc.check("relu", x, dX, () -> { be.relu(x, out); return gc.weightedSum(out, r); });
    }

    @Test
    void gelu() {
        float[] v = {-4f, -2.2f, -1f, -0.3f, 0f, 0.2f, 0.9f, 1.7f, 3.5f};
        Span x = gc.span(v), out = be.allocate(v.length).all();
        float[] r = gc.weights(v.length);
        Span dOut = gc.span(r);
        float[] dX = gc.gradient(v.length, (beta, g) -> be.geluBackward(x, dOut, beta, g));
        gc.check("gelu", x, dX, () -> { be.gelu(x, out); return gc.weightedSum(out, r); });
    }

    @Test
    void geluWithDerivative() {
        float[] v = {-11f, -4f, -2.2f, -1f, -0.75f, -0.3f, 0f, 0.2f, 0.9f, 1.7f, 3.5f, 9f};
        Span x = gc.span(v), out = be.allocate(v.length).all(), derivative = be.allocate(v.length).all();
        float[] r = gc.weights(v.length);
        be.geluWithDerivative(x, out, derivative);
        float[] dX = gc.read(derivative);
        for (int i = 0; i < v.length; i++) dX[i] *= r[i];
        gc.check("geluWithDerivative", x, dX, () -> {
            be.geluWithDerivative(x, out, derivative);
            return gc.weightedSum(out, r);
        });
    }

    // ---------------------------------------------------------------- softmax family

    @ParameterizedTest(name = "masked={0}")
    @ValueSource(booleans = {false, true})
    void softmax(boolean masked) {
        int rows = 4, cols = 5;
        Span mask = masked ? gc.span(0, NINF, 0, 0, 0.5f, /* row 2 */ 0, 0, NINF, NINF, 0) : null;
        Span x = gc.uniform(rows * cols, -2, 2), y = be.allocate(rows * cols).all();
        float[] r = gc.weights(rows * cols);
        Span dY = gc.span(r);
        be.softmax(x, rows, cols, mask, 1, y);
        float[] dX = gc.gradient(rows * cols, (beta, g) -> be.softmaxBackward(y, dY, rows, cols, beta, g));
        gc.check("softmax", x, dX, () -> { be.softmax(x, rows, cols, mask, 1, y); return gc.weightedSum(y, r); });
    }

    @ParameterizedTest(name = "masked={0}")
    @ValueSource(booleans = {false, true})
    void logSoftmax(boolean masked) {
        int rows = 3, cols = 6;
        Span mask = masked ? gc.span(0, 0, -1e9f, 0, 0, 0) : null;
        Span x = gc.uniform(rows * cols, -2, 2), y = be.allocate(rows * cols).all();
        float[] r = gc.weights(rows * cols);
        if (masked) for (int row = 0; row < rows; row++) r[row * cols + 2] = 0;  // log-prob there is -1e9-ish
        Span dY = gc.span(r);
        be.logSoftmax(x, rows, cols, mask, 1, y);
        float[] dX = gc.gradient(rows * cols, (beta, g) -> be.logSoftmaxBackward(y, dY, rows, cols, beta, g));
        gc.check("logSoftmax", x, dX, () -> { be.logSoftmax(x, rows, cols, mask, 1, y); return gc.weightedSum(y, r); });
    }

    // ---------------------------------------------------------------- attention

    /**
     * (batch 2, seq 3, heads 2, headDim 3), a query at every key or (fewer) two queries per sequence; masked: the
     * first sequence hides its last key, the second its first.
     */
    @ParameterizedTest(name = "masked={0}, fewer queries={1}")
    @CsvSource({"false, false", "true, false", "false, true", "true, true"})
    void attention(boolean masked, boolean fewer) {
        int b = 2, t = 3, tq = fewer ? 2 : t, h = 2, dh = 3, n = b * t * h * dh, nq = b * tq * h * dh;
        float scale = 0.6f;
        Span mask = masked ? gc.span(0, 0, NINF, NINF, 0, 0) : null;
        Span q = gc.uniform(nq, -1, 1), k = gc.uniform(n, -1, 1), v = gc.uniform(n, -1, 1);
        Span probs = be.allocate(b * h * tq * t).all(), out = be.allocate(nq).all();
        float[] r = gc.weights(nq);
        Span dOut = gc.span(r);
        be.attention(q, k, v, mask, b, tq, t, h, dh, scale, probs, out);
        float[] dQ = gc.gradient(nq, (beta, g) -> be.attentionBackward(q, k, v, probs, dOut, b, tq, t, h, dh, scale,
                beta, g, null, null));
        float[] dK = gc.gradient(n, (beta, g) -> be.attentionBackward(q, k, v, probs, dOut, b, tq, t, h, dh, scale,
                beta, null, g, null));
        float[] dV = gc.gradient(n, (beta, g) -> be.attentionBackward(q, k, v, probs, dOut, b, tq, t, h, dh, scale,
                beta, null, null, g));
        Span p2 = be.allocate(b * h * tq * t).all();   // keep the saved probabilities untouched
        DoubleSupplier loss = () -> {
            be.attention(q, k, v, mask, b, tq, t, h, dh, scale, p2, out);
            return gc.weightedSum(out, r);
        };
        gc.check("attention dQ", q, dQ, loss);
        gc.check("attention dK", k, dK, loss);
        gc.check("attention dV", v, dV, loss);
    }

    // ---------------------------------------------------------------- losses

    @Test
    void crossEntropyWithAnIgnoredRow() {
        int rows = 4, cols = 5;
        Span logits = gc.uniform(rows * cols, -2, 2), targets = ints(1, -100, 4, 0), loss = be.allocate(1).all();
        float dLossValue = 1.7f;
        Span dLoss = gc.span(dLossValue);
        float[] d = gc.gradient(rows * cols,
                (beta, g) -> be.crossEntropyBackward(logits, rows, cols, targets, -100, dLoss, beta, g));
        for (int c = 0; c < cols; c++) assertEquals(0f, d[cols + c], "the ignored row gets no gradient");
        gc.check("crossEntropy", logits, d, () -> {
            be.crossEntropy(logits, rows, cols, targets, -100, loss);
            return dLossValue * gc.read(loss)[0];
        });
    }

    @Test
    void mse() {
        int n = 6;
        Span a = gc.uniform(n, -1, 1), b = gc.uniform(n, -1, 1), loss = be.allocate(1).all();
        Span dLoss = gc.span(-0.8f);
        float[] dA = gc.gradient(n, (beta, g) -> be.mseBackward(a, b, dLoss, beta, g, null));
        float[] dB = gc.gradient(n, (beta, g) -> be.mseBackward(a, b, dLoss, beta, null, g));
        gc.check("mse dA", a, dA, () -> { be.mse(a, b, loss); return -0.8 * gc.read(loss)[0]; });
        gc.check("mse dB", b, dB, () -> { be.mse(a, b, loss); return -0.8 * gc.read(loss)[0]; });
    }

    @ParameterizedTest(name = "T={0}")
    @ValueSource(floats = {1f, 2f})
    void klDiv(float temperature) {
        int rows = 3, cols = 4;
        Span s = gc.uniform(rows * cols, -2, 2), t = gc.uniform(rows * cols, -2, 2), loss = be.allocate(1).all();
        Span dLoss = gc.span(1.3f);
        float[] d = gc.gradient(rows * cols,
                (beta, g) -> be.klDivBackward(s, t, rows, cols, temperature, dLoss, beta, g));
        gc.check("klDiv T=" + temperature, s, d, () -> {
            be.klDiv(s, t, rows, cols, temperature, loss);
            return 1.3 * gc.read(loss)[0];
        });
    }

    /**
     * End to end as the engine computes it: loss from three row dots and cosineLoss; dX = rowScale(y, coef0) +
     * rowScale(x, coef1), dY = rowScale(x, coef2) + rowScale(y, coef3) from cosineLossBackward.
     */
    @Test
    void cosineLossFromRowDots() {
        int rows = 4, cols = 5;
        float eps = 1e-8f, dLossValue = 1.3f;
        Span x = gc.uniform(rows * cols, -1, 1), y = gc.uniform(rows * cols, -1, 1);
        Span dots = be.allocate(3L * rows).all(), coef = be.allocate(4L * rows).all(), loss = be.allocate(1).all();
        Span dLoss = gc.span(dLossValue);
        Runnable rowDots = () -> {
            be.rowDot(x, y, rows, cols, dots.slice(0, rows));
            be.rowDot(x, x, rows, cols, dots.slice(rows, rows));
            be.rowDot(y, y, rows, cols, dots.slice(2L * rows, rows));
        };
        rowDots.run();
        be.cosineLossBackward(dots, rows, eps, dLoss, coef);
        float[] dX = gc.gradient(rows * cols, (beta, g) -> {
            be.rowScale(y, rows, cols, coef.slice(0, rows), beta, g);
            be.rowScale(x, rows, cols, coef.slice(rows, rows), 1f, g);
        });
        float[] dY = gc.gradient(rows * cols, (beta, g) -> {
            be.rowScale(x, rows, cols, coef.slice(2L * rows, rows), beta, g);
            be.rowScale(y, rows, cols, coef.slice(3L * rows, rows), 1f, g);
        });
        DoubleSupplier forward = () -> {
            rowDots.run();
            be.cosineLoss(dots, rows, eps, loss);
            return dLossValue * gc.read(loss)[0];
        };
        gc.check("cosine dX", x, dX, forward);
        gc.check("cosine dY", y, dY, forward);
    }

    // ---------------------------------------------------------------- normalisation

    @Test
    void layerNorm() {
        int rows = 3, cols = 6;
        Span x = gc.uniform(rows * cols, -2, 2), gamma = gc.uniform(cols, 0.5f, 1.5f), beta = gc.uniform(cols, -1, 1);
        Span out = be.allocate(rows * cols).all(), mean = be.allocate(rows).all(), rstd = be.allocate(rows).all();
        float[] r = gc.weights(rows * cols);
        Span dOut = gc.span(r);
        float eps = 1e-5f;
        be.layerNorm(x, rows, cols, gamma, beta, eps, out, mean, rstd);
        float[] dX = gc.gradient(rows * cols,
                (b, g) -> be.layerNormBackward(x, rows, cols, gamma, mean, rstd, dOut, b, g, null, null));
        float[] dGamma = gc.gradient(cols,
                (b, g) -> be.layerNormBackward(x, rows, cols, gamma, mean, rstd, dOut, b, null, g, null));
        float[] dBeta = gc.gradient(cols,
                (b, g) -> be.layerNormBackward(x, rows, cols, gamma, mean, rstd, dOut, b, null, null, g));
        Span m2 = be.allocate(rows).all(), r2 = be.allocate(rows).all();  // keep the saved stats untouched
        DoubleSupplier loss = () -> {
            be.layerNorm(x, rows, cols, gamma, beta, eps, out, m2, r2);
            return gc.weightedSum(out, r);
        };
        gc.check("layerNorm dX", x, dX, loss);
        gc.check("layerNorm dGamma", gamma, dGamma, loss);
        gc.check("layerNorm dBeta", beta, dBeta, loss);
    }

    // ---------------------------------------------------------------- embeddings

    @Test
    void embeddingScatterAddsRepeatedIds() {
        int vocab = 4, dim = 3;
        Span ids = ints(2, 0, 2, 3, 2), table = gc.uniform(vocab * dim, -1, 1);
        Span out = be.allocate(5 * dim).all();
        float[] r = gc.weights(5 * dim);
        Span dOut = gc.span(r);
        float[] dTable = gc.gradient(vocab * dim, (beta, g) -> be.embeddingBackward(ids, dOut, vocab, dim, beta, g));
        for (int c = 0; c < dim; c++) assertEquals(0f, dTable[dim + c], "id 1 is never used");
        gc.check("embedding", table, dTable, () -> {
            be.embedding(ids, table, vocab, dim, out);
            return gc.weightedSum(out, r);
        });
    }

    // ---------------------------------------------------------------- reductions

    @Test
    void sum() {
        Span x = gc.uniform(9, -1, 1), out = be.allocate(1).all(), dOut = gc.span(0.6f);
        float[] dX = gc.gradient(9, (beta, g) -> be.sumBackward(dOut, beta, g));
        gc.check("sum", x, dX, () -> { be.sum(x, out); return 0.6 * gc.read(out)[0]; });
    }
}
