// Finite-difference checks of every backward kernel of the reference backend.
package curex.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReferenceGradientTest {
    private final Backend be = new ReferenceBackend();
    private final GradientCheck gc = new GradientCheck(be);

    @AfterEach
    void close() {
        be.close();
    }

    // ---------------------------------------------------------------- products

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
        // dC = R in C's layout; its padding holds huge values that a correct backward never reads.
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
                g -> be.gemmBackward(transA, transB, m, n, k, a, lda, b, ldb, dC, ldc, g, null));
        float[] dB = gc.accumulated(b.intLength(),
                g -> be.gemmBackward(transA, transB, m, n, k, a, lda, b, ldb, dC, ldc, null, g));
        // rPadded has zeros in C's padding, so the loss ignores whatever gemm leaves there.
        gc.check("gemm dA", a, dA, () -> { forward.run(); return gc.weightedSum(c, rPadded); });
        gc.check("gemm dB", b, dB, () -> { forward.run(); return gc.weightedSum(c, rPadded); });
    }

    @Test
    void gemmBatchedThroughPerBatchBackward() {
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
                be.gemmBackward(false, true, m, n, k, a.slice(i * strideA, m * k), k, b.slice(i * strideB, n * k), k,
                        dC.slice(i * strideC, m * n), n, g.slice(i * strideA, m * k), null);
        });
        float[] dB = gc.accumulated(b.intLength(), g -> {
            for (int i = 0; i < batch; i++)
                be.gemmBackward(false, true, m, n, k, a.slice(i * strideA, m * k), k, b.slice(i * strideB, n * k), k,
                        dC.slice(i * strideC, m * n), n, null, g.slice(i * strideB, n * k));
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
        float[] dA = gc.accumulated(n, g -> be.addBackward(dOut, g, null));
        float[] dB = gc.accumulated(n, g -> be.addBackward(dOut, null, g));
        gc.check("add dA", a, dA, () -> { be.add(a, b, out); return gc.weightedSum(out, r); });
        gc.check("add dB", b, dB, () -> { be.add(a, b, out); return gc.weightedSum(out, r); });
    }

    @Test
    void mul() {
        int n = 7;
        Span a = gc.uniform(n, -2, 2), b = gc.uniform(n, -2, 2), out = be.allocate(n).all();
        float[] r = gc.weights(n);
        Span dOut = gc.span(r);
        float[] dA = gc.accumulated(n, g -> be.mulBackward(a, b, dOut, g, null));
        float[] dB = gc.accumulated(n, g -> be.mulBackward(a, b, dOut, null, g));
        gc.check("mul dA", a, dA, () -> { be.mul(a, b, out); return gc.weightedSum(out, r); });
        gc.check("mul dB", b, dB, () -> { be.mul(a, b, out); return gc.weightedSum(out, r); });
    }

    @Test
    void scale() {
        int n = 7;
        Span x = gc.uniform(n, -1, 1), out = be.allocate(n).all();
        float[] r = gc.weights(n);
        Span dOut = gc.span(r);
        float[] dX = gc.accumulated(n, g -> be.scaleBackward(-1.5f, dOut, g));
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

    @Test
    void biasAddAndBiasGrad() {
        int rows = 4, cols = 3;
        Span x = gc.uniform(rows * cols, -1, 1), bias = gc.uniform(cols, -1, 1);
        Span out = be.allocate(rows * cols).all();
        float[] r = gc.weights(rows * cols);
        Span dOut = gc.span(r);
        float[] dBias = gc.accumulated(cols, g -> be.biasGrad(dOut, rows, cols, g));
        gc.check("biasGrad", bias, dBias, () -> {
            be.biasAdd(x, rows, cols, bias, out);
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
        float[] dX = gc.accumulated(v.length, g -> be.reluBackward(x, dOut, g));
        gc.check("relu", x, dX, () -> { be.relu(x, out); return gc.weightedSum(out, r); });
    }

    @Test
    void gelu() {
        float[] v = {-4f, -2.2f, -1f, -0.3f, 0f, 0.2f, 0.9f, 1.7f, 3.5f};
        Span x = gc.span(v), out = be.allocate(v.length).all();
        float[] r = gc.weights(v.length);
        Span dOut = gc.span(r);
        float[] dX = gc.accumulated(v.length, g -> be.geluBackward(x, dOut, g));
        gc.check("gelu", x, dX, () -> { be.gelu(x, out); return gc.weightedSum(out, r); });
    }

    // ---------------------------------------------------------------- softmax family

    @ParameterizedTest(name = "masked={0}")
    @ValueSource(booleans = {false, true})
    void softmax(boolean masked) {
        int rows = 4, cols = 5;
        float ninf = Float.NEGATIVE_INFINITY;
        Span mask = masked ? gc.span(0, ninf, 0, 0, 0.5f, /* row 2 */ 0, 0, ninf, ninf, 0) : null;
        Span x = gc.uniform(rows * cols, -2, 2), y = be.allocate(rows * cols).all();
        float[] r = gc.weights(rows * cols);
        Span dY = gc.span(r);
        be.softmax(x, rows, cols, mask, y);
        float[] dX = gc.accumulated(rows * cols, g -> be.softmaxBackward(y, dY, rows, cols, g));
        gc.check("softmax", x, dX, () -> { be.softmax(x, rows, cols, mask, y); return gc.weightedSum(y, r); });
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
        be.logSoftmax(x, rows, cols, mask, y);
        float[] dX = gc.accumulated(rows * cols, g -> be.logSoftmaxBackward(y, dY, rows, cols, g));
        gc.check("logSoftmax", x, dX, () -> { be.logSoftmax(x, rows, cols, mask, y); return gc.weightedSum(y, r); });
    }

    // ---------------------------------------------------------------- losses

    @Test
    void crossEntropyWithAnIgnoredRow() {
        int rows = 4, cols = 5;
        Span logits = gc.uniform(rows * cols, -2, 2), targets = gc.span(1, -100, 4, 0), loss = be.allocate(1).all();
        float dLossValue = 1.7f;
        Span dLoss = gc.span(dLossValue);
        float[] d = gc.accumulated(rows * cols,
                g -> be.crossEntropyBackward(logits, rows, cols, targets, -100, dLoss, g));
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
        float[] dA = gc.accumulated(n, g -> be.mseBackward(a, b, dLoss, g, null));
        float[] dB = gc.accumulated(n, g -> be.mseBackward(a, b, dLoss, null, g));
        gc.check("mse dA", a, dA, () -> { be.mse(a, b, loss); return -0.8 * gc.read(loss)[0]; });
        gc.check("mse dB", b, dB, () -> { be.mse(a, b, loss); return -0.8 * gc.read(loss)[0]; });
    }

    @ParameterizedTest(name = "T={0}")
    @ValueSource(floats = {1f, 2f})
    void klDiv(float temperature) {
        int rows = 3, cols = 4;
        Span s = gc.uniform(rows * cols, -2, 2), t = gc.uniform(rows * cols, -2, 2), loss = be.allocate(1).all();
        Span dLoss = gc.span(1.3f);
        float[] d = gc.accumulated(rows * cols, g -> be.klDivBackward(s, t, rows, cols, temperature, dLoss, g));
        gc.check("klDiv T=" + temperature, s, d, () -> {
            be.klDiv(s, t, rows, cols, temperature, loss);
            return 1.3 * gc.read(loss)[0];
        });
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
        float[] dX = gc.accumulated(rows * cols,
                g -> be.layerNormBackward(x, rows, cols, gamma, mean, rstd, dOut, g, null, null));
        float[] dGamma = gc.accumulated(cols,
                g -> be.layerNormBackward(x, rows, cols, gamma, mean, rstd, dOut, null, g, null));
        float[] dBeta = gc.accumulated(cols,
                g -> be.layerNormBackward(x, rows, cols, gamma, mean, rstd, dOut, null, null, g));
        Span m2 = be.allocate(rows).all(), r2 = be.allocate(rows).all();  // keep the saved stats untouched
        java.util.function.DoubleSupplier loss = () -> {
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
        Span ids = gc.span(2, 0, 2, 3, 2), table = gc.uniform(vocab * dim, -1, 1);
        Span out = be.allocate(5 * dim).all();
        float[] r = gc.weights(5 * dim);
        Span dOut = gc.span(r);
        float[] dTable = gc.accumulated(vocab * dim, g -> be.embeddingBackward(ids, dOut, vocab, dim, g));
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
        float[] dX = gc.accumulated(9, g -> be.sumBackward(dOut, g));
        gc.check("sum", x, dX, () -> { be.sum(x, out); return 0.6 * gc.read(out)[0]; });
    }

    @Test
    void maxWithAClearWinner() {
        Span x = gc.span(0.3f, -1f, 0.9f, 0.5f, 0.7f), out = be.allocate(1).all(), dOut = gc.span(-1.4f);
        float[] dX = gc.accumulated(5, g -> be.maxBackward(x, dOut, g));
        gc.check("max", x, dX, () -> { be.max(x, out); return -1.4 * gc.read(out)[0]; });
    }
}
