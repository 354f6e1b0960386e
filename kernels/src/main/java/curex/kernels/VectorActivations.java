// Vectorised GELU (tanh form) and its backward, written through a sigmoid so that no exp can overflow.
package curex.kernels;

import static curex.kernels.VectorMath.F;
import static curex.kernels.VectorMath.W;
import static curex.kernels.VectorMath.bc;
import static curex.kernels.VectorMath.exp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code gelu(x) = 0.5 x (1 + tanh(u)) = x sigmoid(2u)}, {@code u = sqrt(2/pi) (x + 0.044715 x^3)}. With
 * {@code t = exp(-2|u|) <= 1}: {@code sigmoid(2u) = (u >= 0 ? 1 : t) / (1 + t)} and
 * {@code sigmoid(2u) (1 - sigmoid(2u)) = t / (1 + t)^2}. Tails are masked vector operations, so every element
 * takes the same arithmetic.
 */
final class VectorActivations {
    private static final float K = 0.7978845608028654f;   // sqrt(2 / pi)
    private static final float CUBIC = 0.044715f;

    private VectorActivations() {
    }

    /** {@code o = gelu(x)}; o may alias x. */
    static void gelu(WorkerPool pool, float[] x, int xo, float[] o, int oo, int n) {
        Chunks.elements(pool, n, true, (p, from, to) -> {
            int i = from;
            for (; i <= to - W; i += W) value(FloatVector.fromArray(F, x, xo + i)).intoArray(o, oo + i);
            if (i < to) {
                VectorMask<Float> m = F.indexInRange(i, to);
                value(FloatVector.fromArray(F, x, xo + i, m)).intoArray(o, oo + i, m);
            }
        });
    }

    /** {@code dX += g * gelu'(x)}. */
    static void geluBackward(WorkerPool pool, float[] x, int xo, float[] g, int go, float[] d, int dd, int n) {
        Chunks.elements(pool, n, true, (p, from, to) -> {
            int i = from;
            for (; i <= to - W; i += W) {
                FloatVector dv = FloatVector.fromArray(F, d, dd + i);
                FloatVector.fromArray(F, g, go + i).fma(derivative(FloatVector.fromArray(F, x, xo + i)), dv)
                        .intoArray(d, dd + i);
            }
            if (i < to) {
                VectorMask<Float> m = F.indexInRange(i, to);
                FloatVector dv = FloatVector.fromArray(F, d, dd + i, m);
                FloatVector.fromArray(F, g, go + i, m).fma(derivative(FloatVector.fromArray(F, x, xo + i, m)), dv)
                        .intoArray(d, dd + i, m);
            }
        });
    }

    private static FloatVector u(FloatVector x) {
        return x.mul(x).mul(x).fma(bc(CUBIC), x).mul(K);
    }

    private static FloatVector value(FloatVector x) {
        FloatVector u = u(x);
        FloatVector t = exp(u.abs().mul(-2f));
        FloatVector num = x.mul(t).blend(x, u.compare(VectorOperators.GE, 0f));
        return num.div(t.add(1f));
    }

    /** {@code s + 2 x s (1 - s) u'} with {@code s = sigmoid(2u)}, {@code u' = sqrt(2/pi) (1 + 3 * 0.044715 x^2)}. */
    private static FloatVector derivative(FloatVector x) {
        FloatVector u = u(x);
        FloatVector t = exp(u.abs().mul(-2f));
        FloatVector q = bc(1f).div(t.add(1f));
        FloatVector s = t.mul(q).blend(q, u.compare(VectorOperators.GE, 0f));
        FloatVector du = x.mul(x).fma(bc(3 * CUBIC), bc(1f)).mul(K);
        FloatVector s1ms = t.mul(q).mul(q);
        return x.add(x).mul(s1ms).fma(du, s);
    }
}
