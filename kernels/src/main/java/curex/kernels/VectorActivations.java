// Vectorised GELU (tanh form) and its backward, written through a sigmoid of a clamped exp.
package curex.kernels;

import static curex.kernels.VectorMath.F;
import static curex.kernels.VectorMath.W;
import static curex.kernels.VectorMath.expClamped;

import jdk.incubator.vector.FloatVector;

/**
 * {@code gelu(x) = 0.5 x (1 + tanh(u)) = x sigmoid(2u) = x / (1 + e)}, {@code u = sqrt(2/pi) (x + 0.044715 x^3)},
 * {@code e = exp(-2u)}, and {@code sigmoid(2u) (1 - sigmoid(2u)) = e / (1 + e)^2}. No difference of nearly equal
 * numbers is taken, so the relative error stays small where gelu is tiny. e is {@link VectorMath#expClamped}: where
 * it clamps (|2u| past 87), {@code 1 / (1 + e)} is 0 or 1 to within 1e-38, the same as unclamped. The tail goes
 * through the same vector code (on a padded copy), so every element takes the same arithmetic.
 */
final class VectorActivations {
    private static final double K = Math.sqrt(2 / Math.PI);
    private static final double CUBIC = 0.044715;
    /** {@code -2u = C1 x + C2 x^3}. */
    private static final float C1 = (float) (-2 * K), C2 = (float) (-2 * K * CUBIC);
    /** {@code 2u' = D1 + D2 x^2}. */
    private static final float D1 = (float) (2 * K), D2 = (float) (6 * K * CUBIC);

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

    /** {@code -2u = x (C1 + C2 x^2)}, given x and x^2. */
    private static FloatVector minusTwoU(FloatVector x, FloatVector x2) {
        return x.mul(x2.fma(FloatVector.broadcast(F, C2), FloatVector.broadcast(F, C1)));
    }

    /** {@code x / (1 + e)}, e = exp(-2u) clamped (see the class comment). */
    private static FloatVector value(FloatVector x) {
        FloatVector e = expClamped(minusTwoU(x, x.mul(x)));
        return x.div(e.add(1f));
    }

    /** {@code s + x s (1 - s) 2u'} with {@code s = 1 / (1 + e)}, {@code s (1 - s) = e s^2}, {@code 2u' = D1 + D2 x^2}. */
    private static FloatVector derivative(FloatVector x) {
        FloatVector x2 = x.mul(x);
        FloatVector e = expClamped(minusTwoU(x, x2));
        FloatVector s = FloatVector.broadcast(F, 1f).div(e.add(1f));
        FloatVector twoDu = x2.fma(FloatVector.broadcast(F, D2), FloatVector.broadcast(F, D1));
        return x.mul(twoDu).fma(e.mul(s).mul(s), s);
    }
}
