// Vectorised cosine loss and its row coefficients from row dot products [x.y | x.x | y.y].
package curex.kernels;

import static curex.kernels.VectorMath.F;
import static curex.kernels.VectorMath.W;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The math of {@link Backend#cosineLoss} and {@link Backend#cosineLossBackward} over W rows at a time, in float
 * (sqrt, max, mul and div are each rounded once); the per-row losses are added in row order in double. The work
 * is O(rows), so it stays on the calling thread.
 */
final class VectorCosine {
    private VectorCosine() {
    }

    /** {@code mean_r (1 - x.y / (nx ny))} over dots (3, rows) starting at h[o]; 0 for 0 rows. */
    static float loss(float[] h, int o, int rows, float eps) {
        if (rows == 0) return 0f;
        float[] perRow = new float[rows];
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int r = 0; r < rows; r += W) {
            VectorMask<Float> m = F.indexInRange(r, rows);
            FloatVector xy = FloatVector.fromArray(F, h, o + r, m);
            FloatVector nx = FloatVector.fromArray(F, h, o + rows + r, m).lanewise(VectorOperators.SQRT).max(eps);
            FloatVector ny = FloatVector.fromArray(F, h, o + 2 * rows + r, m).lanewise(VectorOperators.SQRT).max(eps);
            one.sub(xy.div(nx.mul(ny))).intoArray(perRow, r, m);
        }
        double total = 0;
        for (float v : perRow) total += v;
        return (float) (total / rows);
    }

    /** Writes the coefficients (4, rows) from k[ko], for s = dLoss / rows. */
    static void backward(float[] h, int o, int rows, float eps, float dLoss, float[] k, int ko) {
        float s = (float) (dLoss / (double) rows);
        for (int r = 0; r < rows; r += W) {
            VectorMask<Float> m = F.indexInRange(r, rows);
            FloatVector xy = FloatVector.fromArray(F, h, o + r, m);
            FloatVector lx = FloatVector.fromArray(F, h, o + rows + r, m).lanewise(VectorOperators.SQRT);
            FloatVector ly = FloatVector.fromArray(F, h, o + 2 * rows + r, m).lanewise(VectorOperators.SQRT);
            FloatVector nx = lx.max(eps), ny = ly.max(eps), nxy = nx.mul(ny);
            FloatVector cross = FloatVector.broadcast(F, -s).div(nxy), sCos = xy.div(nxy).mul(s);
            cross.intoArray(k, ko + r, m);
            sCos.div(nx.mul(nx)).blend(0f, lx.compare(VectorOperators.LT, eps)).intoArray(k, ko + rows + r, m);
            cross.intoArray(k, ko + 2 * rows + r, m);
            sCos.div(ny.mul(ny)).blend(0f, ly.compare(VectorOperators.LT, eps)).intoArray(k, ko + 3 * rows + r, m);
        }
    }
}
