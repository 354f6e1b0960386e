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
     * {@code a @ b}: (M, K) x (K, N) -> (M, N), or batched (B, M, K) x (B, K, N) -> (B, M, N); either operand may
     * be a transposed view ({@link Tensor#transposeLast2()}).
     */
    public static Tensor matmul(Tape tape, Tensor a, Tensor b) {
        MatrixOperand A = MatrixOperand.of("matmul", a), B = MatrixOperand.of("matmul", b);
        if (a.rank() != b.rank() || A.batch() != B.batch() || A.cols() != B.rows())
            throw new IllegalArgumentException("matmul: shapes " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()) + " do not fit");
        int m = A.rows(), k = A.cols(), n = B.cols(), batch = A.batch();
        boolean g = tape.needsGrad(a, b);
        Tensor c = a.rank() == 3 ? tape.output(g, batch, m, n) : tape.output(g, m, n);
        ExecContext ctx = tape.ctx();
        long strideC = (long) m * n;
        ctx.gemmBatched(A.trans(), B.trans(), m, n, k, 1f, A.data(), A.ld(), A.batchStride(),
                B.data(), B.ld(), B.batchStride(), 0f, c.span(), n, strideC, batch);
        if (g) tape.record(c, () -> matmulBackward(ctx, A, B, c, m, n, k, batch));
        return c;
    }

    private static void matmulBackward(ExecContext ctx, MatrixOperand A, MatrixOperand B, Tensor c,
                                       int m, int n, int k, int batch) {
        Span dC = c.grad();
        long sC = (long) m * n;
        if (A.tensor().requiresGrad()) {
            float beta = A.tensor().overwriteGradBeta();
            Span dA = A.tensor().gradExtent();
            if (!A.trans()) ctx.gemmBatched(false, !B.trans(), m, k, n, 1f, dC, n, sC, B.data(), B.ld(),
                    B.batchStride(), beta, dA, A.ld(), A.batchStride(), batch);
            else ctx.gemmBatched(B.trans(), true, k, m, n, 1f, B.data(), B.ld(), B.batchStride(), dC, n, sC,
                    beta, dA, A.ld(), A.batchStride(), batch);
        }
        if (B.tensor().requiresGrad()) {
            float beta = B.tensor().overwriteGradBeta();
            Span dB = B.tensor().gradExtent();
            if (!B.trans()) ctx.gemmBatched(!A.trans(), false, k, n, m, 1f, A.data(), A.ld(), A.batchStride(),
                    dC, n, sC, beta, dB, B.ld(), B.batchStride(), batch);
            else ctx.gemmBatched(true, A.trans(), n, k, m, 1f, dC, n, sC, A.data(), A.ld(), A.batchStride(),
                    beta, dB, B.ld(), B.batchStride(), batch);
        }
    }

    /**
     * A linear layer with its activation fused: {@code act(x W^T + b)} for x (..., in), W (out, in) as PyTorch
     * stores it, b (out) or null; returns (..., out). ReLU runs in place on the product (its backward reads the
     * output); GELU keeps the pre-activation in tape scratch.
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
        Span pre = act == Activation.GELU && g ? tape.scratch(ys.length()) : ys;
        tape.ctx().gemm(false, true, rows, out, in, 1f, x.span(), in, w.span(), in, 0f, pre, out);
        if (b != null) be.biasAdd(pre, rows, out, b.span(), pre);
        if (act == Activation.RELU) be.relu(ys, ys);
        else if (act == Activation.GELU) be.gelu(pre, ys);
        if (g) tape.record(y, () -> {
            Span dPre = y.grad();
            if (act != Activation.NONE) {
                dPre = tape.scratch(ys.length());
                be.fill(dPre, 0f);
                if (act == Activation.RELU) be.reluBackward(ys, y.grad(), dPre);
                else be.geluBackward(pre, y.grad(), dPre);
            }
            linearBackward(tape.ctx(), x, w, b, dPre, rows, in, out);
        });
        return y;
    }

    /** {@link #linear(Tape, Tensor, Tensor, Tensor, Activation)} without activation. */
    public static Tensor linear(Tape tape, Tensor x, Tensor w, Tensor b) {
        return linear(tape, x, w, b, Activation.NONE);
    }

    private static void linearBackward(ExecContext ctx, Tensor x, Tensor w, Tensor b, Span dPre,
                                       int rows, int in, int out) {
        if (w.requiresGrad())   // dW (out, in) += dPre^T (out, rows) x (rows, in)
            ctx.gemm(true, false, out, in, rows, 1f, dPre, out, x.span(), in, w.overwriteGradBeta(), w.grad(), in);
        if (b != null && b.requiresGrad()) ctx.backend().biasGrad(dPre, rows, out, b.accumulateGrad());
        if (x.requiresGrad())   // dX (rows, in) = dPre (rows, out) W (out, in)
            ctx.gemm(false, false, rows, in, out, 1f, dPre, out, w.span(), in, x.overwriteGradBeta(), x.grad(), in);
    }
}
