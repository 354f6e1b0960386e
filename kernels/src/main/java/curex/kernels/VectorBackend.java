// The fast CPU backend: every kernel on the JDK Vector API, multi-threaded over rows and fixed chunks.
package curex.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * {@link Backend} on heap buffers with SIMD kernels ({@code jdk.incubator.vector}) and a {@link WorkerPool}.
 * Every op validates with the {@link OpChecks} method of its name, then runs a kernel of the Vector* classes:
 * {@link VectorElementwise}, {@link VectorActivations}, {@link VectorColumns}, {@link VectorSoftmax},
 * {@link VectorLosses}, {@link VectorLayerNorm}, {@link VectorEmbedding}, {@link VectorOptimizers},
 * {@link VectorReductions}; products go to {@link VectorGemm}.
 *
 * <p>Results do not depend on the thread count: work is split at boundaries fixed by the sizes alone, and
 * reductions add their partials in a fixed order. Small inputs run on the calling thread. Edge cases (a fully
 * masked softmax row, ignored rows, NaN in max/argmax) follow {@link ReferenceBackend}.
 */
public final class VectorBackend extends HostBackend {
    private final WorkerPool pool;
    private final VectorGemm gemm;

    /** A backend computing on {@code threads >= 1} threads (the caller's included). */
    public VectorBackend(int threads) {
        this.pool = new WorkerPool(threads);
        this.gemm = new VectorGemm(pool);
    }

    /** A backend using every available processor. */
    public VectorBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int threads() {
        return pool.threads();
    }

    @Override
    public int vectorWidth() {
        return FloatVector.SPECIES_PREFERRED.length();
    }

    @Override
    public void close() {
        pool.close();
    }

    // ---------------------------------------------------------------- memory

    @Override
    public void fillUniform(Span dst, float lo, float hi, long seed) {
        float[] d = data(dst);
        int o = dst.intOffset();
        Chunks.elements(pool, dst.intLength(), true, (p, from, to) -> {
            for (int i = from; i < to; i++) d[o + i] = lo + (hi - lo) * CounterRng.uniform(seed, i);
        });
    }

    @Override
    public void fillNormal(Span dst, float mean, float std, long seed) {
        float[] d = data(dst);
        int o = dst.intOffset();
        Chunks.elements(pool, dst.intLength(), true, (p, from, to) -> {
            for (int i = from; i < to; i++) d[o + i] = mean + std * CounterRng.normal(seed, i);
        });
    }

