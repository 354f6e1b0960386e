// Vectorised bias add and the column sums of a (rows, cols) matrix, reduced over fixed row groups.
package curex.kernels;

import static curex.kernels.VectorMath.F;
import static curex.kernels.VectorMath.W;

import jdk.incubator.vector.FloatVector;

/**
 * Column reductions ({@code dBias[c] += sum_r dOut[r, c]}) sum each row group of {@link Chunks#rowsPerGroup}
 * rows into its own partial row, then add the partials in group order: the result does not depend on the
 * thread count.
 */
final class VectorColumns {
    private VectorColumns() {
    }

    /** {@code o[r, c] = x[r, c] + bias[c]}; o may alias x. */
    static void biasAdd(WorkerPool pool, float[] x, int xo, int rows, int cols, float[] bias, int bo,
                        float[] o, int oo) {
        Chunks.rows(pool, rows, cols, (p, r0, r1) -> {
            for (int r = r0; r < r1; r++) VectorElementwise.add(null, x, xo + r * cols, bias, bo, o, oo + r * cols, cols);
        });
    }

    /** {@code dBias[c] += sum_r dOut[r, c]}. */
    static void biasGrad(WorkerPool pool, float[] g, int go, int rows, int cols, float[] db, int dbo) {
        if (rows == 0 || cols == 0) return;
        float[] partial = new float[groups(rows, cols) * cols];
        Chunks.rows(pool, rows, cols, (p, r0, r1) -> {
            for (int r = r0; r < r1; r++) accumulate(g, go + r * cols, partial, p * cols, cols);
        });
        addPartials(partial, cols, db, dbo);
    }

    /** Number of row groups, one partial row each. */
    static int groups(int rows, int cols) {
        return Chunks.count(rows, Chunks.rowsPerGroup(cols));
    }

    /** {@code acc[ao + c] += v[vo + c]} for c in [0, n). */
    static void accumulate(float[] v, int vo, float[] acc, int ao, int n) {
        int c = 0;
        for (; c <= n - W; c += W)
            FloatVector.fromArray(F, acc, ao + c).add(FloatVector.fromArray(F, v, vo + c)).intoArray(acc, ao + c);
        for (; c < n; c++) acc[ao + c] += v[vo + c];
    }

    /** {@code dst[c] += sum_p partial[p * cols + c]}, partials added in order p = 0, 1, ... first. */
    static void addPartials(float[] partial, int cols, float[] dst, int o) {
        int groups = partial.length / cols;
        for (int p = 1; p < groups; p++) accumulate(partial, p * cols, partial, 0, cols);
        accumulate(partial, 0, dst, o, cols);
    }
}
