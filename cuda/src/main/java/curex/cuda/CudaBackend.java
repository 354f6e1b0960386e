// The Backend on an NVIDIA GPU: device buffers, one stream, our NVRTC-compiled kernels and cuBLAS for products.
package curex.cuda;

import curex.kernels.Buffer;
import curex.kernels.CheckedBackend;
import curex.kernels.DType;
import curex.kernels.Span;
import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link curex.kernels.Backend} on a CUDA device. Kernels run asynchronously in issue order on one stream;
 * copies to the host wait for them; the ops that read class targets or token ids check them first and wait
 * (so that a bad index throws as on the CPU). Buffers come from a caching allocator: once a training step's
 * buffers have been allocated, later steps make no cuMemAlloc. Arithmetic follows ReferenceBackend (double
 * accumulation, one rounding) except products, which are cuBLAS FP32 (or TF32 with {@link CudaOptions#tf32}).
 * Not thread-safe; {@link #close} frees everything it holds.
 */
public final class CudaBackend extends CheckedBackend {
    private final DeviceContext ctx;
    private final CudaTransfers transfers;
    private final CudaProducts products;
    private final CudaElementwise elementwise;
    private final CudaRows rows;
    private final CudaReductions reductions;
    private final CudaLosses losses;
    private final CudaLayerNorm layerNorm;
    private final CudaEmbedding embedding;
    private final CudaOptimizers optimizers;
    private final CudaStrided strided;
    private boolean closed;

    /** Opens device 0 with FP32 products; IllegalStateException saying why when CUDA is not usable here. */
    public CudaBackend() {
        this(CudaOptions.defaults());
    }

    public CudaBackend(CudaOptions options) {
        ctx = new DeviceContext(CudaLibraries.load(), options, this);
        try {
            transfers = new CudaTransfers(ctx);
            products = new CudaProducts(ctx, options.tf32());
            elementwise = new CudaElementwise(ctx);
            rows = new CudaRows(ctx);
            reductions = new CudaReductions(ctx);
            losses = new CudaLosses(ctx, reductions);
            layerNorm = new CudaLayerNorm(ctx);
            embedding = new CudaEmbedding(ctx);
            optimizers = new CudaOptimizers(ctx);
            strided = new CudaStrided(ctx);
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "cuda";
    }

    /** backend, device, compute capability, memory, driver, NVRTC and cuBLAS versions, TF32. */
    @Override
    public Map<String, String> describe() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("backend", name());
        facts.put("device", ctx.deviceName + " (#" + ctx.ordinal + ")");
        facts.put("compute capability", ctx.capability / 10 + "." + ctx.capability % 10);
        facts.put("device memory", String.format("%.1f GiB", ctx.totalMemory / (1024.0 * 1024 * 1024)));
        int driver = ctx.driver.driverVersion();
        facts.put("cuda driver", driver / 1000 + "." + driver % 1000 / 10 + " (" + ctx.driver.where() + ")");
        facts.put("nvrtc", ctx.libs.nvrtc().version() + " (" + ctx.libs.nvrtc().where() + ")");
        facts.put("cublas", products.version + " (" + ctx.libs.cublas().where() + ")");
        facts.put("tf32", products.tf32 ? "on (-D" + CudaOptions.TF32 + "=true)" : "off (FP32 products)");
        return Collections.unmodifiableMap(facts);
    }

    /** How many times the driver was asked for memory so far (a steady training step adds none). */
    public long deviceAllocations() {
        return ctx.allocator.driverAllocations();
    }

    /** Bytes of device memory held, in use or cached for reuse. */
    public long reservedBytes() {
        return ctx.allocator.reservedBytes();
    }

    void release(DeviceAllocator.Block block) {
        if (!closed) ctx.allocator.release(block);
    }

    private void enter() {
        ctx.makeCurrent();
    }

    @Override
    public void synchronize() {
        enter();
        ctx.synchronize();
    }

    @Override
    public void close() {
        if (closed) return;
        try {
            enter();
            products.close();
        } finally {
            ctx.close();
            closed = true;
        }
    }

    // ---------------------------------------------------------------- memory

    @Override
    protected Buffer doAllocate(long length) {
        return allocate(DType.F32, length);
    }

    @Override
    protected Buffer doAllocateInts(long length) {
        return allocate(DType.I32, length);
    }

    private Buffer allocate(DType dtype, long length) {
        enter();
        DeviceAllocator.Block b = ctx.allocator.acquire(4 * length);
        transfers.zero(b.pointer(), length);
        return new DeviceBuffer(this, dtype, length, b);
    }

    @Override
    protected void doCopyFromHost(float[] src, int srcOffset, Span dst) {
        enter();
        transfers.fromHost(src, srcOffset, dst);
    }

    @Override
    protected void doCopyFromHost(int[] src, int srcOffset, Span dst) {
        enter();
        transfers.fromHost(src, srcOffset, dst);
    }

    @Override
    protected void doCopyFromHost(MemorySegment src, long srcByteOffset, Span dst) {
        enter();
        transfers.fromHost(src, srcByteOffset, dst);
    }

    @Override
    protected void doCopyToHost(Span src, float[] dst, int dstOffset) {
        enter();
        transfers.toHost(src, dst, dstOffset);
    }

    @Override
    protected void doCopyToHost(Span src, int[] dst, int dstOffset) {
        enter();
        transfers.toHost(src, dst, dstOffset);
    }

    @Override
    protected void doCopyToHost(Span src, MemorySegment dst, long dstByteOffset) {
        enter();
        transfers.toHost(src, dst, dstByteOffset);
    }

    @Override
    protected void doCopy(Span src, Span dst) {
        enter();
        transfers.copy(src, dst);
    }

    @Override
    protected void doFill(Span dst, float value) {
        enter();
        transfers.fill(dst, value);
    }

    @Override
    protected void doFillUniform(Span dst, float lo, float hi, long seed) {
        enter();
        transfers.fillUniform(dst, lo, hi, seed);
    }

    @Override
    protected void doFillNormal(Span dst, float mean, float std, long seed) {
        enter();
        transfers.fillNormal(dst, mean, std, seed);
    }

    // ---------------------------------------------------------------- products and layout

    @Override
    protected void doGemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Span a, int lda, Span b,
                          int ldb, float beta, Span c, int ldc) {
        enter();
        products.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    protected void doGemmBatched(boolean transA, boolean transB, int m, int n, int k, float alpha, Span a, int lda,
                                 long strideA, Span b, int ldb, long strideB, float beta, Span c, int ldc, long strideC,
                                 int batch) {
        enter();
        products.gemmBatched(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC,
                batch);
    }

    @Override
    protected void doStridedCopy(int[] shape, Span src, long[] srcStrides, Span dst, long[] dstStrides, float beta) {
        enter();
        strided.copy(shape, src, srcStrides, dst, dstStrides, beta);
    }

    // ---------------------------------------------------------------- elementwise, rows and columns, activations

    @Override
    protected void doAdd(Span a, Span b, Span out) {
        enter();
        elementwise.add(a, b, out);
    }

    @Override
    protected void doMul(Span a, Span b, Span out) {
        enter();
        elementwise.mul(a, b, out);
    }

    @Override
    protected void doMulBackward(Span a, Span b, Span dOut, float beta, Span dA, Span dB) {
        enter();
        elementwise.mulBackward(a, b, dOut, beta, dA, dB);
    }

    @Override
    protected void doScale(float alpha, Span x, Span out) {
        enter();
        elementwise.scale(alpha, x, out);
    }

    @Override
    protected void doScaleBackward(float alpha, Span dOut, float beta, Span dX) {
        enter();
        elementwise.accumulate(alpha, dOut, beta, dX);
    }

    @Override
    protected void doAxpy(float alpha, Span x, Span y) {
        enter();
        elementwise.accumulate(alpha, x, 1f, y);
    }

    @Override
    protected void doBiasAdd(Span x, int rows, int cols, Span bias, Span out) {
        enter();
        elementwise.biasAdd(x, rows, cols, bias, out);
    }

    @Override
    protected void doBiasGrad(Span dOut, int rows, int cols, float beta, Span dBias) {
        enter();
        elementwise.biasGrad(dOut, rows, cols, beta, dBias);
    }

    @Override
    protected void doRowDot(Span x, Span y, int rows, int cols, Span out) {
        enter();
        elementwise.rowDot(x, y, rows, cols, out);
    }

    @Override
    protected void doRowScale(Span x, int rows, int cols, Span scale, float beta, Span out) {
        enter();
        elementwise.rowScale(x, rows, cols, scale, beta, out);
    }

    @Override
    protected void doRelu(Span x, Span out) {
        enter();
        elementwise.relu(x, out);
    }

    @Override
    protected void doReluBackward(Span x, Span dOut, float beta, Span dX) {
        enter();
        elementwise.reluBackward(x, dOut, beta, dX);
    }

    @Override
    protected void doGelu(Span x, Span out) {
        enter();
        elementwise.gelu(x, out);
    }

    @Override
    protected void doGeluBackward(Span x, Span dOut, float beta, Span dX) {
        enter();
        elementwise.geluBackward(x, dOut, beta, dX);
    }

    // ---------------------------------------------------------------- softmax family and losses

    @Override
    protected void doSoftmax(Span x, int rows, int cols, Span mask, int maskRepeat, Span out) {
        enter();
        this.rows.softmax(x, rows, cols, mask, maskRepeat, out, false);
    }

    @Override
    protected void doSoftmaxBackward(Span y, Span dY, int rows, int cols, float beta, Span dX) {
        enter();
        this.rows.softmaxBackward(y, dY, rows, cols, beta, dX);
    }

    @Override
    protected void doLogSoftmax(Span x, int rows, int cols, Span mask, int maskRepeat, Span out) {
        enter();
        this.rows.softmax(x, rows, cols, mask, maskRepeat, out, true);
    }

    @Override
    protected void doLogSoftmaxBackward(Span y, Span dY, int rows, int cols, float beta, Span dX) {
        enter();
        this.rows.logSoftmaxBackward(y, dY, rows, cols, beta, dX);
    }

    @Override
    protected void doCrossEntropy(Span logits, int rows, int cols, Span targets, int ignoreIndex, Span loss) {
        enter();
        losses.crossEntropy(logits, rows, cols, targets, ignoreIndex, loss);
    }

    @Override
    protected void doCrossEntropyBackward(Span logits, int rows, int cols, Span targets, int ignoreIndex, Span dLoss,
                                          float beta, Span dLogits) {
        enter();
        losses.crossEntropyBackward(logits, rows, cols, targets, ignoreIndex, dLoss, beta, dLogits);
    }

    @Override
    protected void doMse(Span a, Span b, Span loss) {
        enter();
        losses.mse(a, b, loss);
    }

    @Override
    protected void doMseBackward(Span a, Span b, Span dLoss, float beta, Span dA, Span dB) {
        enter();
        losses.mseBackward(a, b, dLoss, beta, dA, dB);
    }

    @Override
    protected void doKlDiv(Span student, Span teacher, int rows, int cols, float temperature, Span loss) {
        enter();
        losses.klDiv(student, teacher, rows, cols, temperature, loss);
    }

    @Override
    protected void doKlDivBackward(Span student, Span teacher, int rows, int cols, float temperature, Span dLoss,
                                   float beta, Span dStudent) {
        enter();
        losses.klDivBackward(student, teacher, rows, cols, temperature, dLoss, beta, dStudent);
    }

    @Override
    protected void doCosineLoss(Span dots, int rows, float eps, Span loss) {
        enter();
        losses.cosineLoss(dots, rows, eps, loss);
    }

    @Override
    protected void doCosineLossBackward(Span dots, int rows, float eps, Span dLoss, Span coef) {
        enter();
        losses.cosineLossBackward(dots, rows, eps, dLoss, coef);
    }

    // ---------------------------------------------------------------- normalisation and embeddings

    @Override
    protected void doLayerNorm(Span x, int rows, int cols, Span gamma, Span beta, float eps, Span out, Span mean,
                               Span rstd) {
        enter();
        layerNorm.forward(x, rows, cols, gamma, beta, eps, out, mean, rstd);
    }

    @Override
    protected void doLayerNormBackward(Span x, int rows, int cols, Span gamma, Span mean, Span rstd, Span dOut,
                                       float beta, Span dX, Span dGamma, Span dBeta) {
        enter();
        layerNorm.backward(x, rows, cols, gamma, mean, rstd, dOut, beta, dX, dGamma, dBeta);
    }

    @Override
    protected void doEmbedding(Span ids, Span table, int vocab, int dim, Span out) {
        enter();
        embedding.forward(ids, table, vocab, dim, out);
    }

    @Override
    protected void doPaddingMask(Span ids, int padId, Span out) {
        enter();
        embedding.paddingMask(ids, padId, out);
    }

    @Override
    protected void doEmbeddingBackward(Span ids, Span dOut, int vocab, int dim, float beta, Span dTable) {
        enter();
        embedding.backward(ids, dOut, vocab, dim, beta, dTable);
    }

    // ---------------------------------------------------------------- optimizers and reductions

    @Override
    protected void doSgdStep(Span params, Span grads, Span velocity, float lr, float momentum, float weightDecay) {
        enter();
        optimizers.sgd(params, grads, velocity, lr, momentum, weightDecay);
    }

    @Override
    protected void doAdamwStep(Span params, Span grads, Span m, Span v, float lr, float beta1, float beta2, float eps,
                               float weightDecay, long step) {
        enter();
        optimizers.adamw(params, grads, m, v, lr, beta1, beta2, eps, weightDecay, step);
    }

    @Override
    protected void doSum(Span x, Span out) {
        enter();
        reductions.sum(x, out);
    }

    @Override
    protected void doSumBackward(Span dOut, float beta, Span dX) {
        enter();
        reductions.sumBackward(dOut, beta, dX);
    }

    @Override
    protected void doSumOfSquares(Span x, Span out) {
        enter();
        reductions.sumOfSquares(x, out);
    }

    @Override
    protected void doArgmaxRows(Span x, int rows, int cols, Span out) {
        enter();
        this.rows.argmaxRows(x, rows, cols, out);
    }
}
