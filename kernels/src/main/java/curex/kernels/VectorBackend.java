// The fast CPU backend: every kernel on the JDK Vector API, multi-threaded over rows and fixed chunks.
package curex.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * {@link Backend} on heap buffers with SIMD kernels ({@code jdk.incubator.vector}) and a {@link WorkerPool}.
 * {@link CheckedBackend} has validated every argument; each {@code do*} method hands arrays and offsets to a
 * kernel of the Vector* classes: {@link VectorElementwise}, {@link VectorActivations}, {@link VectorColumns},
 * {@link VectorRows}, {@link VectorStrided}, {@link VectorSoftmax}, {@link VectorLosses}, {@link VectorCosine},
 * {@link VectorLayerNorm}, {@link VectorEmbedding}, {@link VectorOptimizers}, {@link VectorReductions};
 * products go to {@link VectorGemm}.
 *
 * <p>Backward kernels come in two variants: one that overwrites the gradient without reading it (beta 0) and one
 * that adds to it (beta 1). Any other beta first scales the gradient by beta, then adds ({@link #prescale}).
 *
 * <p>Results do not depend on the thread count: work is split at boundaries fixed by the sizes alone, and
 * reductions add their partials in a fixed order. Small inputs run on the calling thread. Edge cases (a fully
 * masked softmax row, ignored rows, NaN in argmax) follow {@link ReferenceBackend}.
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

    /** For a beta other than 0 and 1, {@code g = beta * g}, so that an accumulating kernel completes the update. */
    private void prescale(float beta, Span g) {
        if (g != null && beta != 0 && beta != 1)
            VectorElementwise.scale(pool, beta, data(g), g.intOffset(), data(g), g.intOffset(), g.intLength());
    }

    // ---------------------------------------------------------------- memory

    @Override
    protected void doFillUniform(Span dst, float lo, float hi, long seed) {
        float[] d = data(dst);
        int o = dst.intOffset();
        Chunks.elements(pool, dst.intLength(), true, (p, from, to) -> {
            for (int i = from; i < to; i++) d[o + i] = lo + (hi - lo) * CounterRng.uniform(seed, i);
        });
    }

    @Override
    protected void doFillNormal(Span dst, float mean, float std, long seed) {
        float[] d = data(dst);
        int o = dst.intOffset();
        Chunks.elements(pool, dst.intLength(), true, (p, from, to) -> {
            for (int i = from; i < to; i++) d[o + i] = mean + std * CounterRng.normal(seed, i);
        });
    }

    // ---------------------------------------------------------------- products and layout

    @Override
    protected void doGemm(boolean transA, boolean transB, int m, int n, int k,
                          float alpha, Span a, int lda, Span b, int ldb, float beta, Span c, int ldc) {
        gemm.gemm(transA, transB, m, n, k, alpha, data(a), a.intOffset(), lda, data(b), b.intOffset(), ldb,
                beta, data(c), c.intOffset(), ldc);
    }

    @Override
    protected void doGemmBias(boolean transA, boolean transB, int m, int n, int k, Span a, int lda, Span b, int ldb,
                              Span bias, Span c) {
        gemm.gemmBias(transA, transB, m, n, k, data(a), a.intOffset(), lda, data(b), b.intOffset(), ldb, data(bias),
                bias.intOffset(), data(c), c.intOffset());
    }

    @Override
    protected void doGemmBiasGrad(int m, int n, int k, Span a, Span b, float beta, Span c, float biasBeta,
                                  Span dBias) {
        gemm.gemmBiasGrad(m, n, k, data(a), a.intOffset(), data(b), b.intOffset(), beta, data(c), c.intOffset(),
                biasBeta, data(dBias), dBias.intOffset());
    }

    @Override
    protected void doGemmBatched(boolean transA, boolean transB, int m, int n, int k,
                                 float alpha, Span a, int lda, long strideA, Span b, int ldb, long strideB,
                                 float beta, Span c, int ldc, long strideC, int batch) {
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
    protected void doStridedCopy(int[] shape, Span src, long[] srcStrides, Span dst, long[] dstStrides,
                                 float beta) {
        VectorStrided.copy(pool, shape, data(src), src.intOffset(), srcStrides, data(dst), dst.intOffset(),
                dstStrides, beta);
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    protected void doAdd(Span a, Span b, Span out) {
        VectorElementwise.add(pool, data(a), a.intOffset(), data(b), b.intOffset(), data(out), out.intOffset(),
                a.intLength());
    }

    @Override
    protected void doMul(Span a, Span b, Span out) {
        VectorElementwise.mul(pool, data(a), a.intOffset(), data(b), b.intOffset(), data(out), out.intOffset(),
                a.intLength());
    }

    @Override
    protected void doMulBackward(Span a, Span b, Span dOut, float beta, Span dA, Span dB) {
        prescale(beta, dA);
        prescale(beta, dB);
        VectorElementwise.mulBackward(pool, data(a), a.intOffset(), data(b), b.intOffset(), data(dOut),
                dOut.intOffset(), dA == null ? null : data(dA), dA == null ? 0 : dA.intOffset(),
                dB == null ? null : data(dB), dB == null ? 0 : dB.intOffset(), a.intLength(), beta == 0);
    }

    @Override
    protected void doScale(float alpha, Span x, Span out) {
        VectorElementwise.scale(pool, alpha, data(x), x.intOffset(), data(out), out.intOffset(), x.intLength());
    }

    @Override
    protected void doScaleBackward(float alpha, Span dOut, float beta, Span dX) {
        if (beta == 0) {
            doScale(alpha, dOut, dX);
            return;
        }
        prescale(beta, dX);
        doAxpy(alpha, dOut, dX);
    }

    @Override
    protected void doAxpy(float alpha, Span x, Span y) {
        VectorElementwise.axpy(pool, alpha, data(x), x.intOffset(), data(y), y.intOffset(), x.intLength());
    }

    // ---------------------------------------------------------------- rows and columns

    @Override
    protected void doBiasAdd(Span x, int rows, int cols, Span bias, Span out) {
        VectorColumns.biasAdd(pool, data(x), x.intOffset(), rows, cols, data(bias), bias.intOffset(),
                data(out), out.intOffset());
    }

    @Override
    protected void doBiasGrad(Span dOut, int rows, int cols, float beta, Span dBias) {
        VectorColumns.biasGrad(pool, data(dOut), dOut.intOffset(), rows, cols, beta, data(dBias), dBias.intOffset());
    }

    @Override
    protected void doRowDot(Span x, Span y, int rows, int cols, Span out) {
        VectorRows.dot(pool, data(x), x.intOffset(), data(y), y.intOffset(), rows, cols, data(out), out.intOffset());
    }

    @Override
    protected void doRowScale(Span x, int rows, int cols, Span scale, float beta, Span out) {
        VectorRows.scale(pool, data(x), x.intOffset(), rows, cols, data(scale), scale.intOffset(), beta,
                data(out), out.intOffset());
    }

    // ---------------------------------------------------------------- activations

    @Override
    protected void doRelu(Span x, Span out) {
        VectorElementwise.relu(pool, data(x), x.intOffset(), data(out), out.intOffset(), x.intLength());
    }

    @Override
    protected void doReluBackward(Span x, Span dOut, float beta, Span dX) {
        prescale(beta, dX);
        VectorElementwise.reluBackward(pool, data(x), x.intOffset(), data(dOut), dOut.intOffset(), data(dX),
                dX.intOffset(), x.intLength(), beta == 0);
    }

    @Override
    protected void doGelu(Span x, Span out) {
        VectorActivations.gelu(pool, data(x), x.intOffset(), data(out), out.intOffset(), x.intLength());
    }

    @Override
    protected void doGeluWithDerivative(Span x, Span out, Span derivative) {
        VectorActivations.geluWithDerivative(pool, data(x), x.intOffset(), data(out), out.intOffset(),
                data(derivative), derivative.intOffset(), x.intLength());
    }

    @Override
    protected void doGeluBackward(Span x, Span dOut, float beta, Span dX) {
        prescale(beta, dX);
        VectorActivations.geluBackward(pool, data(x), x.intOffset(), data(dOut), dOut.intOffset(), data(dX),
                dX.intOffset(), x.intLength(), beta == 0);
    }

    // ---------------------------------------------------------------- attention

    @Override
    protected void doAttention(Span q, Span k, Span v, Span mask, int batch, int queries, int seq, int heads,
                               int headDim, float scale, Span probs, Span out) {
        VectorAttention.forward(pool, null, data(q), q.intOffset(), data(k), k.intOffset(), data(v), v.intOffset(),
                mask == null ? null : data(mask), mask == null ? 0 : mask.intOffset(), batch, queries, seq, heads,
                headDim, scale, data(probs), probs.intOffset(), data(out), out.intOffset());
    }

    /** The kernel reads each sequence's rows from the tables into a scratch of its own, no gathered tensors. */
    @Override
    protected void doAttentionOfRows(int[] rows, Span q, Span k, Span v, Span mask, int batch, int seq, int heads,
                                     int headDim, float scale, Span probs, Span out) {
        VectorAttention.forward(pool, rows, data(q), q.intOffset(), data(k), k.intOffset(), data(v), v.intOffset(),
                mask == null ? null : data(mask), mask == null ? 0 : mask.intOffset(), batch, seq, seq, heads,
                headDim, scale, data(probs), probs.intOffset(), data(out), out.intOffset());
    }

    @Override
    protected void doAttentionBackward(Span q, Span k, Span v, Span probs, Span dOut, int batch, int queries, int seq,
                                       int heads, int headDim, float scale, float beta, Span dQ, Span dK, Span dV) {
        attentionBackward(null, q, k, v, probs, dOut, batch, queries, seq, heads, headDim, scale, beta, dQ, dK, dV);
    }

    @Override
    protected void doAttentionOfRowsBackward(int[] rows, Span q, Span k, Span v, Span probs, Span dOut, int batch,
                                             int seq, int heads, int headDim, float scale, float beta, Span dQ,
                                             Span dK, Span dV) {
        attentionBackward(rows, q, k, v, probs, dOut, batch, seq, seq, heads, headDim, scale, beta, dQ, dK, dV);
    }

    /** The backward of both attentions: q, k and v rows of (batch, seq) tensors, or of tables through rows. */
    private void attentionBackward(int[] rows, Span q, Span k, Span v, Span probs, Span dOut, int batch, int queries,
                                   int seq, int heads, int headDim, float scale, float beta, Span dQ, Span dK,
                                   Span dV) {
        prescale(beta, dQ);
        prescale(beta, dK);
        if (dV != null && !dV.equals(dK)) prescale(beta, dV);
        VectorAttention.backward(pool, rows, data(q), q.intOffset(), data(k), k.intOffset(), data(v), v.intOffset(),
                data(probs), probs.intOffset(), data(dOut), dOut.intOffset(), batch, queries, seq, heads, headDim,
                scale,
                beta == 0, dQ == null ? null : data(dQ), dQ == null ? 0 : dQ.intOffset(),
                dK == null ? null : data(dK), dK == null ? 0 : dK.intOffset(),
                dV == null ? null : data(dV), dV == null ? 0 : dV.intOffset());
    }

    // ---------------------------------------------------------------- softmax family

    @Override
    protected void doSoftmax(Span x, int rows, int cols, Span mask, int maskRepeat, Span out) {
        softmax(x, rows, cols, mask, maskRepeat, out, false);
    }

    @Override
    protected void doLogSoftmax(Span x, int rows, int cols, Span mask, int maskRepeat, Span out) {
        softmax(x, rows, cols, mask, maskRepeat, out, true);
    }

    private void softmax(Span x, int rows, int cols, Span mask, int maskRepeat, Span out, boolean log) {
        boolean masked = mask != null && cols > 0;
        VectorSoftmax.forward(pool, data(x), x.intOffset(), rows, cols, masked ? data(mask) : null,
                masked ? mask.intOffset() : 0, masked ? mask.intLength() / cols : 1, maskRepeat, data(out), out.intOffset(), log);
    }

    @Override
    protected void doSoftmaxBackward(Span y, Span dY, int rows, int cols, float beta, Span dX) {
        prescale(beta, dX);
        VectorSoftmax.softmaxBackward(pool, data(y), y.intOffset(), data(dY), dY.intOffset(), rows, cols,
                data(dX), dX.intOffset(), beta == 0);
    }

    @Override
    protected void doLogSoftmaxBackward(Span y, Span dY, int rows, int cols, float beta, Span dX) {
        prescale(beta, dX);
        VectorSoftmax.logSoftmaxBackward(pool, data(y), y.intOffset(), data(dY), dY.intOffset(), rows, cols,
                data(dX), dX.intOffset(), beta == 0);
    }

    // ---------------------------------------------------------------- losses

    @Override
    protected void doCrossEntropy(Span logits, int rows, int cols, Span targets, int ignoreIndex, Span loss) {
        int[] t = VectorLosses.targets("crossEntropy", ints(targets), targets.intOffset(), rows, cols, ignoreIndex);
        setScalar(loss, VectorLosses.crossEntropy(pool, data(logits), logits.intOffset(), rows, cols, t));
    }

    @Override
    protected void doCrossEntropyBackward(Span logits, int rows, int cols, Span targets, int ignoreIndex,
                                          Span dLoss, float beta, Span dLogits) {
        int[] t = VectorLosses.targets("crossEntropyBackward", ints(targets), targets.intOffset(), rows, cols,
                ignoreIndex);
        prescale(beta, dLogits);
        VectorLosses.crossEntropyBackward(pool, data(logits), logits.intOffset(), rows, cols, t, scalar(dLoss),
                data(dLogits), dLogits.intOffset(), beta == 0);
    }

    @Override
    protected void doMse(Span a, Span b, Span loss) {
        setScalar(loss, VectorLosses.mse(pool, data(a), a.intOffset(), data(b), b.intOffset(), a.intLength()));
    }

    @Override
    protected void doMseBackward(Span a, Span b, Span dLoss, float beta, Span dA, Span dB) {
        prescale(beta, dA);
        prescale(beta, dB);
        VectorLosses.mseBackward(pool, data(a), a.intOffset(), data(b), b.intOffset(), scalar(dLoss),
                dA == null ? null : data(dA), dA == null ? 0 : dA.intOffset(),
                dB == null ? null : data(dB), dB == null ? 0 : dB.intOffset(), a.intLength(), beta == 0);
    }

    @Override
    protected void doKlDiv(Span student, Span teacher, int rows, int cols, float temperature, Span loss) {
        setScalar(loss, VectorLosses.klDiv(pool, data(student), student.intOffset(), data(teacher),
                teacher.intOffset(), rows, cols, temperature));
    }

    @Override
    protected void doKlDivBackward(Span student, Span teacher, int rows, int cols, float temperature,
                                   Span dLoss, float beta, Span dStudent) {
        prescale(beta, dStudent);
        VectorLosses.klDivBackward(pool, data(student), student.intOffset(), data(teacher), teacher.intOffset(),
                rows, cols, temperature, scalar(dLoss), data(dStudent), dStudent.intOffset(), beta == 0);
    }

    @Override
    protected void doCosineLoss(Span dots, int rows, float eps, Span loss) {
        setScalar(loss, VectorCosine.loss(data(dots), dots.intOffset(), rows, eps));
    }

    @Override
    protected void doCosineLossBackward(Span dots, int rows, float eps, Span dLoss, Span coef) {
        VectorCosine.backward(data(dots), dots.intOffset(), rows, eps, scalar(dLoss), data(coef), coef.intOffset());
    }

    // ---------------------------------------------------------------- normalisation and embeddings

    @Override
    protected void doLayerNorm(Span x, int rows, int cols, Span gamma, Span beta, float eps,
                               Span out, Span mean, Span rstd) {
        VectorLayerNorm.forward(pool, data(x), x.intOffset(), rows, cols, data(gamma), gamma.intOffset(),
                data(beta), beta.intOffset(), eps, data(out), out.intOffset(), data(mean), mean.intOffset(),
                data(rstd), rstd.intOffset());
    }

    /** dX is prescaled like any gradient; dGamma and dBeta take beta when their partial sums are added. */
    @Override
    protected void doLayerNormBackward(Span x, int rows, int cols, Span gamma, Span mean, Span rstd,
                                       Span dOut, float beta, Span dX, Span dGamma, Span dBeta) {
        prescale(beta, dX);
        VectorLayerNorm.backward(pool, data(x), x.intOffset(), rows, cols, data(gamma), gamma.intOffset(),
                data(mean), mean.intOffset(), data(rstd), rstd.intOffset(), data(dOut), dOut.intOffset(),
                dX == null ? null : data(dX), dX == null ? 0 : dX.intOffset(), beta == 0, beta,
                dGamma == null ? null : data(dGamma), dGamma == null ? 0 : dGamma.intOffset(),
                dBeta == null ? null : data(dBeta), dBeta == null ? 0 : dBeta.intOffset());
    }

    @Override
    protected void doEmbedding(Span ids, Span table, int vocab, int dim, Span out) {
        int[] rows = indexes("embedding", "id", ids, vocab);
        VectorEmbedding.forward(pool, rows, data(table), table.intOffset(), dim, data(out), out.intOffset());
    }

    @Override
    protected void doPaddingMask(Span ids, int padId, Span out) {
        VectorEmbedding.paddingMask(ints(ids), ids.intOffset(), padId, data(out), out.intOffset(), ids.intLength());
    }

    /** A scatter in id order; for a beta other than 0 and 1 the table is scaled first. */
    @Override
    protected void doEmbeddingBackward(Span ids, Span dOut, int vocab, int dim, float beta, Span dTable) {
        int[] rows = indexes("embeddingBackward", "id", ids, vocab);
        if (beta == 0) {
            VectorEmbedding.overwrite(pool, rows, data(dOut), dOut.intOffset(), vocab, dim, data(dTable),
                    dTable.intOffset());
            return;
        }
        prescale(beta, dTable);
        VectorEmbedding.backward(pool, rows, data(dOut), dOut.intOffset(), dim, data(dTable), dTable.intOffset());
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    protected void doSgdStep(Span params, Span grads, Span velocity, float lr, float momentum, float weightDecay) {
        boolean useV = momentum != 0;
        VectorOptimizers.sgd(pool, data(params), params.intOffset(), data(grads), grads.intOffset(),
                useV ? data(velocity) : null, useV ? velocity.intOffset() : 0, params.intLength(),
                lr, momentum, weightDecay);
    }

    @Override
    protected void doAdamwStep(Span params, Span grads, Span m, Span v, float lr, float beta1, float beta2,
                               float eps, float weightDecay, long step) {
        VectorOptimizers.adamw(pool, data(params), params.intOffset(), data(grads), grads.intOffset(), data(m),
                m.intOffset(), data(v), v.intOffset(), params.intLength(), lr, beta1, beta2, eps, weightDecay, step);
    }

    // ---------------------------------------------------------------- reductions

    @Override
    protected void doSum(Span x, Span out) {
        setScalar(out, VectorReductions.sum(pool, data(x), x.intOffset(), x.intLength()));
    }

    @Override
    protected void doSumBackward(Span dOut, float beta, Span dX) {
        float g = scalar(dOut);
        if (beta == 0) {
            VectorElementwise.fill(pool, g, data(dX), dX.intOffset(), dX.intLength());
            return;
        }
        prescale(beta, dX);
        VectorElementwise.addScalar(pool, g, data(dX), dX.intOffset(), dX.intLength());
    }

    @Override
    protected void doSumOfSquares(Span x, Span out) {
        setScalar(out, VectorReductions.sumOfSquares(pool, data(x), x.intOffset(), x.intLength()));
    }

    @Override
    protected void doArgmaxRows(Span x, int rows, int cols, Span out) {
        VectorReductions.argmaxRows(pool, data(x), x.intOffset(), rows, cols, ints(out), out.intOffset());
    }

    // ---------------------------------------------------------------- scalars

    private static float scalar(Span s) {
        return data(s)[s.intOffset()];
    }

    private static void setScalar(Span s, float v) {
        data(s)[s.intOffset()] = v;
    }
}
