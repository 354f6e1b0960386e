// Vectorised GELU (tanh form) and its backward, written through sigmoids so that no exp overflows into the result.
package curex.kernels;

import static curex.kernels.VectorMath.F;
import static curex.kernels.VectorMath.W;
import static curex.kernels.VectorMath.expClamped;
import static curex.kernels.VectorMath.expUpTo88;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code gelu(x) = 0.5 x (1 + tanh(u)) = x sigmoid(2u)}, {@code u = sqrt(2/pi) (x + 0.044715 x^3)}. No difference of
 * nearly equal numbers is taken, so the relative error stays small where gelu is tiny.
 *
 * <p>Forward: {@code x s}, {@code s = sigmoid(2u) = 1 / (1 + e)}, {@code e = exp(-2u)} from
 * {@link VectorMath#expClamped}, {@code -2u = x (C1 + C2 x^2)}. Where the exp clamps (|x| past 10), s is 0 or 1 to
 * within 1e-38, and x below -20 enters the product as -20, so that no huge x turns those 1e-38 into a visible error
 * (gelu(-1e37) came out -0.04 before).
 *
 * <p>The forward with its derivative ({@link #geluWithDerivative}) reuses e and s: {@code gelu'(x) = s + 2 x e s^2
 * u'}, {@code u' = sqrt(2/pi) (1 + 3 * 0.044715 x^2)}, set to exactly 1 where -2u is below the exp's range and 0
 * above it, where the clamped e would leave a term growing like x^3 (gelu'(1e13) came out 3.5 that way) or x^2
 * overflows. The training step's GELU takes that path: its backward is then a product ({@code dX = dOut gelu'}),
 * and the pass that recomputed the exp is gone.
 *
 * <p>Backward ({@link #geluBackward}, for a forward that kept only x): with {@code t = exp(-2|u|) <= 1}, {@code
 * sigmoid(2u) = (u >= 0 ? 1 : t) / (1 + t)} and {@code sigmoid(2u) (1 - sigmoid(2u)) = t / (1 + t)^2}; t is exactly
 * 0 where the exp flushes, so the term that grows like x^3 vanishes there. Past |x| = 1.8e19, x^2 overflows and it
 * gives NaN.
 *
 * <p>The tail goes through the same vector code (on a padded copy), so every element takes the same arithmetic.
 */
final class VectorActivations {
    private static final double K = Math.sqrt(2 / Math.PI);
    private static final double CUBIC = 0.044715;
    /** {@code -2u = C1 x + C2 x^3}. */
    private static final float C1 = (float) (-2 * K), C2 = (float) (-2 * K * CUBIC);
    /** The constants of u and u', for the derivatives. */
    private static final float K_F = (float) K, CUBIC_F = (float) CUBIC;
    /** Below -20, gelu is 0 to within a float; x enters the forward's product as at most -20 there. */
    private static final float LIMIT = 20f;

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

    /**
     * {@code o = gelu(x)}, {@link #gelu}'s bits, and {@code d = gelu'(x)} from the same exp (see the class comment);
     * o may alias x, d overlaps neither.
     */
    static void geluWithDerivative(WorkerPool pool, float[] x, int xo, float[] o, int oo, float[] d, int dOff,
                                   int n) {
        Chunks.elements(pool, n, true, (p, from, to) -> {
            float[] tail = new float[W], tailD = new float[W];
            for (int i = from; i < to; i += W) {
                boolean full = i + W <= to;
                if (!full) System.arraycopy(x, xo + i, tail, 0, to - i);
                FloatVector xv = FloatVector.fromArray(F, full ? x : tail, full ? xo + i : 0);
                // value() before the derivative: inlined there, before C2's node count runs out (past it, the
                // call is left a call, its vectors boxed, and the loop 5x slower)
                FloatVector x2 = xv.mul(xv), a = minusTwoU(xv, x2), e = expClamped(a), s = sigmoid(e);
                value(xv, s).intoArray(full ? o : tail, full ? oo + i : 0);
                xv.add(xv).mul(e.mul(s).mul(s)).fma(slopeOfU(x2), s)
                        .blend(1f, a.compare(VectorOperators.LT, VectorMath.EXP_LO))
                        .blend(0f, a.compare(VectorOperators.GT, VectorMath.EXP_HI))
                        .intoArray(full ? d : tailD, full ? dOff + i : 0);
                if (!full) {
                    System.arraycopy(tail, 0, o, oo + i, to - i);
                    System.arraycopy(tailD, 0, d, dOff + i, to - i);
                }
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

    /** {@code x s}, {@code s = 1 / (1 + e)}, e = exp(-2u) clamped, x below -LIMIT as -LIMIT (see the class comment). */
    private static FloatVector value(FloatVector x) {
        return value(x, sigmoid(expClamped(minusTwoU(x, x.mul(x)))));
    }

    /** {@code 1 / (1 + e)}. */
    private static FloatVector sigmoid(FloatVector e) {
        return FloatVector.broadcast(F, 1f).div(e.add(1f));
    }

    /** {@code x s}, x below -LIMIT taken as -LIMIT. */
    private static FloatVector value(FloatVector x, FloatVector s) {
        return x.blend(-LIMIT, x.compare(VectorOperators.LT, -LIMIT)).mul(s);
    }

    /** {@code u' = sqrt(2/pi) (1 + 3 * 0.044715 x^2)}, given x^2. */
    private static FloatVector slopeOfU(FloatVector x2) {
        return x2.fma(FloatVector.broadcast(F, 3 * CUBIC_F), FloatVector.broadcast(F, 1f)).mul(K_F);
    }

    /**
     * {@code s + 2 x s (1 - s) u'} with {@code s = sigmoid(2u)} from {@code t = exp(-2|u|) <= 1} (see the class
     * comment), {@code u' = sqrt(2/pi) (1 + 3 * 0.044715 x^2)}.
     */
    private static FloatVector derivative(FloatVector x) {
        FloatVector u = x.mul(x).mul(x).fma(FloatVector.broadcast(F, CUBIC_F), x).mul(K_F);
        FloatVector t = expUpTo88(u.abs().mul(-2f));
        FloatVector q = FloatVector.broadcast(F, 1f).div(t.add(1f));
        FloatVector s = t.mul(q).blend(q, u.compare(VectorOperators.GE, 0f));
        FloatVector du = slopeOfU(x.mul(x));
        FloatVector s1ms = t.mul(q).mul(q);
        return x.add(x).mul(s1ms).fma(du, s);
    }
}
