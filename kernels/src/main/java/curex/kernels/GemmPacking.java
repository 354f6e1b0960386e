// Copies blocks of op(A) and op(B) into the contiguous, zero-padded panel layouts the GEMM micro-kernels read.
package curex.kernels;

import static curex.kernels.GemmMicroKernel.L;
import static curex.kernels.GemmMicroKernel.PACKED_ROWS;
import static curex.kernels.GemmMicroKernel.NR;
import static curex.kernels.GemmMicroKernel.ROWS;
import static curex.kernels.GemmMicroKernel.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Panel layouts. B: panel {@code q} covers columns {@code [q*NR, q*NR + NR)} of op(B) (k x n) and starts at
 * {@code q * NR * k}; within it row p (all k rows) is {@link #bPanelWidth} floats, zero beyond column n. A: a
 * block of rows {@code [i0, i0 + mc)} and k steps {@code [p0, p0 + kc)} of op(A) (m x k) is {@code ceil(mc/MR)}
 * panels of {@code MR * kc} floats, MR = {@link GemmMicroKernel#PACKED_ROWS}, k step p of panel r holding rows
 * {@code i0 + r*MR .. + MR} (zero past m). A last panel of fewer than {@link GemmMicroKernel#ROWS} rows of a stored
 * (m, k) A, whose other rows are read in place, is packed row by row: {@link #packRows}.
 */
final class GemmPacking {
    /** Rows of a packed A panel. */
    private static final int MR = PACKED_ROWS;
    /** k steps of a stored (k, m) A copied into all panels of a block before the next ones. */
    private static final int K_GROUP = 8;
    /** A vector's first MR lanes, and the others: where a vector holds a step of two A panels (L == 2 * MR). */
    private static final VectorMask<Float> FIRST_PANEL = S.indexInRange(0, Math.min(MR, L)),
            SECOND_PANEL = FIRST_PANEL.not();

    private GemmPacking() {
    }

    /** Floats per k step in B panel {@code q}: NR, or L when it is the last panel and n leaves at most L columns. */
    static int bPanelWidth(int q, int n) {
        int cols = n - q * NR;
        return cols <= L ? L : NR;
    }

    /** Floats the packed op(B) (k x n) takes. */
    static long bPackedLength(int k, int n) {
        return (long) ((n + NR - 1) / NR) * NR * k;
    }

    /**
     * Packs B panels {@code [q0, q1)} of op(B) (k x n), stored (k, n) or, when transB, (n, k); with sums (stored
     * (k, n) only), the panels' columns of B added to them, row group by row group as the rows are copied.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int k, int n, float[] dst, int q0, int q1,
                      GemmRowSums sums) {
        if (!transB) {
            packBRows(b, bOff, ldb, k, n, dst, q0, q1, sums);
            return;
        }
        if (sums != null) throw new IllegalArgumentException("column sums of a transposed B");
        for (int q = q0; q < q1; q++) {
            int j0 = q * NR, cols = Math.min(NR, n - j0), w = bPanelWidth(q, n);
            packBPanelTransposed(b, bOff + j0 * ldb, ldb, k, cols, w, dst, q * NR * k);
        }
    }

    // B stored (k, n): row p of panel q is a copy of its cols floats of row p, zero padded to w. The whole panels go
    // row by row, each stored row read once from start to end and dealt out to the panels: read panel by panel, a
    // (2688, 128) B was a walk of 64 bytes every 512 down each 4 KB page, which the prefetchers follow badly. Column
    // sums are taken after each group of rows, which is still in cache.
    private static void packBRows(float[] b, int bOff, int ldb, int k, int n, float[] dst, int q0, int q1,
                                  GemmRowSums sums) {
        int whole = Math.min(q1, n / NR);   // panels [q0, whole) are NR columns wide
        int group = sums == null ? k : VectorColumns.GROUP_ROWS;
        for (int p0 = 0; p0 < k; p0 += group) {
            int p1 = Math.min(k, p0 + group);
            for (int p = p0; p < p1; p++) {
                int src = bOff + p * ldb;
                for (int q = q0; q < whole; q++) {
                    int s = src + q * NR, d = q * NR * k + p * NR;
                    FloatVector.fromArray(S, b, s).intoArray(dst, d);
                    FloatVector.fromArray(S, b, s + L).intoArray(dst, d + L);
                }
            }
            if (sums != null && whole > q0) sums.add(q0 * NR, (whole - q0) * NR, p0, p1 - p0);
        }
        for (int q = Math.max(q0, whole); q < q1; q++) {
            int j0 = q * NR, cols = Math.min(NR, n - j0);
            packBPanel(b, bOff + j0, ldb, k, cols, bPanelWidth(q, n), dst, q * NR * k);
            if (sums != null) sums.add(j0, cols, 0, k);
        }
    }

    // B stored (k, n), one panel narrower than NR: row p of the panel is a copy of cols floats of row p, zero padded
    // to w.
    private static void packBPanel(float[] b, int src, int ldb, int k, int cols, int w, float[] dst, int base) {
        for (int j = 0; j < w; j += L) {
            VectorMask<Float> m = S.indexInRange(j, cols);
            for (int p = 0, s = src + j, d = base + j; p < k; p++, s += ldb, d += w)
                FloatVector.fromArray(S, b, s, m).intoArray(dst, d);
        }
    }

    // B stored (n, k): column jj of the panel is row jj of the stored matrix; padding columns are zeroed.
    private static void packBPanelTransposed(float[] b, int src, int ldb, int k, int cols, int w, float[] dst,
                                             int base) {
        int jj = 0;
        for (; jj + 4 <= cols; jj += 4) {
            int s0 = src + jj * ldb, s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb;
            for (int p = 0, d = base + jj; p < k; p++, d += w) {
                dst[d] = b[s0 + p];
                dst[d + 1] = b[s1 + p];
                dst[d + 2] = b[s2 + p];
                dst[d + 3] = b[s3 + p];
            }
        }
        for (; jj < cols; jj++) {
            int s = src + jj * ldb;
            for (int p = 0, d = base + jj; p < k; p++, d += w) dst[d] = b[s + p];
        }
        for (; jj < w; jj++)
            for (int p = 0, d = base + jj; p < k; p++, d += w) dst[d] = 0f;
    }

    /**
     * Copies rows {@code [i0, m)} (fewer than ROWS) of a stored (m, k) A, k steps {@code [p0, p0 + kc)}, into ROWS
     * rows of kc floats from dst[0], the rows past m zero.
     */
    static void packRows(float[] a, int aOff, int lda, int m, int i0, int p0, int kc, float[] dst) {
        for (int r = 0, src = aOff + i0 * lda + p0; r < ROWS; r++, src += lda)
            if (i0 + r < m) System.arraycopy(a, src, dst, r * kc, kc);
            else java.util.Arrays.fill(dst, r * kc, r * kc + kc, 0f);
    }

    /** Packs rows {@code [i0, i0 + mc)}, k steps {@code [p0, p0 + kc)} of op(A) (m x k) into dst from offset 0. */
    static void packA(boolean transA, float[] a, int aOff, int lda, int m, int i0, int mc, int p0, int kc,
                      float[] dst) {
        if (transA) {
            packATransposed(a, aOff + p0 * lda + i0, lda, Math.min(mc, m - i0), kc, dst);
            return;
        }
        for (int r = 0, base = 0; r < mc; r += MR, base += MR * kc) {
            int rows = Math.min(MR, Math.min(mc - r, m - i0 - r));
            packAPanel(a, aOff + (i0 + r) * lda + p0, lda, kc, rows, dst, base);
        }
    }

    // A stored (m, k): row r of the panel is read along k and written every MR floats.
    private static void packAPanel(float[] a, int src, int lda, int kc, int rows, float[] dst, int base) {
        if (rows == MR && MR == 4) {
            int s0 = src, s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda;
            for (int p = 0, d = base; p < kc; p++, d += MR) {
                dst[d] = a[s0 + p];
                dst[d + 1] = a[s1 + p];
                dst[d + 2] = a[s2 + p];
                dst[d + 3] = a[s3 + p];
            }
            return;
        }
        if (rows == MR && MR == 8) {
            int s0 = src, s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda;
            int s4 = s3 + lda, s5 = s4 + lda, s6 = s5 + lda, s7 = s6 + lda;
            for (int p = 0, d = base; p < kc; p++, d += MR) {
                dst[d] = a[s0 + p];
                dst[d + 1] = a[s1 + p];
                dst[d + 2] = a[s2 + p];
                dst[d + 3] = a[s3 + p];
                dst[d + 4] = a[s4 + p];
                dst[d + 5] = a[s5 + p];
                dst[d + 6] = a[s6 + p];
                dst[d + 7] = a[s7 + p];
            }
            return;
        }
        for (int r = 0; r < MR; r++) {
            int s = src + r * lda;
            if (r < rows) for (int p = 0, d = base + r; p < kc; p++, d += MR) dst[d] = a[s + p];
            else for (int p = 0, d = base + r; p < kc; p++, d += MR) dst[d] = 0f;
        }
    }

    // A stored (k, m): each k step of a panel is MR contiguous floats of one stored row, so a panel is a column strip
    // of A. The strips are not read one after another: with a power-of-two lda (512 floats, say) the rows of one
    // strip fall into a few cache sets, which a walk down kc rows evicts before the next strips, sharing the same
    // lines, come back to them. Instead K_GROUP rows at a time are copied into every panel, their lines staying in L1.
    // On (512, 128, 2688) weight gradients this made the packing 35-40% faster (and going row by row inside a group,
    // each stored row read from start to end, made those products 10% slower again). Where a vector is two panels'
    // steps (L == 2 MR: AVX-512 and AVX2), one load of a stored row fills a step of two panels, with two masked
    // stores: the (128, 128, 2688) and (512, 128, 2688) weight gradients 4% faster than with the plain loop of MR
    // floats that copies the rest. No vector species of another width is used for it: the JDK's vector methods keep
    // one type profile for all callers, and a 128-bit copy seen there first could make C2 compile a micro-kernel with
    // its vectors boxed (a 15-20x slower product, seen in about half of GemmVsOpenBlas's runs, its weight-gradient
    // products at 2.5 GFLOP/s).
    private static void packATransposed(float[] a, int src, int lda, int rows, int kc, float[] dst) {
        int panels = (rows + MR - 1) / MR, pairs = L == 2 * MR ? rows / (2 * MR) : 0;
        for (int p0 = 0; p0 < kc; p0 += K_GROUP) {
            int p1 = Math.min(kc, p0 + K_GROUP);
            for (int r = 0; r < 2 * pairs; r += 2) {   // one vector of a stored row fills a step of two panels
                int s = src + p0 * lda + r * MR, d = r * MR * kc + p0 * MR, next = MR * kc - MR;
                for (int p = p0; p < p1; p++, s += lda, d += MR) {
                    FloatVector v = FloatVector.fromArray(S, a, s);
                    v.intoArray(dst, d, FIRST_PANEL);
                    v.intoArray(dst, d + next, SECOND_PANEL);   // lanes MR.. land at the next panel's step p
                }
            }
            for (int r = 2 * pairs; r < panels; r++) {
                int s = src + p0 * lda + r * MR, d = r * MR * kc + p0 * MR, have = Math.min(MR, rows - r * MR);
                if (have == MR) {
                    for (int p = p0; p < p1; p++, s += lda, d += MR)
                        for (int i = 0; i < MR; i++) dst[d + i] = a[s + i];
                } else {
                    for (int p = p0; p < p1; p++, s += lda, d += MR)
                        for (int i = 0; i < MR; i++) dst[d + i] = i < have ? a[s + i] : 0f;
                }
            }
        }
    }
}
