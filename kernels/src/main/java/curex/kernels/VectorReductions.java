// Vectorised reductions (sum, sum of squares, argmax of rows) over fixed chunks combined in order.
package curex.kernels;

import static curex.kernels.VectorMath.F;
import static curex.kernels.VectorMath.W;

import jdk.incubator.vector.FloatVector;

/**
 * Each reduction splits its input into chunks of {@link Chunks#REDUCE} elements, reduces every chunk with the
 * same vector code into a double partial, and combines the partials in chunk order: the result is the same
 * bits for any thread count.
 */
final class VectorReductions {
    private VectorReductions() {
    }

    /** {@code sum(x)}, rounded to float once. */
    static float sum(WorkerPool pool, float[] x, int xo, int n) {
        double[] partial = new double[Chunks.count(n, Chunks.REDUCE)];
        Chunks.run(pool, n, Chunks.REDUCE, n >= Chunks.PARALLEL_CHEAP,
                (p, from, to) -> partial[p] = VectorMath.sum(x, xo, from, to));
        return (float) VectorLosses.sumInOrder(partial, partial.length);
    }

    /** {@code sum(x^2)}, rounded to float once. */
    static float sumOfSquares(WorkerPool pool, float[] x, int xo, int n) {
        double[] partial = new double[Chunks.count(n, Chunks.REDUCE)];
        Chunks.run(pool, n, Chunks.REDUCE, n >= Chunks.PARALLEL_CHEAP, (p, from, to) -> {
            FloatVector a0 = FloatVector.zero(F), a1 = a0;
            int i = from;
            for (; i <= to - 2 * W; i += 2 * W) {
                FloatVector v0 = FloatVector.fromArray(F, x, xo + i), v1 = FloatVector.fromArray(F, x, xo + i + W);
                a0 = v0.fma(v0, a0);
                a1 = v1.fma(v1, a1);
            }
            double s = VectorMath.sumLanes(a0.add(a1));
            for (; i < to; i++) s += (double) x[xo + i] * x[xo + i];
            partial[p] = s;
        });
        return (float) VectorLosses.sumInOrder(partial, partial.length);
    }

    /**
     * {@code out[r]} = first position of the largest element of row r, NaN never winning ({@code cols - 1} when
     * all are NaN), as {@code ReferenceBackend} defines it.
     */
    static void argmaxRows(WorkerPool pool, float[] x, int xo, int rows, int cols, int[] out, int oo) {
        Chunks.rows(pool, rows, cols, (p, r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int i = VectorMath.firstMax(x, xo + r * cols, 0, cols);
                out[oo + r] = i < 0 ? cols - 1 : i;
            }
        });
    }
}
