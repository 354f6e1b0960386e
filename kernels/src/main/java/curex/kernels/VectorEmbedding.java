// Embedding lookup (row copies) and its scatter-add backward, split over rows and columns respectively.
package curex.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * ids arrive already checked ({@link #rows}). The backward splits the table's columns across threads, so each
 * element still receives its contributions in id order, exactly as a sequential loop would add them. Overwriting
 * (beta 0) copies the first contribution of a row instead of adding it to zero, and zeroes the rows no id refers
 * to, so the old table is never read.
 */
final class VectorEmbedding {
    private static final int COLUMN_BLOCK = 256;
    private static final VectorSpecies<Float> F = VectorMath.F;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    private VectorEmbedding() {
    }

    /** {@code out[i] = table[rows[i]]}, (n, dim). */
    static void forward(WorkerPool pool, int[] rows, float[] table, int to, int dim, float[] out, int oo) {
        Chunks.rows(pool, rows.length, dim, (p, i0, i1) -> {
            for (int i = i0; i < i1; i++) System.arraycopy(table, to + rows[i] * dim, out, oo + i * dim, dim);
        });
    }

    /** {@code out[i] = ids[i] == padId ? -inf : 0} for i in [0, n). */
    static void paddingMask(int[] ids, int io, int padId, float[] out, int oo, int n) {
        IntVector pad = IntVector.broadcast(I, padId);
        FloatVector zero = FloatVector.zero(F), ninf = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i <= n - I.length(); i += I.length()) {
            VectorMask<Integer> eq = IntVector.fromArray(I, ids, io + i).compare(VectorOperators.EQ, pad);
            zero.blend(ninf, eq.cast(F)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = ids[io + i] == padId ? Float.NEGATIVE_INFINITY : 0f;
    }

    /** {@code dTable[rows[i]] += dOut[i]} in order of i. */
    static void backward(WorkerPool pool, int[] rows, float[] g, int go, int dim, float[] dt, int dto) {
        int n = rows.length;
        Chunks.run(pool, dim, COLUMN_BLOCK, (long) n * dim >= Chunks.PARALLEL_CHEAP, (p, c0, c1) -> {
            for (int i = 0; i < n; i++)
                VectorColumns.accumulate(g, go + i * dim + c0, dt, dto + rows[i] * dim + c0, c1 - c0);
        });
    }

    /** {@code dTable = sum_i onehot(rows[i]) dOut[i]} over a (vocab, dim) table, in order of i. */
    static void overwrite(WorkerPool pool, int[] rows, float[] g, int go, int vocab, int dim, float[] dt, int dto) {
        int n = rows.length;
        boolean[] first = new boolean[n], used = new boolean[vocab];
        for (int i = 0; i < n; i++) {
            first[i] = !used[rows[i]];
            used[rows[i]] = true;
        }
        long work = ((long) n + vocab) * dim;
        Chunks.run(pool, dim, COLUMN_BLOCK, work >= Chunks.PARALLEL_CHEAP, (p, c0, c1) -> {
            for (int r = 0; r < vocab; r++)
                if (!used[r]) java.util.Arrays.fill(dt, dto + r * dim + c0, dto + r * dim + c1, 0f);
            for (int i = 0; i < n; i++) {
                int src = go + i * dim + c0, dst = dto + rows[i] * dim + c0;
                if (first[i]) System.arraycopy(g, src, dt, dst, c1 - c0);
                else VectorColumns.accumulate(g, src, dt, dst, c1 - c0);
            }
        });
    }
}
