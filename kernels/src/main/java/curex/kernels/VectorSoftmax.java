// Vectorised row-wise softmax and log-softmax (with an optional additive mask) and their backwards.
package curex.kernels;

import static curex.kernels.VectorMath.F;
import static curex.kernels.VectorMath.W;
import static curex.kernels.VectorMath.exp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Rows of a (rows, cols) matrix, split into row groups across the pool. Each row is shifted by its maximum;
 * a row that is entirely -inf after masking gives zeros (log-softmax: -inf), as in the reference.
 */
final class VectorSoftmax {
    private VectorSoftmax() {
    }

    /**
     * {@code o[r] = softmax(x[r] + mask[(r / maskRepeat) % maskRows])} or its log when {@code log}; mask may be null. o may
     * alias x (the masked row is staged in o, element by element).
     */
    static void forward(WorkerPool pool, float[] x, int xo, int rows, int cols, float[] mask, int mo, int maskRows,
                        int maskRepeat, float[] o, int oo, boolean log) {
        Chunks.rows(pool, rows, cols, (p, r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int src = xo + r * cols, dst = oo + r * cols;
                float[] z = x;
                if (mask != null) {
                    VectorElementwise.add(null, x, src, mask, mo + (r / maskRepeat % maskRows) * cols, o, dst, cols);
                    z = o;
                    src = dst;
                }
                row(z, src, o, dst, cols, log);
            }
        });
    }

    /** One row: o = softmax(z) (or its log), all -inf giving zeros (-inf); o may alias z. */
    static void row(float[] z, int zo, float[] o, int oo, int cols, boolean log) {
        if (cols == 0) return;
        float max = VectorMath.max(z, zo, cols);
        if (max == Float.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(o, oo, oo + cols, log ? Float.NEGATIVE_INFINITY : 0f);
            return;
        }
        // the exponentials in small methods of their own, so that C2 inlines exp there (a vector passed to a call
        // that is not inlined is boxed on every call)
        float sum = log ? VectorLosses.expSum(z, zo, cols, 1f, max) : VectorLosses.expInto(z, zo, cols, max, o, oo);
        int c = 0;
        if (log) {
            float logSum = (float) Math.log(sum);
            for (; c <= cols - W; c += W)
                FloatVector.fromArray(F, z, zo + c).sub(max).sub(logSum).intoArray(o, oo + c);
            for (; c < cols; c++) o[oo + c] = (z[zo + c] - max) - logSum;
        } else {
            for (; c <= cols - W; c += W) FloatVector.fromArray(F, o, oo + c).div(sum).intoArray(o, oo + c);
            for (; c < cols; c++) o[oo + c] = o[oo + c] / sum;
        }
    }

    /**
     * Four rows of whole vectors (cols a multiple of W), at o, o + stride, o + 2 stride and o + 3 stride, softmaxed in
     * place with {@link #row}'s bits, their chains of dependent steps (maximum across lanes, exponentials, sum across
     * lanes, division) side by side instead of one row's after another's: attention's forward at the parity teacher's
     * shape (4 heads of 32, 21 tokens) ran 5-13% faster. False, the rows untouched, when one is all -inf or has a NaN
     * maximum (row handles those).
     */
    static boolean fourRows(float[] z, int o, int stride, int cols) {
        int o1 = o + stride, o2 = o1 + stride, o3 = o2 + stride;
        FloatVector m0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
        for (int c = 0; c < cols; c += W) {
            m0 = m0.max(FloatVector.fromArray(F, z, o + c));
            m1 = m1.max(FloatVector.fromArray(F, z, o1 + c));
            m2 = m2.max(FloatVector.fromArray(F, z, o2 + c));
            m3 = m3.max(FloatVector.fromArray(F, z, o3 + c));
        }
        float x0 = m0.reduceLanes(VectorOperators.MAX), x1 = m1.reduceLanes(VectorOperators.MAX);
        float x2 = m2.reduceLanes(VectorOperators.MAX), x3 = m3.reduceLanes(VectorOperators.MAX);
        // a row all -inf (or NaN) goes to row(), whose handling of it these sums would not reproduce
        if (!(x0 > Float.NEGATIVE_INFINITY && x1 > Float.NEGATIVE_INFINITY && x2 > Float.NEGATIVE_INFINITY
                && x3 > Float.NEGATIVE_INFINITY)) return false;
        // the exponentials and their sums, each row as row() takes them, in VectorLosses' method of one exp call site
        // (four exps inlined here reached C2's node limit, and the calls it left boxed their vectors)
        float s0 = VectorLosses.expInto(z, o, cols, x0, z, o), s1 = VectorLosses.expInto(z, o1, cols, x1, z, o1);
        float s2 = VectorLosses.expInto(z, o2, cols, x2, z, o2), s3 = VectorLosses.expInto(z, o3, cols, x3, z, o3);
        for (int c = 0; c < cols; c += W) {
            FloatVector.fromArray(F, z, o + c).div(s0).intoArray(z, o + c);
            FloatVector.fromArray(F, z, o1 + c).div(s1).intoArray(z, o1 + c);
            FloatVector.fromArray(F, z, o2 + c).div(s2).intoArray(z, o2 + c);
            FloatVector.fromArray(F, z, o3 + c).div(s3).intoArray(z, o3 + c);
        }
        return true;
    }

    /** {@code dX += y * (dY - sum_c(dY * y))} per row, or {@code dX = ...} when {@code overwrite}. */
    static void softmaxBackward(WorkerPool pool, float[] y, int yo, float[] g, int go, int rows, int cols,
                                float[] d, int dd, boolean overwrite) {
        Chunks.rows(pool, rows, cols, (p, r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int yr = yo + r * cols, gr = go + r * cols, dr = dd + r * cols;
                FloatVector acc = FloatVector.zero(F);
                int c = 0;
                for (; c <= cols - W; c += W)
                    acc = FloatVector.fromArray(F, g, gr + c).fma(FloatVector.fromArray(F, y, yr + c), acc);
                float dot = VectorMath.sumLanes(acc);
                for (; c < cols; c++) dot = Math.fma(g[gr + c], y[yr + c], dot);
                if (overwrite) softmaxRowSet(y, yr, g, gr, dot, d, dr, cols);
                else softmaxRowAdd(y, yr, g, gr, dot, d, dr, cols);
            }
        });
    }

    /** {@code d = (g - dot) y} over one row. */
    private static void softmaxRowSet(float[] y, int yr, float[] g, int gr, float dot, float[] d, int dr, int cols) {
        int c = 0;
        for (; c <= cols - W; c += W)
            FloatVector.fromArray(F, g, gr + c).sub(dot).mul(FloatVector.fromArray(F, y, yr + c)).intoArray(d, dr + c);
        for (; c < cols; c++) d[dr + c] = (g[gr + c] - dot) * y[yr + c];
    }

    /** {@code d += (g - dot) y} over one row. */
    private static void softmaxRowAdd(float[] y, int yr, float[] g, int gr, float dot, float[] d, int dr, int cols) {
        int c = 0;
        for (; c <= cols - W; c += W)
            FloatVector.fromArray(F, g, gr + c).sub(dot)
                    .fma(FloatVector.fromArray(F, y, yr + c), FloatVector.fromArray(F, d, dr + c))
                    .intoArray(d, dr + c);
        for (; c < cols; c++) d[dr + c] = Math.fma(g[gr + c] - dot, y[yr + c], d[dr + c]);
    }

    /** {@code dX += dY - exp(y) * sum_c(dY)} per row, or {@code dX = ...} when {@code overwrite}. */
    static void logSoftmaxBackward(WorkerPool pool, float[] y, int yo, float[] g, int go, int rows, int cols,
                                   float[] d, int dd, boolean overwrite) {
        Chunks.rows(pool, rows, cols, (p, r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int yr = yo + r * cols, gr = go + r * cols, dr = dd + r * cols;
                float s = (float) VectorMath.sum(g, gr, 0, cols);
                if (overwrite) logSoftmaxRowSet(y, yr, g, gr, s, d, dr, cols);
                else logSoftmaxRowAdd(y, yr, g, gr, s, d, dr, cols);
            }
        });
    }

    /** {@code d = g - exp(y) s} over one row (each helper keeps exp at a single call site). */
    private static void logSoftmaxRowSet(float[] y, int yr, float[] g, int gr, float s, float[] d, int dr, int cols) {
        for (int c = 0; c < cols; c += W) {
            VectorMask<Float> m = F.indexInRange(c, cols);
            exp(FloatVector.fromArray(F, y, yr + c, m)).mul(-s).add(FloatVector.fromArray(F, g, gr + c, m))
                    .intoArray(d, dr + c, m);
        }
    }

    /** {@code d += g - exp(y) s} over one row. */
    private static void logSoftmaxRowAdd(float[] y, int yr, float[] g, int gr, float s, float[] d, int dr, int cols) {
        for (int c = 0; c < cols; c += W) {
            VectorMask<Float> m = F.indexInRange(c, cols);
            FloatVector term = exp(FloatVector.fromArray(F, y, yr + c, m)).mul(-s)
                    .add(FloatVector.fromArray(F, g, gr + c, m));
            FloatVector.fromArray(F, d, dr + c, m).add(term).intoArray(d, dr + c, m);
        }
    }
}
