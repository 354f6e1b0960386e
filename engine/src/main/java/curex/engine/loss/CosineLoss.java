// Cosine distance loss, mean over rows of 1 - cos(a[r], b[r]), on the backend from row dots and row scales.
package curex.engine.loss;

import curex.engine.autograd.Tape;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.kernels.Span;

import java.util.Arrays;

/**
 * {@code loss = mean_r (1 - a_r . b_r / (max(|a_r|, eps) max(|b_r|, eps)))} over (rows, cols) inputs, without a
 * host round trip: three row dots (a.b, a.a, b.b), the backend's cosine loss from them, and in the backward its
 * per-row coefficients applied with row scales ({@code dA = c0 b + c1 a}, {@code dB = c2 a + c3 b}). Row dots and
 * row scales are counted as the (1 x C)(C x 1) and (1 x 1)(1 x C) products they are.
 */
final class CosineLoss {
    static final float DEFAULT_EPS = 1e-8f;

    private CosineLoss() {
    }

    static Tensor apply(Tape tape, Tensor a, Tensor b, float eps) {
        if (!Arrays.equals(a.shape(), b.shape()))
            throw new IllegalArgumentException("cosine: shapes " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()) + " differ");
        int rows = a.rows(), cols = a.cols();
        ExecContext ctx = tape.ctx();
        Backend be = ctx.backend();
        Span dots = tape.scratch(3L * rows);    // (3, rows): a.b, a.a, b.b
        ctx.rowDot(a.span(), b.span(), rows, cols, dots.slice(0, rows));
        ctx.rowDot(a.span(), a.span(), rows, cols, dots.slice(rows, rows));
        ctx.rowDot(b.span(), b.span(), rows, cols, dots.slice(2L * rows, rows));
        boolean g = tape.needsGrad(a, b);
        Tensor loss = tape.output(g);
        be.cosineLoss(dots, rows, eps, loss.span());
        if (g) tape.record(loss, () -> {
            Span coef = tape.scratch(4L * rows);   // (4, rows): y-term and x-term of dA, then of dB
            be.cosineLossBackward(dots, rows, eps, loss.grad(), coef);
            if (a.requiresGrad()) into(ctx, a, b, a, coef, 0, rows, cols);
            if (b.requiresGrad()) into(ctx, b, a, b, coef, 2, rows, cols);
        });
        return loss;
    }

    /** {@code x.grad (+)= coef[first] * other + coef[first + 1] * self}, row by row. */
    private static void into(ExecContext ctx, Tensor x, Tensor other, Tensor self, Span coef, int first, int rows,
                             int cols) {
        float beta = x.overwriteGradBeta();
        ctx.rowScale(other.span(), rows, cols, coef.slice((long) first * rows, rows), beta, x.grad());
        ctx.rowScale(self.span(), rows, cols, coef.slice((long) (first + 1) * rows, rows), 1f, x.grad());
    }
}
