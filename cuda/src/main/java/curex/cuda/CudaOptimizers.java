// SGD and AdamW steps on the CUDA backend, in place on the parameters (kernels in optimizers.cu).
package curex.cuda;

import curex.kernels.Span;

/** PyTorch semantics, computed in double per element as ReferenceBackend does; bias corrections on the host. */
final class CudaOptimizers {
    private final DeviceContext ctx;

    CudaOptimizers(DeviceContext ctx) {
        this.ctx = ctx;
    }

    void sgd(Span params, Span grads, Span velocity, float lr, float momentum, float weightDecay) {
        long n = params.length();
        if (n == 0) return;
        ctx.kernels.elements("sgd_step_f32", n, ctx.ptr(params), ctx.ptr(grads),
                momentum == 0 ? 0L : ctx.ptr(velocity), lr, momentum, weightDecay, n);
    }

    void adamw(Span params, Span grads, Span m, Span v, float lr, float beta1, float beta2, float eps,
               float weightDecay, long step) {
        long n = params.length();
        if (n == 0) return;
        double correction1 = 1 - Math.pow(beta1, step), correction2 = 1 - Math.pow(beta2, step);
        ctx.kernels.elements("adamw_step_f32", n, ctx.ptr(params), ctx.ptr(grads), ctx.ptr(m), ctx.ptr(v), lr, beta1,
                beta2, eps, weightDecay, correction1, correction2, n);
    }
}
