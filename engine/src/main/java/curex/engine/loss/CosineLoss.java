// Cosine distance loss, mean over rows of 1 - cos(a[r], b[r]), built from batched products and host scalars.
package curex.engine.loss;

import curex.engine.autograd.Tape;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.kernels.Span;

import java.util.Arrays;

/**
 * {@code loss = mean_r (1 - a_r . b_r / (max(|a_r|, eps) max(|b_r|, eps)))} over (rows, cols) inputs. Row dot
 * products and the row-scaled gradient updates run on the backend as batched products (1 x C)(C x 1) and
 * (1 x 1)(1 x C); only the 3 * rows per-row scalars travel to the host, where the divisions happen. These
 * reductions are elementwise work and are not FLOP-counted.
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
        Backend be = tape.backend();
        Span dots = tape.scratch(3L * rows);    // (3, rows): a.b, a.a, b.b
        rowDots(be, a.span(), b.span(), dots.slice(0, rows), rows, cols);
        rowDots(be, a.span(), a.span(), dots.slice(rows, rows), rows, cols);
        rowDots(be, b.span(), b.span(), dots.slice(2L * rows, rows), rows, cols);
        float[] h = new float[3 * rows];
        be.copyToHost(dots, h, 0);
        double[] na = new double[rows], nb = new double[rows], cos = new double[rows];
        double total = 0;
        for (int r = 0; r < rows; r++) {
            na[r] = Math.max(Math.sqrt(h[rows + r]), eps);
            nb[r] = Math.max(Math.sqrt(h[2 * rows + r]), eps);
            cos[r] = h[r] / (na[r] * nb[r]);
            total += 1 - cos[r];
        }
        boolean g = tape.needsGrad(a, b);
        Tensor loss = tape.output(g);
        be.copyFromHost(new float[]{rows == 0 ? 0f : (float) (total / rows)}, 0, loss.span());
        if (g) tape.record(loss, () -> {
            float[] dl = new float[1];
            be.copyToHost(loss.grad(), dl, 0);
            double scale = dl[0] / (double) rows;
            boolean[] aClamped = new boolean[rows], bClamped = new boolean[rows];
            for (int r = 0; r < rows; r++) {
                aClamped[r] = Math.sqrt(h[rows + r]) < eps;
                bClamped[r] = Math.sqrt(h[2 * rows + r]) < eps;
            }
            // d(1 - cos)/da = -(b / (|a||b|) - cos a / |a|^2), and symmetrically for b
            if (a.requiresGrad()) rowCombine(tape, be, a, b, rows, cols, scale, na, nb, cos, aClamped);
            if (b.requiresGrad()) rowCombine(tape, be, b, a, rows, cols, scale, nb, na, cos, bClamped);
        });
        return loss;
    }

    /** {@code dx += c1[r] * y[r] + c2[r] * x[r]} for the gradient of x given the other input y. */
    private static void rowCombine(Tape tape, Backend be, Tensor x, Tensor y, int rows, int cols, double scale,
                                   double[] nx, double[] ny, double[] cos, boolean[] clamped) {
        float[] coef = new float[2 * rows];
        for (int r = 0; r < rows; r++) {
            coef[r] = (float) (-scale / (nx[r] * ny[r]));
            coef[rows + r] = clamped[r] ? 0f : (float) (scale * cos[r] / (nx[r] * nx[r]));
        }
        Span c = tape.scratch(2L * rows);
        be.copyFromHost(coef, 0, c);
        Span dx = x.accumulateGrad();
        be.gemmBatched(false, false, 1, cols, 1, 1f, c.slice(0, rows), 1, 1, y.span(), cols, cols,
                1f, dx, cols, cols, rows);
        be.gemmBatched(false, false, 1, cols, 1, 1f, c.slice(rows, rows), 1, 1, x.span(), cols, cols,
                1f, dx, cols, cols, rows);
    }

    /** {@code out[r] = x[r] . y[r]} as a batch of (1 x C)(C x 1) products. */
    private static void rowDots(Backend be, Span x, Span y, Span out, int rows, int cols) {
        be.gemmBatched(false, true, 1, 1, cols, 1f, x, cols, cols, y, cols, cols, 0f, out, 1, 1, rows);
    }
}
