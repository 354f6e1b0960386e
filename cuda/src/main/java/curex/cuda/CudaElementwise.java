// Elementwise ops, activations, bias and row ops of the CUDA backend (kernels in elementwise.cu).
package curex.cuda;

import curex.kernels.Span;

/** Thin launches: one thread per element (grid-stride), one block per row for row dots, one thread per column for bias gradients. */
final class CudaElementwise {
    private final DeviceContext ctx;
    private final KernelLauncher k;

    CudaElementwise(DeviceContext ctx) {
        this.ctx = ctx;
        this.k = ctx.kernels;
    }

    private long p(Span s) {
        return ctx.ptr(s);
    }

    void add(Span a, Span b, Span out) {
        if (a.length() > 0) k.elements("add_f32", a.length(), p(a), p(b), p(out), a.length());
    }

    void mul(Span a, Span b, Span out) {
        if (a.length() > 0) k.elements("mul_f32", a.length(), p(a), p(b), p(out), a.length());
    }

    void mulBackward(Span a, Span b, Span dOut, float beta, Span dA, Span dB) {
        if (a.length() > 0)
            k.elements("mul_backward_f32", a.length(), p(a), p(b), p(dOut), beta, ctx.ptrOrNull(dA), ctx.ptrOrNull(dB),
                    a.length());
    }

    void scale(float alpha, Span x, Span out) {
        if (x.length() > 0) k.elements("scale_f32", x.length(), alpha, p(x), p(out), x.length());
    }

    /** {@code y = beta y + alpha x}: scaleBackward, and axpy with beta 1. */
    void accumulate(float alpha, Span x, float beta, Span y) {
        if (x.length() > 0) k.elements("accumulate_f32", x.length(), alpha, p(x), beta, p(y), x.length());
    }

    void biasAdd(Span x, int rows, int cols, Span bias, Span out) {
        long n = (long) rows * cols;
        if (n > 0) k.elements("bias_add_f32", n, p(x), p(bias), p(out), n, cols);
    }

    void biasGrad(Span dOut, int rows, int cols, float beta, Span dBias) {
        if (cols > 0) k.elements("bias_grad_f32", cols, p(dOut), rows, cols, beta, p(dBias));
    }

    void rowDot(Span x, Span y, int rows, int cols, Span out) {
        k.rows("row_dot_f32", rows, p(x), p(y), cols, p(out));
    }

    void rowScale(Span x, int rows, int cols, Span scale, float beta, Span out) {
        long n = (long) rows * cols;
        if (n > 0) k.elements("row_scale_f32", n, p(x), p(scale), beta, p(out), n, cols);
    }

    void relu(Span x, Span out) {
        if (x.length() > 0) k.elements("relu_f32", x.length(), p(x), p(out), x.length());
    }

    void reluBackward(Span x, Span dOut, float beta, Span dX) {
        if (x.length() > 0) k.elements("relu_backward_f32", x.length(), p(x), p(dOut), beta, p(dX), x.length());
    }

    void gelu(Span x, Span out) {
        if (x.length() > 0) k.elements("gelu_f32", x.length(), p(x), p(out), x.length());
    }

    void geluBackward(Span x, Span dOut, float beta, Span dX) {
        if (x.length() > 0) k.elements("gelu_backward_f32", x.length(), p(x), p(dOut), beta, p(dX), x.length());
    }
}
