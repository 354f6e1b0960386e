// Vectorised GELU (tanh form) and its backward, written through a sigmoid so that no exp can overflow.
package curex.kernels;

import static curex.kernels.VectorMath.F;
import static curex.kernels.VectorMath.W;
import static curex.kernels.VectorMath.expUpTo88;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code gelu(x) = 0.5 x (1 + tanh(u)) = x sigmoid(2u)}, {@code u = sqrt(2/pi) (x + 0.044715 x^3)}. With
 * {@code t = exp(-2|u|) <= 1}: {@code sigmoid(2u) = (u >= 0 ? 1 : t) / (1 + t)} and
 * {@code sigmoid(2u) (1 - sigmoid(2u)) = t / (1 + t)^2}. The tail goes through the same vector code (on a padded
 * copy), so every element takes the same arithmetic.
 */
final class VectorActivations {
    private static final float K = 0.7978845608028654f;   // sqrt(2 / pi)
    private static final float CUBIC = 0.044715f;

    private VectorActivations() {
    }

    /** {@code o = gelu(x)}; o may alias x. */
    static void gelu(WorkerPool pool, float[] x, int xo, float[] o, int oo, int n) {
        Chunks.elements(pool, n, true, (p, from, to) -> {
            float[] tail = new float[W];
            for (int i = from; i < to; i += W) {
                // the last partial vector goes through a zero-padded copy, so that value() (and its exp) has
                // one call site, hot and inlined, and the loop needs no masks
                boolean full = i + W <= to;
                if (!full) System.arraycopy(x, xo + i, tail, 0, to - i);
                FloatVector v = value(FloatVector.fromArray(F, full ? x : tail, full ? xo + i : 0));
                v.intoArray(full ? o : tail, full ? oo + i : 0);
                if (!full) System.arraycopy(tail, 0, o, oo + i, to - i);
            }
        });
    }

    /** {@code dX += g * gelu'(x)}, or {@code dX = g * gelu'(x)} when {@code overwrite} (dX is not read). */
    static void geluBackward(WorkerPool pool, float[] x, int xo, float[] g, int go, float[] d, int dd, int n,
                             boolean overwrite) {
        if (overwrite) {
            geluGradient(pool, x, xo, g, go, d, dd, n);
            return;
        }
        Chunks.elements(pool, n, true, (p, from, to) -> {
            float[] tailX = new float[W], tailG = new float[W], tailD = new float[W];
            for (int i = from; i < to; i += W) {
                boolean full = i + W <= to;
                if (!full) {
                    System.arraycopy(x, xo + i, tailX, 0, to - i);
                    System.arraycopy(g, go + i, tailG, 0, to - i);
                    System.arraycopy(d, dd + i, tailD, 0, to - i);
                }
                FloatVector dv = FloatVector.fromArray(F, full ? d : tailD, full ? dd + i : 0);
                FloatVector gv = FloatVector.fromArray(F, full ? g : tailG, full ? go + i : 0);
                FloatVector xv = FloatVector.fromArray(F, full ? x : tailX, full ? xo + i : 0);
                gv.fma(derivative(xv), dv).intoArray(full ? d : tailD, full ? dd + i : 0);
                if (!full) System.arraycopy(tailD, 0, d, dd + i, to - i);
            }
        });
    }

    /** {@code dX = g * gelu'(x)}. */
    private static void geluGradient(WorkerPool pool, float[] x, int xo, float[] g, int go, float[] d, int dd,
                                     int n) {
        Chunks.elements(pool, n, true, (p, from, to) -> {
            float[] tailX = new float[W], tailG = new float[W], tailD = new float[W];
            for (int i = from; i < to; i += W) {
                boolean full = i + W <= to;
                if (!full) {
                    System.arraycopy(x, xo + i, tailX, 0, to - i);
                    System.arraycopy(g, go + i, tailG, 0, to - i);
                }
                FloatVector gv = FloatVector.fromArray(F, full ? g : tailG, full ? go + i : 0);
                FloatVector xv = FloatVector.fromArray(F, full ? x : tailX, full ? xo + i : 0);
                gv.mul(derivative(xv)).intoArray(full ? d : tailD, full ? dd + i : 0);
                if (!full) System.arraycopy(tailD, 0, d, dd + i, to - i);
            }
        });
    }

    private static FloatVector u(FloatVector x) {
        return x.mul(x).mul(x).fma(FloatVector.broadcast(F, CUBIC), x).mul(K);
    }

    private static FloatVector value(FloatVector x) {
        FloatVector u = u(x);
        FloatVector t = expUpTo88(u.abs().mul(-2f));
        FloatVector num = x.mul(t).blend(x, u.compare(VectorOperators.GE, 0f));
        return num.div(t.add(1f));
    }

    /** {@code s + 2 x s (1 - s) u'} with {@code s = sigmoid(2u)}, {@code u' = sqrt(2/pi) (1 + 3 * 0.044715 x^2)}. */
    private static FloatVector derivative(FloatVector x) {
        FloatVector u = u(x);
        FloatVector t = expUpTo88(u.abs().mul(-2f));
        FloatVector q = FloatVector.broadcast(F, 1f).div(t.add(1f));
        FloatVector s = t.mul(q).blend(q, u.compare(VectorOperators.GE, 0f));
        FloatVector du = x.mul(x).fma(FloatVector.broadcast(F, 3 * CUBIC), FloatVector.broadcast(F, 1f)).mul(K);
        FloatVector s1ms = t.mul(q).mul(q);
        return x.add(x).mul(s1ms).fma(du, s);
    }
}
