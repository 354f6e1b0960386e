// Vectorised optimizer steps (SGD with momentum, AdamW) over a flat parameter buffer, in fixed chunks.
package curex.kernels;

import static curex.kernels.VectorMath.F;
import static curex.kernels.VectorMath.W;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * PyTorch semantics, as documented on {@link Backend#sgdStep} and {@link Backend#adamwStep}. Arithmetic is in
 * float with fused multiply-adds where the reference (double) rounds once; tails are masked vector steps.
 */
final class VectorOptimizers {
    private VectorOptimizers() {
    }

    /** {@code s = g + wd p; v = momentum v + s (when v != null); p -= lr v (or lr s)}. */
    static void sgd(WorkerPool pool, float[] p, int po, float[] g, int go, float[] v, int vo, int n,
                    float lr, float momentum, float weightDecay) {
        Chunks.elements(pool, n, true, (piece, from, to) -> {
            FloatVector wd = FloatVector.broadcast(F, weightDecay), mu = FloatVector.broadcast(F, momentum);
            FloatVector minusLr = FloatVector.broadcast(F, -lr);
            for (int i = from; i < to; i += W) {
                VectorMask<Float> m = F.indexInRange(i, to);
                FloatVector pv = FloatVector.fromArray(F, p, po + i, m);
                FloatVector step = pv.fma(wd, FloatVector.fromArray(F, g, go + i, m));
                if (v != null) {
                    step = FloatVector.fromArray(F, v, vo + i, m).fma(mu, step);
                    step.intoArray(v, vo + i, m);
                }
                step.fma(minusLr, pv).intoArray(p, po + i, m);
            }
        });
    }

    /**
     * {@code p *= 1 - lr wd; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
     * p -= (lr / (1 - b1^t)) m / (sqrt(v / (1 - b2^t)) + eps)}.
     */
    static void adamw(WorkerPool pool, float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo,
                      int n, float lr, float beta1, float beta2, float eps, float weightDecay, long step) {
        float decay = (float) (1 - (double) lr * weightDecay);
        float keep1 = 1 - beta1, keep2 = 1 - beta2;
        float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
        float invCorrection2 = (float) (1 / (1 - Math.pow(beta2, step)));
        Chunks.elements(pool, n, true, (piece, from, to) -> {
            FloatVector b1 = FloatVector.broadcast(F, beta1), b2 = FloatVector.broadcast(F, beta2);
            for (int i = from; i < to; i += W) {
                VectorMask<Float> k = F.indexInRange(i, to);
                FloatVector gv = FloatVector.fromArray(F, g, go + i, k);
                FloatVector mv = FloatVector.fromArray(F, m, mo + i, k).fma(b1, gv.mul(keep1));
                FloatVector vv = FloatVector.fromArray(F, v, vo + i, k).fma(b2, gv.mul(gv).mul(keep2));
                mv.intoArray(m, mo + i, k);
                vv.intoArray(v, vo + i, k);
                FloatVector denom = vv.mul(invCorrection2).lanewise(VectorOperators.SQRT).add(eps);
                FloatVector pv = FloatVector.fromArray(F, p, po + i, k).mul(decay);
                pv.sub(mv.mul(stepSize).div(denom)).intoArray(p, po + i, k);
            }
        });
    }
}
