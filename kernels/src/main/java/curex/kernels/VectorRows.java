// Vectorised per-row products of (rows, cols) matrices: row dot products and row scaling.
package curex.kernels;

import static curex.kernels.VectorMath.F;
import static curex.kernels.VectorMath.W;

import jdk.incubator.vector.FloatVector;

/**
 * Row groups run in parallel for large matrices; each row is computed by the same code whatever the split, so
 * results do not depend on the thread count. A row dot sums with four fma accumulators ({@link VectorMath#dot});
 * a row scale rounds {@code scale * x} (beta 0) or {@code beta * out + scale * x} with one fma.
 */
final class VectorRows {
    private VectorRows() {
    }

    /** {@code out[r] = sum_c x[r, c] y[r, c]}. */
    static void dot(WorkerPool pool, float[] x, int xo, float[] y, int yo, int rows, int cols, float[] out, int oo) {
        Chunks.rows(pool, rows, cols, (p, r0, r1) -> {
            for (int r = r0; r < r1; r++) out[oo + r] = (float) VectorMath.dot(x, xo + r * cols, y, yo + r * cols, cols);
        });
    }

    /** {@code out[r, c] = beta out[r, c] + scale[r] x[r, c]} (out not read for beta 0); out may alias x. */
    static void scale(WorkerPool pool, float[] x, int xo, int rows, int cols, float[] scale, int so, float beta,
                      float[] out, int oo) {
        Chunks.rows(pool, rows, cols, (p, r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                float s = scale[so + r];
                int xr = xo + r * cols, or = oo + r * cols;
                if (beta == 0) VectorElementwise.scale(null, s, x, xr, out, or, cols);
                else scaleAdd(x, xr, s, beta, out, or, cols);
            }
        });
    }

    /** {@code o = fma(x, s, beta * o)} over one row ({@code beta * o} is exact for beta 1). */
    private static void scaleAdd(float[] x, int xo, float s, float beta, float[] o, int oo, int n) {
        FloatVector sv = FloatVector.broadcast(F, s);
        int c = 0;
        if (beta == 1) {
            for (; c <= n - W; c += W)
                FloatVector.fromArray(F, x, xo + c).fma(sv, FloatVector.fromArray(F, o, oo + c)).intoArray(o, oo + c);
            for (; c < n; c++) o[oo + c] = Math.fma(x[xo + c], s, o[oo + c]);
            return;
        }
        for (; c <= n - W; c += W)
            FloatVector.fromArray(F, x, xo + c).fma(sv, FloatVector.fromArray(F, o, oo + c).mul(beta))
                    .intoArray(o, oo + c);
        for (; c < n; c++) o[oo + c] = Math.fma(x[xo + c], s, beta * o[oo + c]);
    }
}
