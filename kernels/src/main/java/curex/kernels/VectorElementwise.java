// Vectorised elementwise kernels over equal-length arrays: add, mul, scale, axpy, relu and their backwards.
package curex.kernels;

import static curex.kernels.VectorMath.F;
import static curex.kernels.VectorMath.W;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Each kernel takes arrays with their start offsets and a length n, already validated. Loop tails run the same
 * IEEE operation in scalar code (Math.fma for fma), so every element gets identical bits whichever path it
 * takes; outputs may alias an input at the same offset. Backward kernels take {@code overwrite}: true writes the
 * contribution without reading the gradient (beta 0), false adds it (beta 1; other betas scale first).
 */
final class VectorElementwise {
    private VectorElementwise() {
    }

    /** {@code o = a + b}. */
    static void add(WorkerPool pool, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        Chunks.elements(pool, n, false, (p, from, to) -> {
            int i = from;
            for (; i <= to - W; i += W)
                FloatVector.fromArray(F, a, ao + i).add(FloatVector.fromArray(F, b, bo + i)).intoArray(o, oo + i);
            for (; i < to; i++) o[oo + i] = a[ao + i] + b[bo + i];
        });
    }

    /** {@code o = a * b}. */
    static void mul(WorkerPool pool, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        Chunks.elements(pool, n, false, (p, from, to) -> {
            int i = from;
            for (; i <= to - W; i += W)
                FloatVector.fromArray(F, a, ao + i).mul(FloatVector.fromArray(F, b, bo + i)).intoArray(o, oo + i);
            for (; i < to; i++) o[oo + i] = a[ao + i] * b[bo + i];
        });
    }

    /**
     * {@code dA += g * b; dB += g * a} (either may be null; dA before dB per element, so they may alias), or
     * {@code dA = g * b; dB = g * a} when {@code overwrite}.
     */
    static void mulBackward(WorkerPool pool, float[] a, int ao, float[] b, int bo, float[] g, int go,
                            float[] da, int dao, float[] db, int dbo, int n, boolean overwrite) {
        if (overwrite) {
            mulGradients(pool, a, ao, b, bo, g, go, da, dao, db, dbo, n);
            return;
        }
        Chunks.elements(pool, n, false, (p, from, to) -> {
            int i = from;
            for (; i <= to - W; i += W) {
                FloatVector gv = FloatVector.fromArray(F, g, go + i);
                if (da != null)
                    gv.fma(FloatVector.fromArray(F, b, bo + i), FloatVector.fromArray(F, da, dao + i))
                            .intoArray(da, dao + i);
                if (db != null)
                    gv.fma(FloatVector.fromArray(F, a, ao + i), FloatVector.fromArray(F, db, dbo + i))
                            .intoArray(db, dbo + i);
            }
            for (; i < to; i++) {
                if (da != null) da[dao + i] = Math.fma(g[go + i], b[bo + i], da[dao + i]);
                if (db != null) db[dbo + i] = Math.fma(g[go + i], a[ao + i], db[dbo + i]);
            }
        });
    }

    /** {@code dA = g * b; dB = g * a} in one pass (either may be null). */
    private static void mulGradients(WorkerPool pool, float[] a, int ao, float[] b, int bo, float[] g, int go,
                                     float[] da, int dao, float[] db, int dbo, int n) {
        Chunks.elements(pool, n, false, (p, from, to) -> {
            int i = from;
            for (; i <= to - W; i += W) {
                FloatVector gv = FloatVector.fromArray(F, g, go + i);
                if (da != null) gv.mul(FloatVector.fromArray(F, b, bo + i)).intoArray(da, dao + i);
                if (db != null) gv.mul(FloatVector.fromArray(F, a, ao + i)).intoArray(db, dbo + i);
            }
            for (; i < to; i++) {
                if (da != null) da[dao + i] = g[go + i] * b[bo + i];
                if (db != null) db[dbo + i] = g[go + i] * a[ao + i];
            }
        });
    }