    // ---------------------------------------------------------------- products

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, Span a, int lda, Span b, int ldb, float beta, Span c, int ldc) {
        OpChecks.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        gemm.gemm(transA, transB, m, n, k, alpha, data(a), a.intOffset(), lda, data(b), b.intOffset(), ldb,
                beta, data(c), c.intOffset(), ldc);
    }

    @Override
    public void gemmBatched(boolean transA, boolean transB, int m, int n, int k,
                            float alpha, Span a, int lda, long strideA, Span b, int ldb, long strideB,
                            float beta, Span c, int ldc, long strideC, int batch) {
        OpChecks.gemmBatched(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB,
                beta, c, ldc, strideC, batch);
        if (batch == 0) return;
        // strides of a single matrix are never used (and may be anything); otherwise they fit the spans
        gemm.gemmBatched(transA, transB, m, n, k, alpha, data(a), a.intOffset(), lda, stride(strideA, batch),
                data(b), b.intOffset(), ldb, stride(strideB, batch), beta, data(c), c.intOffset(), ldc,
                stride(strideC, batch), batch);
    }

    private static int stride(long stride, int batch) {
        return batch == 1 ? 0 : Math.toIntExact(stride);
    }

    @Override
    public void gemmBackward(boolean transA, boolean transB, int m, int n, int k,
                             Span a, int lda, Span b, int ldb, Span dC, int ldc, Span dA, Span dB) {
        OpChecks.gemmBackward(transA, transB, m, n, k, a, lda, b, ldb, dC, ldc, dA, dB);
        super.gemmBackward(transA, transB, m, n, k, a, lda, b, ldb, dC, ldc, dA, dB);
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public void add(Span a, Span b, Span out) {
        OpChecks.add(a, b, out);
        VectorElementwise.add(pool, data(a), a.intOffset(), data(b), b.intOffset(), data(out), out.intOffset(),
                a.intLength());
    }

    @Override
    public void addBackward(Span dOut, Span dA, Span dB) {
        OpChecks.addBackward(dOut, dA, dB);
        if (dA != null) accumulate(1f, dOut, dA);
        if (dB != null) accumulate(1f, dOut, dB);
    }

    @Override
    public void mul(Span a, Span b, Span out) {
        OpChecks.mul(a, b, out);
        VectorElementwise.mul(pool, data(a), a.intOffset(), data(b), b.intOffset(), data(out), out.intOffset(),
                a.intLength());
    }

    @Override
    public void mulBackward(Span a, Span b, Span dOut, Span dA, Span dB) {
        OpChecks.mulBackward(a, b, dOut, dA, dB);
        if (dA == null && dB == null) return;
        VectorElementwise.mulBackward(pool, data(a), a.intOffset(), data(b), b.intOffset(), data(dOut),
                dOut.intOffset(), dA == null ? null : data(dA), dA == null ? 0 : dA.intOffset(),
                dB == null ? null : data(dB), dB == null ? 0 : dB.intOffset(), a.intLength());
    }

    @Override
    public void scale(float alpha, Span x, Span out) {
        OpChecks.scale(alpha, x, out);
        VectorElementwise.scale(pool, alpha, data(x), x.intOffset(), data(out), out.intOffset(), x.intLength());
    }

    @Override
    public void scaleBackward(float alpha, Span dOut, Span dX) {
        OpChecks.scaleBackward(alpha, dOut, dX);
        if (dX != null) accumulate(alpha, dOut, dX);
    }

    @Override
    public void axpy(float alpha, Span x, Span y) {
        OpChecks.axpy(alpha, x, y);
        accumulate(alpha, x, y);
    }

    private void accumulate(float alpha, Span x, Span y) {
        VectorElementwise.axpy(pool, alpha, data(x), x.intOffset(), data(y), y.intOffset(), x.intLength());
    }

    // ---------------------------------------------------------------- rows and columns

    @Override
    public void biasAdd(Span x, int rows, int cols, Span bias, Span out) {
        OpChecks.biasAdd(x, rows, cols, bias, out);
        VectorColumns.biasAdd(pool, data(x), x.intOffset(), rows, cols, data(bias), bias.intOffset(),
                data(out), out.intOffset());
    }

    @Override
    public void biasGrad(Span dOut, int rows, int cols, Span dBias) {
        OpChecks.biasGrad(dOut, rows, cols, dBias);
        if (dBias != null)
            VectorColumns.biasGrad(pool, data(dOut), dOut.intOffset(), rows, cols, data(dBias), dBias.intOffset());
    }

    // ---------------------------------------------------------------- activations

    @Override
    public void relu(Span x, Span out) {
        OpChecks.relu(x, out);
        VectorElementwise.relu(pool, data(x), x.intOffset(), data(out), out.intOffset(), x.intLength());
    }

    @Override
    public void reluBackward(Span x, Span dOut, Span dX) {
        OpChecks.reluBackward(x, dOut, dX);
        if (dX != null)
            VectorElementwise.reluBackward(pool, data(x), x.intOffset(), data(dOut), dOut.intOffset(), data(dX),
                    dX.intOffset(), x.intLength());
    }

    @Override
    public void gelu(Span x, Span out) {
        OpChecks.gelu(x, out);
        VectorActivations.gelu(pool, data(x), x.intOffset(), data(out), out.intOffset(), x.intLength());
    }

    @Override
    public void geluBackward(Span x, Span dOut, Span dX) {
        OpChecks.geluBackward(x, dOut, dX);
        if (dX != null)
            VectorActivations.geluBackward(pool, data(x), x.intOffset(), data(dOut), dOut.intOffset(), data(dX),
                    dX.intOffset(), x.intLength());
    }

    // ---------------------------------------------------------------- softmax family

    @Override
    public void softmax(Span x, int rows, int cols, Span mask, Span out) {
        OpChecks.softmax(x, rows, cols, mask, out);
        softmax(x, rows, cols, mask, out, false);
    }

    @Override
    public void logSoftmax(Span x, int rows, int cols, Span mask, Span out) {
        OpChecks.logSoftmax(x, rows, cols, mask, out);
        softmax(x, rows, cols, mask, out, true);
    }

    private void softmax(Span x, int rows, int cols, Span mask, Span out, boolean log) {
        boolean masked = mask != null && cols > 0;
        VectorSoftmax.forward(pool, data(x), x.intOffset(), rows, cols, masked ? data(mask) : null,
                masked ? mask.intOffset() : 0, masked ? mask.intLength() / cols : 1, data(out), out.intOffset(), log);
    }

    @Override
    public void softmaxBackward(Span y, Span dY, int rows, int cols, Span dX) {
        OpChecks.softmaxBackward(y, dY, rows, cols, dX);
        if (dX != null)
            VectorSoftmax.softmaxBackward(pool, data(y), y.intOffset(), data(dY), dY.intOffset(), rows, cols,
                    data(dX), dX.intOffset());
    }

    @Override
    public void logSoftmaxBackward(Span y, Span dY, int rows, int cols, Span dX) {
        OpChecks.logSoftmaxBackward(y, dY, rows, cols, dX);
        if (dX != null)
            VectorSoftmax.logSoftmaxBackward(pool, data(y), y.intOffset(), data(dY), dY.intOffset(), rows, cols,
                    data(dX), dX.intOffset());
    }

    // ---------------------------------------------------------------- losses

    @Override
    public void crossEntropy(Span logits, int rows, int cols, Span targets, int ignoreIndex, Span loss) {
        OpChecks.crossEntropy(logits, rows, cols, targets, ignoreIndex, loss);
        int[] t = VectorLosses.targets("crossEntropy", data(targets), targets.intOffset(), rows, cols, ignoreIndex);
        setScalar(loss, VectorLosses.crossEntropy(pool, data(logits), logits.intOffset(), rows, cols, t));
    }

    @Override
    public void crossEntropyBackward(Span logits, int rows, int cols, Span targets, int ignoreIndex,
                                     Span dLoss, Span dLogits) {
        OpChecks.crossEntropyBackward(logits, rows, cols, targets, ignoreIndex, dLoss, dLogits);
        if (dLogits == null) return;
        int[] t = VectorLosses.targets("crossEntropyBackward", data(targets), targets.intOffset(), rows, cols,
                ignoreIndex);
        VectorLosses.crossEntropyBackward(pool, data(logits), logits.intOffset(), rows, cols, t, scalar(dLoss),
                data(dLogits), dLogits.intOffset());
    }

    @Override
    public void mse(Span a, Span b, Span loss) {
        OpChecks.mse(a, b, loss);
        setScalar(loss, VectorLosses.mse(pool, data(a), a.intOffset(), data(b), b.intOffset(), a.intLength()));
    }

    @Override
    public void mseBackward(Span a, Span b, Span dLoss, Span dA, Span dB) {
        OpChecks.mseBackward(a, b, dLoss, dA, dB);
        if (dA == null && dB == null) return;
        VectorLosses.mseBackward(pool, data(a), a.intOffset(), data(b), b.intOffset(), scalar(dLoss),
                dA == null ? null : data(dA), dA == null ? 0 : dA.intOffset(),
                dB == null ? null : data(dB), dB == null ? 0 : dB.intOffset(), a.intLength());
    }

    @Override
    public void klDiv(Span student, Span teacher, int rows, int cols, float temperature, Span loss) {
        OpChecks.klDiv(student, teacher, rows, cols, temperature, loss);
        setScalar(loss, VectorLosses.klDiv(pool, data(student), student.intOffset(), data(teacher),
                teacher.intOffset(), rows, cols, temperature));
    }

    @Override
    public void klDivBackward(Span student, Span teacher, int rows, int cols, float temperature,
                              Span dLoss, Span dStudent) {
        OpChecks.klDivBackward(student, teacher, rows, cols, temperature, dLoss, dStudent);
        if (dStudent != null)
            VectorLosses.klDivBackward(pool, data(student), student.intOffset(), data(teacher), teacher.intOffset(),
                    rows, cols, temperature, scalar(dLoss), data(dStudent), dStudent.intOffset());
    }

    // ---------------------------------------------------------------- normalisation

    @Override
    public void layerNorm(Span x, int rows, int cols, Span gamma, Span beta, float eps,
                          Span out, Span mean, Span rstd) {
        OpChecks.layerNorm(x, rows, cols, gamma, beta, eps, out, mean, rstd);
        VectorLayerNorm.forward(pool, data(x), x.intOffset(), rows, cols, data(gamma), gamma.intOffset(),
                data(beta), beta.intOffset(), eps, data(out), out.intOffset(), data(mean), mean.intOffset(),
                data(rstd), rstd.intOffset());
    }

    @Override
    public void layerNormBackward(Span x, int rows, int cols, Span gamma, Span mean, Span rstd,
                                  Span dOut, Span dX, Span dGamma, Span dBeta) {
        OpChecks.layerNormBackward(x, rows, cols, gamma, mean, rstd, dOut, dX, dGamma, dBeta);
        VectorLayerNorm.backward(pool, data(x), x.intOffset(), rows, cols, data(gamma), gamma.intOffset(),
                data(mean), mean.intOffset(), data(rstd), rstd.intOffset(), data(dOut), dOut.intOffset(),
                dX == null ? null : data(dX), dX == null ? 0 : dX.intOffset(),
                dGamma == null ? null : data(dGamma), dGamma == null ? 0 : dGamma.intOffset(),
                dBeta == null ? null : data(dBeta), dBeta == null ? 0 : dBeta.intOffset());
    }

    // ---------------------------------------------------------------- embeddings

    @Override
    public void embedding(Span ids, Span table, int vocab, int dim, Span out) {
        OpChecks.embedding(ids, table, vocab, dim, out);
        int[] rows = VectorEmbedding.rows("embedding", data(ids), ids.intOffset(), ids.intLength(), vocab);
        VectorEmbedding.forward(pool, rows, data(table), table.intOffset(), dim, data(out), out.intOffset());
    }

    @Override
    public void embeddingBackward(Span ids, Span dOut, int vocab, int dim, Span dTable) {
        OpChecks.embeddingBackward(ids, dOut, vocab, dim, dTable);
        if (dTable == null) return;
        int[] rows = VectorEmbedding.rows("embeddingBackward", data(ids), ids.intOffset(), ids.intLength(), vocab);
        VectorEmbedding.backward(pool, rows, data(dOut), dOut.intOffset(), dim, data(dTable), dTable.intOffset());
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    public void sgdStep(Span params, Span grads, Span velocity, float lr, float momentum, float weightDecay) {
        OpChecks.sgdStep(params, grads, velocity, lr, momentum, weightDecay);
        boolean useV = momentum != 0;
        VectorOptimizers.sgd(pool, data(params), params.intOffset(), data(grads), grads.intOffset(),
                useV ? data(velocity) : null, useV ? velocity.intOffset() : 0, params.intLength(),
                lr, momentum, weightDecay);
    }

    @Override
    public void adamwStep(Span params, Span grads, Span m, Span v, float lr, float beta1, float beta2, float eps,
                          float weightDecay, long step) {
        OpChecks.adamwStep(params, grads, m, v, lr, beta1, beta2, eps, weightDecay, step);
        VectorOptimizers.adamw(pool, data(params), params.intOffset(), data(grads), grads.intOffset(), data(m),
                m.intOffset(), data(v), v.intOffset(), params.intLength(), lr, beta1, beta2, eps, weightDecay, step);
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public void sum(Span x, Span out) {
        OpChecks.sum(x, out);
        setScalar(out, VectorReductions.sum(pool, data(x), x.intOffset(), x.intLength()));
    }

    @Override
    public void sumBackward(Span dOut, Span dX) {
        OpChecks.sumBackward(dOut, dX);
        if (dX != null) VectorElementwise.addScalar(pool, scalar(dOut), data(dX), dX.intOffset(), dX.intLength());
    }

    @Override
    public void sumOfSquares(Span x, Span out) {
        OpChecks.sumOfSquares(x, out);
        setScalar(out, VectorReductions.sumOfSquares(pool, data(x), x.intOffset(), x.intLength()));
    }

    @Override
    public void max(Span x, Span out) {
        OpChecks.max(x, out);
        float[] xd = data(x);
        setScalar(out, xd[x.intOffset() + VectorReductions.firstMax(pool, xd, x.intOffset(), x.intLength())]);
    }

    @Override
    public void maxBackward(Span x, Span dOut, Span dX) {
        OpChecks.maxBackward(x, dOut, dX);
        if (dX == null) return;
        int i = VectorReductions.firstMax(pool, data(x), x.intOffset(), x.intLength());
        data(dX)[dX.intOffset() + i] += scalar(dOut);
    }

    @Override
    public void argmaxRows(Span x, int rows, int cols, Span out) {
        OpChecks.argmaxRows(x, rows, cols, out);
        VectorReductions.argmaxRows(pool, data(x), x.intOffset(), rows, cols, data(out), out.intOffset());
    }

    // ---------------------------------------------------------------- scalars

    private static float scalar(Span s) {
        return data(s)[s.intOffset()];
    }

    private static void setScalar(Span s, float v) {
        data(s)[s.intOffset()] = v;
    }
}
