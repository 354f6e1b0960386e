// Losses of the CUDA backend: cross-entropy, MSE, KL divergence and cosine distance (kernels in losses.cu).
package curex.cuda;

import curex.kernels.Span;

/**
 * Per-row values go to the context's scratch block in double and one block sums them in a fixed order. The
 * cross-entropy ops check every target first (one wait for the device) and throw before writing anything, as
 * the CPU backends do.
 */
final class CudaLosses {
    private final DeviceContext ctx;
    private final KernelLauncher k;
    private final CudaReductions reductions;

    CudaLosses(DeviceContext ctx, CudaReductions reductions) {
        this.ctx = ctx;
        this.k = ctx.kernels;
        this.reductions = reductions;
    }

    void crossEntropy(Span logits, int rows, int cols, Span targets, int ignoreIndex, Span loss) {
        ctx.checkIndices("crossEntropy", "target", targets, cols, ignoreIndex, true);
        long rowLoss = ctx.scratch(8L * rows + 8), counted = rowLoss + 8L * rows;
        k.rows("cross_entropy_rows_f32", rows, ctx.ptr(logits), cols, ctx.ptr(targets), ignoreIndex, rowLoss);
        k.launch("count_targets", 1, 1, KernelLauncher.BLOCK, ctx.ptr(targets), rows, ignoreIndex, counted);
        k.launch("cross_entropy_finish_f32", 1, 1, KernelLauncher.BLOCK, rowLoss, rows, counted, ctx.ptr(loss));
    }

    void crossEntropyBackward(Span logits, int rows, int cols, Span targets, int ignoreIndex, Span dLoss, float beta,
                              Span dLogits) {
        ctx.checkIndices("crossEntropyBackward", "target", targets, cols, ignoreIndex, true);
        long counted = ctx.scratch(8);
        k.launch("count_targets", 1, 1, KernelLauncher.BLOCK, ctx.ptr(targets), rows, ignoreIndex, counted);
        k.rows("cross_entropy_backward_f32", rows, ctx.ptr(logits), cols, ctx.ptr(targets), ignoreIndex, counted,
                ctx.ptr(dLoss), beta, ctx.ptr(dLogits));
    }

    void mse(Span a, Span b, Span loss) {
        reductions.reduce(a, b, CudaReductions.SQUARED_DIFFERENCE, a.length(), loss);
    }

    void mseBackward(Span a, Span b, Span dLoss, float beta, Span dA, Span dB) {
        if (a.length() > 0)
            k.elements("mse_backward_f32", a.length(), ctx.ptr(a), ctx.ptr(b), ctx.ptr(dLoss), beta, ctx.ptrOrNull(dA),
                    ctx.ptrOrNull(dB), a.length());
    }

    void klDiv(Span student, Span teacher, int rows, int cols, float temperature, Span loss) {
        long rowLoss = ctx.scratch(8L * rows + 8);
        k.rows("kl_div_rows_f32", rows, ctx.ptr(student), ctx.ptr(teacher), cols, temperature, rowLoss);
        k.launch("kl_div_finish_f32", 1, 1, KernelLauncher.BLOCK, rowLoss, rows, temperature, ctx.ptr(loss));
    }

    void klDivBackward(Span student, Span teacher, int rows, int cols, float temperature, Span dLoss, float beta,
                       Span dStudent) {
        k.rows("kl_div_backward_f32", rows, ctx.ptr(student), ctx.ptr(teacher), rows, cols, temperature,
                ctx.ptr(dLoss), beta, ctx.ptr(dStudent));
    }

    void cosineLoss(Span dots, int rows, float eps, Span loss) {
        k.launch("cosine_loss_f32", 1, 1, KernelLauncher.BLOCK, ctx.ptr(dots), rows, eps, ctx.ptr(loss));
    }

    void cosineLossBackward(Span dots, int rows, float eps, Span dLoss, Span coef) {
        if (rows > 0)
            k.elements("cosine_loss_backward_f32", rows, ctx.ptr(dots), rows, eps, ctx.ptr(dLoss), ctx.ptr(coef));
    }
}