    /** {@code o = alpha * x}. */
    static void scale(WorkerPool pool, float alpha, float[] x, int xo, float[] o, int oo, int n) {
        Chunks.elements(pool, n, false, (p, from, to) -> {
            int i = from;
            for (; i <= to - W; i += W) FloatVector.fromArray(F, x, xo + i).mul(alpha).intoArray(o, oo + i);
            for (; i < to; i++) o[oo + i] = alpha * x[xo + i];
        });
    }

    /** {@code y += alpha * x}, fused (one rounding, as the reference's double arithmetic nearly always gives). */
    static void axpy(WorkerPool pool, float alpha, float[] x, int xo, float[] y, int yo, int n) {
        Chunks.elements(pool, n, false, (p, from, to) -> {
            int i = from;
            FloatVector av = FloatVector.broadcast(F, alpha);
            for (; i <= to - W; i += W)
                FloatVector.fromArray(F, x, xo + i).fma(av, FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
            for (; i < to; i++) y[yo + i] = Math.fma(x[xo + i], alpha, y[yo + i]);
        });
    }

    /** {@code y[i] = c}. */
    static void fill(WorkerPool pool, float c, float[] y, int yo, int n) {
        Chunks.elements(pool, n, false, (p, from, to) -> java.util.Arrays.fill(y, yo + from, yo + to, c));
    }

    /** {@code y += c}. */
    static void addScalar(WorkerPool pool, float c, float[] y, int yo, int n) {
        Chunks.elements(pool, n, false, (p, from, to) -> {
            int i = from;
            for (; i <= to - W; i += W) FloatVector.fromArray(F, y, yo + i).add(c).intoArray(y, yo + i);
            for (; i < to; i++) y[yo + i] += c;
        });
    }

    /** {@code o = x > 0 ? x : 0} (NaN and -0 give 0). */
    static void relu(WorkerPool pool, float[] x, int xo, float[] o, int oo, int n) {
        Chunks.elements(pool, n, false, (p, from, to) -> {
            int i = from;
            FloatVector zero = FloatVector.zero(F);
            for (; i <= to - W; i += W) {
                FloatVector v = FloatVector.fromArray(F, x, xo + i);
                zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(o, oo + i);
            }
            for (; i < to; i++) o[oo + i] = x[xo + i] > 0 ? x[xo + i] : 0f;
        });
    }

    /**
     * {@code dX += g} where {@code x > 0}, other elements of dX left untouched; or, when {@code overwrite},
     * {@code dX = x > 0 ? g : 0}.
     */
    static void reluBackward(WorkerPool pool, float[] x, int xo, float[] g, int go, float[] d, int dd, int n,
                             boolean overwrite) {
        if (overwrite) {
            Chunks.elements(pool, n, false, (p, from, to) -> {
                int i = from;
                FloatVector zero = FloatVector.zero(F);
                for (; i <= to - W; i += W) {
                    FloatVector v = FloatVector.fromArray(F, x, xo + i);
                    zero.blend(FloatVector.fromArray(F, g, go + i), v.compare(VectorOperators.GT, 0f))
                            .intoArray(d, dd + i);
                }
                for (; i < to; i++) d[dd + i] = x[xo + i] > 0 ? g[go + i] : 0f;
            });
            return;
        }
        Chunks.elements(pool, n, false, (p, from, to) -> {
            int i = from;
            for (; i <= to - W; i += W) {
                FloatVector v = FloatVector.fromArray(F, x, xo + i);
                FloatVector.fromArray(F, d, dd + i)
                        .add(FloatVector.fromArray(F, g, go + i), v.compare(VectorOperators.GT, 0f))
                        .intoArray(d, dd + i);
            }
            for (; i < to; i++) if (x[xo + i] > 0) d[dd + i] += g[go + i];
        });
    }
}
