// The column sums of a stored (k, m) A, taken block by block as the GEMM packs A^T: a linear layer's bias gradient.
package curex.kernels;

import java.util.Arrays;

/**
 * {@code dst[i] = beta dst[i] + sum_p A[p, i]} for a stored (k, m) A of contiguous rows, summed exactly as
 * {@link VectorColumns#biasGrad} sums: each group of {@link VectorColumns#GROUP_ROWS} rows (from row 0) in float
 * into a partial that starts at zero, the partials added in group order in double. {@link VectorGemm#gemmBiasGrad}
 * adds the rows of a block of columns {@code [i0, i0 + cols)} and k steps {@code [p0, p0 + kc)} right after packing
 * them, while they are in cache (or all of A at once when the product packs none). The blocks of one column range
 * arrive in k order and different tasks own different columns, so the result has biasGrad's bits whatever the
 * thread count.
 */
final class GemmRowSums {
    private final float[] a;
    private final int aOff, m, k;
    private final float[] part;
    private final double[] total;

    /** Sums of the columns of A (k, m) at aOff, in the first m floats and doubles of part and total (zeroed here). */
    GemmRowSums(float[] a, int aOff, int m, int k, float[] part, double[] total) {
        this.a = a;
        this.aOff = aOff;
        this.m = m;
        this.k = k;
        this.part = part;
        this.total = total;
        Arrays.fill(part, 0, m, 0f);
        Arrays.fill(total, 0, m, 0.0);
    }

    /** Adds rows {@code [p0, p0 + kc)} of columns {@code [i0, i0 + cols)}. */
    void add(int i0, int cols, int p0, int kc) {
        for (int p = p0, end = p0 + kc; p < end; ) {   // up to the end of p's row group, or of the rows given
            int next = Math.min(end, (p / VectorColumns.GROUP_ROWS + 1) * VectorColumns.GROUP_ROWS);
            VectorColumns.accumulateRows(a, aOff + i0, m, p, next, part, i0, cols);
            p = next;
            if (p % VectorColumns.GROUP_ROWS == 0 || p == k) {
                for (int i = i0; i < i0 + cols; i++) {
                    total[i] += part[i];
                    part[i] = 0f;
                }
            }
        }
    }

    /** {@code dst[o + i] = beta dst[o + i] + sum} for i < m, once every row has been added. */
    void finish(float beta, float[] dst, int o) {
        if (k == 0 && beta == 1) return;   // as biasGrad: nothing to add, dst as it was
        for (int i = 0; i < m; i++) dst[o + i] = (float) (HostBackend.prior(beta, dst[o + i]) + total[i]);
    }
}
