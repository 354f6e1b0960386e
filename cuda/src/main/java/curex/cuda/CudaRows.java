// The softmax family and argmax of the CUDA backend, one block per row (kernels in rows.cu).
package curex.cuda;

import curex.kernels.Span;

/** Row-wise ops over (rows, cols) matrices; masks as {@link curex.kernels.Backend#softmax} describes them. */
final class CudaRows {
    private final DeviceContext ctx;
    private final KernelLauncher k;

    CudaRows(DeviceContext ctx) {
        this.ctx = ctx;
        this.k = ctx.kernels;
    }

    void softmax(Span x, int rows, int cols, Span mask, int maskRepeat, Span out, boolean log) {
        int maskRows = mask == null || cols == 0 ? 1 : (int) (mask.length() / cols);
        k.rows("softmax_f32", rows, ctx.ptr(x), cols, ctx.ptrOrNull(mask), maskRows, Math.max(1, maskRepeat),
                ctx.ptr(out), log ? 1 : 0);
    }

    void softmaxBackward(Span y, Span dY, int rows, int cols, float beta, Span dX) {
        k.rows("softmax_backward_f32", rows, ctx.ptr(y), ctx.ptr(dY), cols, beta, ctx.ptr(dX));
    }

    void logSoftmaxBackward(Span y, Span dY, int rows, int cols, float beta, Span dX) {
        k.rows("log_softmax_backward_f32", rows, ctx.ptr(y), ctx.ptr(dY), cols, beta, ctx.ptr(dX));
    }

    void argmaxRows(Span x, int rows, int cols, Span out) {
        if (rows > 0) k.elements("argmax_rows_f32", rows, ctx.ptr(x), rows, cols, ctx.ptr(out));
    }
}
