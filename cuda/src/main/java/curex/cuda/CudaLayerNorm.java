// Layer norm and its backward on the CUDA backend (kernels in layernorm.cu).
package curex.cuda;

import curex.kernels.Span;

/** Forward and dX one block per row; dGamma and dBeta one thread per column, summing the rows in order. */
final class CudaLayerNorm {
    private final DeviceContext ctx;
    private final KernelLauncher k;

    CudaLayerNorm(DeviceContext ctx) {
        this.ctx = ctx;
        this.k = ctx.kernels;
    }

    void forward(Span x, int rows, int cols, Span gamma, Span beta, float eps, Span out, Span mean, Span rstd) {
        k.rows("layer_norm_f32", rows, ctx.ptr(x), cols, ctx.ptr(gamma), ctx.ptr(beta), eps, ctx.ptr(out),
                ctx.ptr(mean), ctx.ptr(rstd));
    }

    void backward(Span x, int rows, int cols, Span gamma, Span mean, Span rstd, Span dOut, float beta, Span dX,
                  Span dGamma, Span dBeta) {
        if (dX != null && cols > 0)
            k.rows("layer_norm_backward_dx_f32", rows, ctx.ptr(x), cols, ctx.ptr(gamma), ctx.ptr(mean), ctx.ptr(rstd),
                    ctx.ptr(dOut), beta, ctx.ptr(dX));
        if ((dGamma != null || dBeta != null) && cols > 0)
            k.elements("layer_norm_backward_params_f32", cols, ctx.ptr(x), rows, cols, ctx.ptr(mean), ctx.ptr(rstd),
                    ctx.ptr(dOut), beta, ctx.ptrOrNull(dGamma), ctx.ptrOrNull(dBeta));
    }
}
