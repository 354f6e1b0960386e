// Matrix products with backward: general (batched, transposed views) matmul and the fused Linear layer op.
package curex.engine.autograd;

import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.kernels.Span;

import java.util.Arrays;

/**
 * Products through {@link ExecContext#gemm}, so that every one (forward and backward) is FLOP-counted. Gradients
 * of inputs that need none are not computed (no dX for a network's input layer).
 */
public final class MatMul {
    private MatMul() {
    }

    /**
     * {@code a @ b}: (M, K) x (K, N) -> (M, N), or batched over equal leading dimensions, e.g. (B, H, M, K) x
     * (B, H, K, N) -> (B, H, M, N) for attention; either operand may be a strided view (a permuted or transposed
     * tensor). Leading dimensions that are one run of equally spaced matrices take one batched gemm; others one
     * batched gemm per index of the dimensions before the last.
     */
    public static Tensor matmul(Tape tape, Tensor a, Tensor b) {
        return matmul(tape, a, b, 1f);
    }

    /** {@code alpha * (a @ b)}, as {@link #matmul(Tape, Tensor, Tensor)} (attention's scaled scores). */
    public static Tensor matmul(Tape tape, Tensor a, Tensor b, float alpha) {
        MatrixOperand A = MatrixOperand.of("matmul", a), B = MatrixOperand.of("matmul", b);
        if (!Arrays.equals(A.batchShape(), B.batchShape()) || A.cols() != B.rows())
            throw new IllegalArgumentException("matmul: shapes " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()) + " do not fit");
        int m = A.rows(), k = A.cols(), n = B.cols();
        boolean g = tape.needsGrad(a, b);
        int[] shape = Arrays.copyOf(a.shape(), a.rank());
        shape[shape.length - 1] = n;
        Tensor c = tape.output(g, shape);
        ExecContext ctx = tape.ctx();
        Batches batches = new Batches(A, B, m, n);
        for (int o = 0; o < batches.outer; o++)
            ctx.gemmBatched(A.trans(), B.trans(), m, n, k, alpha, batches.a(A.data(), o), A.ld(), batches.strideA,
                    batches.b(B.data(), o), B.ld(), batches.strideB, 0f, batches.c(c.span(), o), n, batches.strideC,
                    batches.inner);
        if (g) tape.record(c, () -> matmulBackward(ctx, A, B, c, m, n, k, alpha, batches));
        return c;
    }

    /** How the batch dimensions split into {@code outer} batched calls of {@code inner} matrices each. */
    private static final class Batches {
        final int outer, inner;
        final long strideA, strideB, strideC;
        private final MatrixOperand A, B;
        private final boolean flat;

        Batches(MatrixOperand A, MatrixOperand B, int m, int n) {
            this.A = A;
            this.B = B;
            this.flat = A.flat() && B.flat();
            int total = A.batch();
            this.inner = flat ? total : A.inner();
            this.outer = flat ? 1 : total / Math.max(1, inner);
            this.strideA = A.innerStride();
            this.strideB = B.innerStride();
            this.strideC = (long) m * n;
        }

        Span a(Span s, int o) {
            return flat ? s : MatrixOperand.from(s, A.offsetOf(o));
        }

        Span b(Span s, int o) {
            return flat ? s : MatrixOperand.from(s, B.offsetOf(o));
        }

        Span c(Span s, int o) {
            return flat ? s : MatrixOperand.from(s, (long) o * inner * strideC);
        }
    }

    private static void matmulBackward(ExecContext ctx, MatrixOperand A, MatrixOperand B, Tensor c,
                                       int m, int n, int k, float alpha, Batches bt) {
        Span dC = c.grad();
        long sC = bt.strideC;
        if (A.tensor().requiresGrad()) {
            float beta = A.tensor().overwriteGradBeta();
            Span dA = A.tensor().gradExtent();
            for (int o = 0; o < bt.outer; o++) {
                if (!A.trans()) ctx.gemmBatched(false, !B.trans(), m, k, n, alpha, bt.c(dC, o), n, sC, bt.b(B.data(), o),
                        B.ld(), bt.strideB, beta, bt.a(dA, o), A.ld(), bt.strideA, bt.inner);
                else ctx.gemmBatched(B.trans(), true, k, m, n, alpha, bt.b(B.data(), o), B.ld(), bt.strideB, bt.c(dC, o),
                        n, sC, beta, bt.a(dA, o), A.ld(), bt.strideA, bt.inner);
            }
        }
        if (B.tensor().requiresGrad()) {
            float beta = B.tensor().overwriteGradBeta();
            Span dB = B.tensor().gradExtent();
            for (int o = 0; o < bt.outer; o++) {
                if (!B.trans()) ctx.gemmBatched(!A.trans(), false, k, n, m, alpha, bt.a(A.data(), o), A.ld(), bt.strideA,
                        bt.c(dC, o), n, sC, beta, bt.b(dB, o), B.ld(), bt.strideB, bt.inner);
                else ctx.gemmBatched(true, A.trans(), n, k, m, alpha, bt.c(dC, o), n, sC, bt.a(A.data(), o), A.ld(),
                        bt.strideA, beta, bt.b(dB, o), B.ld(), bt.strideB, bt.inner);
            }
        }
    }

    /**
     * A linear layer with its activation fused: {@code act(x W^T + b)} for x (..., in), W (out, in) as PyTorch
     * stores it, b (out) or null; returns (..., out). The activation runs in place on the product: ReLU's backward
     * reads the output; GELU keeps its derivative in tape scratch, and its backward turns that scratch into the
     * gradient before the activation.
     */
    public static Tensor linear(Tape tape, Tensor x, Tensor w, Tensor b, Activation act) {
        int in = x.cols(), rows = x.rows();
        if (w.rank() != 2 || w.dim(1) != in || b != null && (b.rank() != 1 || b.dim(0) != w.dim(0)))
            throw new IllegalArgumentException("linear: input " + Arrays.toString(x.shape()) + ", weight "
                    + Arrays.toString(w.shape()) + (b == null ? "" : ", bias " + Arrays.toString(b.shape()))
                    + " do not fit (weight must be (out, in), bias (out))");
        int out = w.dim(0);
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        boolean g = tape.needsGrad(x, w, b);
        Backend be = tape.backend();
        Tensor y = tape.output(g, shape);
        Span ys = y.span();
        Span slope = act == Activation.GELU && g ? tape.scratch(ys.length()) : null;   // gelu' at the product
        if (b != null) tape.ctx().gemmBias(false, true, rows, out, in, x.span(), in, w.span(), in, b.span(), ys);
        else tape.ctx().gemm(false, true, rows, out, in, 1f, x.span(), in, w.span(), in, 0f, ys, out);
        if (act == Activation.RELU) be.relu(ys, ys);
        else if (slope != null) be.geluWithDerivative(ys, ys, slope);
        else if (act == Activation.GELU) be.gelu(ys, ys);
        if (g) tape.record(y, () -> {
            if (act == Activation.NONE) {
                linearBackward(tape.ctx(), x, w, b, y.grad(), rows, in, out);
            } else if (act == Activation.GELU) {
                be.mul(y.grad(), slope, slope);   // the gradient before the activation, over gelu' (read only here)
                linearBackward(tape.ctx(), x, w, b, slope, rows, in, out);
            } else {
                Span dPre = tape.borrow(ys.length());   // the gradient before the activation, given back after use
                be.reluBackward(ys, y.grad(), 0f, dPre);   // y > 0 exactly where x > 0
                linearBackward(tape.ctx(), x, w, b, dPre, rows, in, out);
                tape.giveBack(dPre);
            }
        });
        return y;
    }

    /** {@link #linear(Tape, Tensor, Tensor, Tensor, Activation)} without activation. */
    public static Tensor linear(Tape tape, Tensor x, Tensor w, Tensor b) {
        return linear(tape, x, w, b, Activation.NONE);
    }

    private static void linearBackward(ExecContext ctx, Tensor x, Tensor w, Tensor b, Span dPre,
                                       int rows, int in, int out) {
        boolean dB = b != null && b.requiresGrad();
        if (w.requiresGrad() && dB)   // both from one read of dPre: dW += dPre^T x, dB += dPre's column sums
            ctx.gemmBiasGrad(out, in, rows, dPre, x.span(), w.overwriteGradBeta(), w.grad(), b.overwriteGradBeta(),
                    b.grad());
        else if (w.requiresGrad())   // dW (out, in) += dPre^T (out, rows) x (rows, in)
            ctx.gemm(true, false, out, in, rows, 1f, dPre, out, x.span(), in, w.overwriteGradBeta(), w.grad(), in);
        else if (dB) ctx.backend().biasGrad(dPre, rows, out, b.overwriteGradBeta(), b.grad());
        if (x.requiresGrad())   // dX (rows, in) = dPre (rows, out) W (out, in)
            ctx.gemm(false, false, rows, in, out, 1f, dPre, out, w.span(), in, x.overwriteGradBeta(), x.grad(), in);
    }
}
