// Vectorised bias add and the column sums of a (rows, cols) matrix, reduced over fixed row groups.
package curex.kernels;

import static curex.kernels.VectorMath.F;
import static curex.kernels.VectorMath.W;

import jdk.incubator.vector.FloatVector;

/**
 * Column reductions ({@code dBias[c] += sum_r dOut[r, c]}) sum each group of at most {@link #GROUP_ROWS} rows
 * in float into its own partial row, then add the partials in group order in double: the result does not
 * depend on the thread count, and at most 64 float roundings touch any partial.
 */
final class VectorColumns {
    /** Rows per partial sum of a column reduction. */
    static final int GROUP_ROWS = 64;

    private VectorColumns() {
    }

    /** {@code o[r, c] = x[r, c] + bias[c]}; o may alias x. */
    static void biasAdd(WorkerPool pool, float[] x, int xo, int rows, int cols, float[] bias, int bo,
                        float[] o, int oo) {
        Chunks.rows(pool, rows, cols, (p, r0, r1) -> {
            for (int r = r0; r < r1; r++)
                VectorElementwise.add(null, x, xo + r * cols, bias, bo, o, oo + r * cols, cols);
        });
    }

    /** {@code dBias[c] = beta dBias[c] + sum_r dOut[r, c]}. */
    static void biasGrad(WorkerPool pool, float[] g, int go, int rows, int cols, float beta, float[] db, int dbo) {
        if ((rows == 0 || cols == 0) && beta == 1) return;
        int groups = groups(rows, cols);
        float[] partial = Scratch.zeroFloats(Scratch.PARTIAL, groups * cols);
        groups(pool, rows, cols, (p, r0, r1) -> {
            for (int r = r0; r < r1; r++) accumulate(g, go + r * cols, partial, p * cols, cols);
        });
        addPartials(partial, groups, cols, beta, db, dbo);
    }

    /** Number of row groups, one partial row each. */
    static int groups(int rows, int cols) {
        return Chunks.count(rows, GROUP_ROWS);
    }

    /** Runs body over the row groups (piece p covers rows [r0, r1)), in parallel for large matrices. */
    static void groups(WorkerPool pool, int rows, int cols, Chunks.Body body) {
        Chunks.run(pool, rows, GROUP_ROWS, (long) rows * cols >= Chunks.PARALLEL_HEAVY, body);
    }

    /** {@code acc[ao + c] += v[vo + c]} for c in [0, n). */
    static void accumulate(float[] v, int vo, float[] acc, int ao, int n) {
        int c = 0;
        for (; c <= n - W; c += W)
            FloatVector.fromArray(F, acc, ao + c).add(FloatVector.fromArray(F, v, vo + c)).intoArray(acc, ao + c);
        for (; c < n; c++) acc[ao + c] += v[vo + c];
    }

    /**
     * {@code dst[c] = beta dst[c] + sum_p partial[p * cols + c]} over {@code groups} partial rows, in double, partials
     * in order p = 0, 1, ... ({@link HostBackend#prior} for beta).
     */
    static void addPartials(float[] partial, int groups, int cols, float beta, float[] dst, int o) {
        for (int c = 0; c < cols; c++) {
            double sum = 0;
            for (int p = 0; p < groups; p++) sum += partial[p * cols + c];
            dst[o + c] = (float) (HostBackend.prior(beta, dst[o + c]) + sum);
        }
    }
}
