// Template for every backend: each public op validates its arguments once, here, then calls the backend's do* method.
package curex.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Base class of the backends. Every public op is final: it runs the {@link OpChecks} of its name (shapes, dtypes,
 * scalars), so that all backends reject the same calls with the same messages, and then calls the protected
 * {@code do*} method of the same parameters, which a backend implements without checking anything again.
 *
 * <p>What a {@code do*} method may rely on: its arguments passed those checks; a backward kernel with a single
 * gradient output is called only when that output is non-null, one with several outputs only when at least one
 * is non-null; {@code beta} is finite; a strided copy has no zero in its shape. Values inside buffers (class
 * indices, token ids) are not checked here: the kernel checks them with {@link Check#index} as it reads them.
 */
public abstract class CheckedBackend implements Backend {

    // ---------------------------------------------------------------- memory

    @Override
    public final Buffer allocate(long length) {
        OpChecks.allocate("allocate", length);
        return doAllocate(length);
    }

    @Override
    public final Buffer allocateInts(long length) {
        OpChecks.allocate("allocateInts", length);
        return doAllocateInts(length);
    }

    @Override
    public final void copyFromHost(float[] src, int srcOffset, Span dst) {
        if (src == null) throw new ShapeException("copyFromHost: src is null");
        OpChecks.copyFromHost(src.length, srcOffset, dst, DType.F32);
        doCopyFromHost(src, srcOffset, dst);
    }

    @Override
    public final void copyFromHost(int[] src, int srcOffset, Span dst) {
        if (src == null) throw new ShapeException("copyFromHost: src is null");
        OpChecks.copyFromHost(src.length, srcOffset, dst, DType.I32);
        doCopyFromHost(src, srcOffset, dst);
    }

    @Override
    public final void copyFromHost(MemorySegment src, long srcByteOffset, Span dst) {
        OpChecks.segment("copyFromHost", "src", src, srcByteOffset, dst);
        doCopyFromHost(src, srcByteOffset, dst);
    }

    @Override
    public final void copyToHost(Span src, float[] dst, int dstOffset) {
        if (dst == null) throw new ShapeException("copyToHost: dst is null");
        OpChecks.copyToHost(src, dst.length, dstOffset, DType.F32);
        doCopyToHost(src, dst, dstOffset);
    }

    @Override
    public final void copyToHost(Span src, int[] dst, int dstOffset) {
        if (dst == null) throw new ShapeException("copyToHost: dst is null");
        OpChecks.copyToHost(src, dst.length, dstOffset, DType.I32);
        doCopyToHost(src, dst, dstOffset);
    }

    @Override
    public final void copyToHost(Span src, MemorySegment dst, long dstByteOffset) {
        OpChecks.segment("copyToHost", "dst", dst, dstByteOffset, src);
        if (dst.isReadOnly()) throw new IllegalArgumentException("copyToHost: dst segment is read-only");
        doCopyToHost(src, dst, dstByteOffset);
    }

    @Override
    public final void copy(Span src, Span dst) {
        OpChecks.copy(src, dst);
        doCopy(src, dst);
    }

    @Override
    public final void fill(Span dst, float value) {
        OpChecks.fill("fill", dst);
        doFill(dst, value);
    }

    @Override
    public final void fillUniform(Span dst, float lo, float hi, long seed) {
        OpChecks.fillUniform(dst, lo, hi);
        doFillUniform(dst, lo, hi, seed);
    }

    @Override
    public final void fillNormal(Span dst, float mean, float std, long seed) {
        OpChecks.fillNormal(dst, std);
        doFillNormal(dst, mean, std, seed);
    }

    protected abstract Buffer doAllocate(long length);

    protected abstract Buffer doAllocateInts(long length);

    protected abstract void doCopyFromHost(float[] src, int srcOffset, Span dst);

    protected abstract void doCopyFromHost(int[] src, int srcOffset, Span dst);

    protected abstract void doCopyFromHost(MemorySegment src, long srcByteOffset, Span dst);

    protected abstract void doCopyToHost(Span src, float[] dst, int dstOffset);

    protected abstract void doCopyToHost(Span src, int[] dst, int dstOffset);

    protected abstract void doCopyToHost(Span src, MemorySegment dst, long dstByteOffset);

    protected abstract void doCopy(Span src, Span dst);

    protected abstract void doFill(Span dst, float value);

    protected abstract void doFillUniform(Span dst, float lo, float hi, long seed);

    protected abstract void doFillNormal(Span dst, float mean, float std, long seed);

    // ---------------------------------------------------------------- products and layout

    @Override
    public final void gemm(boolean transA, boolean transB, int m, int n, int k,
                           float alpha, Span a, int lda, Span b, int ldb, float beta, Span c, int ldc) {
        OpChecks.gemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        doGemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    public final void gemmBias(boolean transA, boolean transB, int m, int n, int k, Span a, int lda, Span b, int ldb,
                               Span bias, Span c) {
        OpChecks.gemmBias(transA, transB, m, n, k, a, lda, b, ldb, bias, c);
        doGemmBias(transA, transB, m, n, k, a, lda, b, ldb, bias, c);
    }

    @Override
    public final void gemmBiasGrad(int m, int n, int k, Span a, Span b, float beta, Span c, float biasBeta,
                                   Span dBias) {
        OpChecks.gemmBiasGrad(m, n, k, a, b, c, dBias);
        beta("gemmBiasGrad", beta);
        beta("gemmBiasGrad", biasBeta);
        doGemmBiasGrad(m, n, k, a, b, beta, c, biasBeta, dBias);
    }

    @Override
    public final void gemmBatched(boolean transA, boolean transB, int m, int n, int k,
                                  float alpha, Span a, int lda, long strideA, Span b, int ldb, long strideB,
                                  float beta, Span c, int ldc, long strideC, int batch) {
        OpChecks.gemmBatched(transA, transB, m, n, k, a, lda, strideA, b, ldb, strideB, c, ldc, strideC, batch);
        doGemmBatched(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC,
                batch);
    }

    @Override
    public final void stridedCopy(int[] shape, Span src, long[] srcStrides, Span dst, long[] dstStrides,
                                  float beta) {
        OpChecks.stridedCopy(shape, src, srcStrides, dst, dstStrides);
        beta("stridedCopy", beta);
        for (int d : shape) if (d == 0) return;
        doStridedCopy(shape.clone(), src, srcStrides.clone(), dst, dstStrides.clone(), beta);
    }

    protected abstract void doGemm(boolean transA, boolean transB, int m, int n, int k,
                                   float alpha, Span a, int lda, Span b, int ldb, float beta, Span c, int ldc);

    /** The product, then the bias pass; a backend that can add the bias as it writes C overrides this. */
    protected void doGemmBias(boolean transA, boolean transB, int m, int n, int k, Span a, int lda, Span b, int ldb,
                              Span bias, Span c) {
        doGemm(transA, transB, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);
        doBiasAdd(c, m, n, bias, c);
    }

    /** The product, then the column sums; a backend that can sum A as it reads it for the product overrides this. */
    protected void doGemmBiasGrad(int m, int n, int k, Span a, Span b, float beta, Span c, float biasBeta,
                                  Span dBias) {
        doGemm(true, false, m, n, k, 1f, a, m, b, n, beta, c, n);
        doBiasGrad(a, k, m, biasBeta, dBias);
    }

    protected abstract void doGemmBatched(boolean transA, boolean transB, int m, int n, int k,
                                          float alpha, Span a, int lda, long strideA, Span b, int ldb, long strideB,
                                          float beta, Span c, int ldc, long strideC, int batch);

    protected abstract void doStridedCopy(int[] shape, Span src, long[] srcStrides, Span dst, long[] dstStrides,
                                          float beta);

    // ---------------------------------------------------------------- elementwise

    @Override
    public final void add(Span a, Span b, Span out) {
        OpChecks.add(a, b, out);
        doAdd(a, b, out);
    }

    @Override
    public final void mul(Span a, Span b, Span out) {
        OpChecks.mul(a, b, out);
        doMul(a, b, out);
    }

    @Override
    public final void mulBackward(Span a, Span b, Span dOut, float beta, Span dA, Span dB) {
        OpChecks.mulBackward(a, b, dOut, beta, dA, dB);
        beta("mulBackward", beta);
        if (dA != null || dB != null) doMulBackward(a, b, dOut, beta, dA, dB);
    }

    @Override
    public final void scale(float alpha, Span x, Span out) {
        OpChecks.scale(x, out);
        doScale(alpha, x, out);
    }

    @Override
    public final void scaleBackward(float alpha, Span dOut, float beta, Span dX) {
        OpChecks.scaleBackward(dOut, dX);
        beta("scaleBackward", beta);
        if (dX != null) doScaleBackward(alpha, dOut, beta, dX);
    }

    @Override
    public final void axpy(float alpha, Span x, Span y) {
        OpChecks.axpy(x, y);
        doAxpy(alpha, x, y);
    }

    protected abstract void doAdd(Span a, Span b, Span out);

    protected abstract void doMul(Span a, Span b, Span out);

    protected abstract void doMulBackward(Span a, Span b, Span dOut, float beta, Span dA, Span dB);

    protected abstract void doScale(float alpha, Span x, Span out);

    protected abstract void doScaleBackward(float alpha, Span dOut, float beta, Span dX);

    protected abstract void doAxpy(float alpha, Span x, Span y);

    // ---------------------------------------------------------------- rows and columns

    @Override
    public final void biasAdd(Span x, int rows, int cols, Span bias, Span out) {
        OpChecks.biasAdd(x, rows, cols, bias, out);
        doBiasAdd(x, rows, cols, bias, out);
    }

    @Override
    public final void biasGrad(Span dOut, int rows, int cols, float beta, Span dBias) {
        OpChecks.biasGrad(dOut, rows, cols, dBias);
        beta("biasGrad", beta);
        if (dBias != null) doBiasGrad(dOut, rows, cols, beta, dBias);
    }

    @Override
    public final void rowDot(Span x, Span y, int rows, int cols, Span out) {
        OpChecks.rowDot(x, y, rows, cols, out);
        doRowDot(x, y, rows, cols, out);
    }

    @Override
    public final void rowScale(Span x, int rows, int cols, Span scale, float beta, Span out) {
        OpChecks.rowScale(x, rows, cols, scale, out);
        beta("rowScale", beta);
        doRowScale(x, rows, cols, scale, beta, out);
    }

    protected abstract void doBiasAdd(Span x, int rows, int cols, Span bias, Span out);

    protected abstract void doBiasGrad(Span dOut, int rows, int cols, float beta, Span dBias);

    protected abstract void doRowDot(Span x, Span y, int rows, int cols, Span out);

    protected abstract void doRowScale(Span x, int rows, int cols, Span scale, float beta, Span out);

    // ---------------------------------------------------------------- activations

    @Override
    public final void relu(Span x, Span out) {
        OpChecks.unary("relu", x, out);
        doRelu(x, out);
    }

    @Override
    public final void reluBackward(Span x, Span dOut, float beta, Span dX) {
        OpChecks.unaryBackward("reluBackward", x, dOut, dX);
        beta("reluBackward", beta);
        if (dX != null) doReluBackward(x, dOut, beta, dX);
    }

    @Override
    public final void gelu(Span x, Span out) {
        OpChecks.unary("gelu", x, out);
        doGelu(x, out);
    }

    @Override
    public final void geluBackward(Span x, Span dOut, float beta, Span dX) {
        OpChecks.unaryBackward("geluBackward", x, dOut, dX);
        beta("geluBackward", beta);
        if (dX != null) doGeluBackward(x, dOut, beta, dX);
    }

    @Override
    public final void geluWithDerivative(Span x, Span out, Span derivative) {
        OpChecks.geluWithDerivative(x, out, derivative);
        doGeluWithDerivative(x, out, derivative);
    }

    protected abstract void doRelu(Span x, Span out);

    protected abstract void doReluBackward(Span x, Span dOut, float beta, Span dX);

    protected abstract void doGelu(Span x, Span out);

    protected abstract void doGeluBackward(Span x, Span dOut, float beta, Span dX);

    /** The derivative as the backward of ones (it overlaps neither x nor out), then the forward. */
    protected void doGeluWithDerivative(Span x, Span out, Span derivative) {
        doFill(derivative, 1f);
        doGeluBackward(x, derivative, 0f, derivative);
        doGelu(x, out);
    }

    // ---------------------------------------------------------------- softmax family

    @Override
    public final void softmax(Span x, int rows, int cols, Span mask, int maskRepeat, Span out) {
        OpChecks.rowsAndMask("softmax", x, rows, cols, mask, maskRepeat, out);
        doSoftmax(x, rows, cols, mask, maskRepeat, out);
    }

    @Override
    public final void softmaxBackward(Span y, Span dY, int rows, int cols, float beta, Span dX) {
        OpChecks.rowsBackward("softmaxBackward", y, dY, rows, cols, dX);
        beta("softmaxBackward", beta);
        if (dX != null) doSoftmaxBackward(y, dY, rows, cols, beta, dX);
    }

    @Override
    public final void logSoftmax(Span x, int rows, int cols, Span mask, int maskRepeat, Span out) {
        OpChecks.rowsAndMask("logSoftmax", x, rows, cols, mask, maskRepeat, out);
        doLogSoftmax(x, rows, cols, mask, maskRepeat, out);
    }

    @Override
    public final void logSoftmaxBackward(Span y, Span dY, int rows, int cols, float beta, Span dX) {
        OpChecks.rowsBackward("logSoftmaxBackward", y, dY, rows, cols, dX);
        beta("logSoftmaxBackward", beta);
        if (dX != null) doLogSoftmaxBackward(y, dY, rows, cols, beta, dX);
    }

    protected abstract void doSoftmax(Span x, int rows, int cols, Span mask, int maskRepeat, Span out);

    protected abstract void doSoftmaxBackward(Span y, Span dY, int rows, int cols, float beta, Span dX);

    protected abstract void doLogSoftmax(Span x, int rows, int cols, Span mask, int maskRepeat, Span out);

    protected abstract void doLogSoftmaxBackward(Span y, Span dY, int rows, int cols, float beta, Span dX);

    // ---------------------------------------------------------------- losses

    @Override
    public final void crossEntropy(Span logits, int rows, int cols, Span targets, int ignoreIndex, Span loss) {
        OpChecks.crossEntropy(logits, rows, cols, targets, loss);
        doCrossEntropy(logits, rows, cols, targets, ignoreIndex, loss);
    }

    @Override
    public final void crossEntropyBackward(Span logits, int rows, int cols, Span targets, int ignoreIndex,
                                           Span dLoss, float beta, Span dLogits) {
        OpChecks.crossEntropyBackward(logits, rows, cols, targets, dLoss, dLogits);
        beta("crossEntropyBackward", beta);
        if (dLogits != null) doCrossEntropyBackward(logits, rows, cols, targets, ignoreIndex, dLoss, beta, dLogits);
    }

    @Override
    public final void mse(Span a, Span b, Span loss) {
        OpChecks.mse(a, b, loss);
        doMse(a, b, loss);
    }

    @Override
    public final void mseBackward(Span a, Span b, Span dLoss, float beta, Span dA, Span dB) {
        OpChecks.mseBackward(a, b, dLoss, beta, dA, dB);
        beta("mseBackward", beta);
        if (dA != null || dB != null) doMseBackward(a, b, dLoss, beta, dA, dB);
    }

    @Override
    public final void klDiv(Span student, Span teacher, int rows, int cols, float temperature, Span loss) {
        OpChecks.klDiv(student, teacher, rows, cols, temperature, loss);
        doKlDiv(student, teacher, rows, cols, temperature, loss);
    }

    @Override
    public final void klDivBackward(Span student, Span teacher, int rows, int cols, float temperature,
                                    Span dLoss, float beta, Span dStudent) {
        OpChecks.klDivBackward(student, teacher, rows, cols, temperature, dLoss, dStudent);
        beta("klDivBackward", beta);
        if (dStudent != null) doKlDivBackward(student, teacher, rows, cols, temperature, dLoss, beta, dStudent);
    }

    @Override
    public final void cosineLoss(Span dots, int rows, float eps, Span loss) {
        OpChecks.cosineLoss(dots, rows, eps, loss);
        doCosineLoss(dots, rows, eps, loss);
    }

    @Override
    public final void cosineLossBackward(Span dots, int rows, float eps, Span dLoss, Span coef) {
        OpChecks.cosineLossBackward(dots, rows, eps, dLoss, coef);
        doCosineLossBackward(dots, rows, eps, dLoss, coef);
    }

    protected abstract void doCrossEntropy(Span logits, int rows, int cols, Span targets, int ignoreIndex,
                                           Span loss);

    protected abstract void doCrossEntropyBackward(Span logits, int rows, int cols, Span targets, int ignoreIndex,
                                                   Span dLoss, float beta, Span dLogits);

    protected abstract void doMse(Span a, Span b, Span loss);

    protected abstract void doMseBackward(Span a, Span b, Span dLoss, float beta, Span dA, Span dB);

    protected abstract void doKlDiv(Span student, Span teacher, int rows, int cols, float temperature, Span loss);

    protected abstract void doKlDivBackward(Span student, Span teacher, int rows, int cols, float temperature,
                                            Span dLoss, float beta, Span dStudent);

    protected abstract void doCosineLoss(Span dots, int rows, float eps, Span loss);

    protected abstract void doCosineLossBackward(Span dots, int rows, float eps, Span dLoss, Span coef);

    // ---------------------------------------------------------------- normalisation and embeddings

    // ---------------------------------------------------------------- attention

    @Override
    public final void attention(Span q, Span k, Span v, Span mask, int batch, int queries, int seq, int heads,
                                int headDim, float scale, Span probs, Span out) {
        OpChecks.attention(q, k, v, mask, batch, queries, seq, heads, headDim, scale, probs, out);
        doAttention(q, k, v, mask, batch, queries, seq, heads, headDim, scale, probs, out);
    }

    @Override
    public final void attentionBackward(Span q, Span k, Span v, Span probs, Span dOut, int batch, int queries,
                                        int seq, int heads, int headDim, float scale, float beta, Span dQ, Span dK,
                                        Span dV) {
        OpChecks.attentionBackward(q, k, v, probs, dOut, batch, queries, seq, heads, headDim, scale, dQ, dK, dV);
        beta("attentionBackward", beta);
        if (dQ != null || dK != null || dV != null)
            doAttentionBackward(q, k, v, probs, dOut, batch, queries, seq, heads, headDim, scale, beta, dQ, dK, dV);
    }

    /** Composed of this backend's products and softmax ({@link ComposedAttention}) unless a backend fuses it. */
    protected void doAttention(Span q, Span k, Span v, Span mask, int batch, int queries, int seq, int heads,
                               int headDim, float scale, Span probs, Span out) {
        ComposedAttention.forward(this, q, k, v, mask, batch, queries, seq, heads, headDim, scale, probs, out);
    }

    /** Composed of this backend's products and softmax backward ({@link ComposedAttention}) unless fused. */
    protected void doAttentionBackward(Span q, Span k, Span v, Span probs, Span dOut, int batch, int queries, int seq,
                                       int heads, int headDim, float scale, float beta, Span dQ, Span dK, Span dV) {
        ComposedAttention.backward(this, q, k, v, probs, dOut, batch, queries, seq, heads, headDim, scale, beta, dQ,
                dK, dV);
    }

    @Override
    public final void layerNorm(Span x, int rows, int cols, Span gamma, Span beta, float eps,
                                Span out, Span mean, Span rstd) {
        OpChecks.layerNorm(x, rows, cols, gamma, beta, eps, out, mean, rstd);
        doLayerNorm(x, rows, cols, gamma, beta, eps, out, mean, rstd);
    }

    @Override
    public final void layerNormBackward(Span x, int rows, int cols, Span gamma, Span mean, Span rstd,
                                        Span dOut, float beta, Span dX, Span dGamma, Span dBeta) {
        OpChecks.layerNormBackward(x, rows, cols, gamma, mean, rstd, dOut, dX, dGamma, dBeta);
        beta("layerNormBackward", beta);
        if (dX != null || dGamma != null || dBeta != null)
            doLayerNormBackward(x, rows, cols, gamma, mean, rstd, dOut, beta, dX, dGamma, dBeta);
    }

    @Override
    public final void embedding(Span ids, Span table, int vocab, int dim, Span out) {
        OpChecks.embedding(ids, table, vocab, dim, out);
        doEmbedding(ids, table, vocab, dim, out);
    }

    @Override
    public final void embeddingBackward(Span ids, Span dOut, int vocab, int dim, float beta, Span dTable) {
        OpChecks.embeddingBackward(ids, dOut, vocab, dim, dTable);
        beta("embeddingBackward", beta);
        if (dTable != null) doEmbeddingBackward(ids, dOut, vocab, dim, beta, dTable);
    }

    @Override
    public final void paddingMask(Span ids, int padId, Span out) {
        Check.dtype("paddingMask", "ids", ids, DType.I32);
        Check.dtype("paddingMask", "out", out, DType.F32);
        Check.length("paddingMask", "out (as many as ids, " + ids.length() + ")", out, ids.length());
        doPaddingMask(ids, padId, out);
    }

    protected abstract void doPaddingMask(Span ids, int padId, Span out);

    protected abstract void doLayerNorm(Span x, int rows, int cols, Span gamma, Span beta, float eps,
                                        Span out, Span mean, Span rstd);

    protected abstract void doLayerNormBackward(Span x, int rows, int cols, Span gamma, Span mean, Span rstd,
                                                Span dOut, float beta, Span dX, Span dGamma, Span dBeta);

    protected abstract void doEmbedding(Span ids, Span table, int vocab, int dim, Span out);

    protected abstract void doEmbeddingBackward(Span ids, Span dOut, int vocab, int dim, float beta, Span dTable);

    // ---------------------------------------------------------------- optimizers

    @Override
    public final void sgdStep(Span params, Span grads, Span velocity, float lr, float momentum,
                              float weightDecay) {
        OpChecks.sgdStep(params, grads, velocity, momentum);
        doSgdStep(params, grads, velocity, lr, momentum, weightDecay);
    }

    @Override
    public final void adamwStep(Span params, Span grads, Span m, Span v, float lr, float beta1, float beta2,
                                float eps, float weightDecay, long step) {
        OpChecks.adamwStep(params, grads, m, v, beta1, beta2, step);
        doAdamwStep(params, grads, m, v, lr, beta1, beta2, eps, weightDecay, step);
    }

    protected abstract void doSgdStep(Span params, Span grads, Span velocity, float lr, float momentum,
                                      float weightDecay);

    protected abstract void doAdamwStep(Span params, Span grads, Span m, Span v, float lr, float beta1,
                                        float beta2, float eps, float weightDecay, long step);

    // ---------------------------------------------------------------- reductions

    @Override
    public final void sum(Span x, Span out) {
        OpChecks.reduction("sum", x, out);
        doSum(x, out);
    }

    @Override
    public final void sumBackward(Span dOut, float beta, Span dX) {
        OpChecks.sumBackward(dOut, dX);
        beta("sumBackward", beta);
        if (dX != null) doSumBackward(dOut, beta, dX);
    }

    @Override
    public final void sumOfSquares(Span x, Span out) {
        OpChecks.reduction("sumOfSquares", x, out);
        doSumOfSquares(x, out);
    }

    @Override
    public final void argmaxRows(Span x, int rows, int cols, Span out) {
        OpChecks.argmaxRows(x, rows, cols, out);
        doArgmaxRows(x, rows, cols, out);
    }

    protected abstract void doSum(Span x, Span out);

    protected abstract void doSumBackward(Span dOut, float beta, Span dX);

    protected abstract void doSumOfSquares(Span x, Span out);

    protected abstract void doArgmaxRows(Span x, int rows, int cols, Span out);

    // ---------------------------------------------------------------- shared

    /** A backward kernel's beta must be finite (0 overwrites, 1 accumulates). */
    static void beta(String op, float beta) {
        if (!Float.isFinite(beta)) throw new IllegalArgumentException(op + ": beta must be finite, got " + beta);
    }
}
