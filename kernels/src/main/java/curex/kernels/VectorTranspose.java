// Transposes a small strided block of floats through 8 x 8 tiles in vector registers: attention's key and value heads.
package curex.kernels;

import static curex.kernels.VectorMath.F;
import static curex.kernels.VectorMath.W;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * {@code t[p * ldt + j] = a[a0 + j * lda + p]} for a (rows, cols) block of a, through tiles of 8 rows and one vector
 * of columns. A tile is loaded as eight vectors (rows of a), transposed in registers by three rounds of two-vector
 * shuffles within each group of 8 lanes (each round swaps the off-diagonal halves of ever smaller sub-blocks), and
 * stored as eight rows of t per group: with 16-float vectors a tile is two 8 x 8 tiles side by side, whose halves go
 * to t by masked stores. The last rows of a block (rows not a multiple of 8) are first copied into a zeroed scratch
 * of eight rows, so that they also go through tiles (writing zeros into t's columns [rows, rows rounded up to 8));
 * block columns past the last whole vector are copied one float at a time, as is everything where the preferred
 * vectors hold neither 8 nor 16 floats. (Heads of 8 floats in 16-float vectors were tried as half tiles whose loads
 * also read the next head: the transposes alone 2x faster, attention's forward at the PCFG teacher's shape no faster;
 * its time there moved by 5% either way with where the scratch arrays happened to lie in the heap.) t's columns past
 * rows are therefore zero or as they were: a caller that wants zeros there zeroes t first. A pure copy: the same bits
 * either way. Only the preferred species (a second one spoils the JDK vector methods' type profiles; see
 * OneFloatSpeciesTest).
 *
 * <p>On the parity teacher's keys (21 x 32 heads of a (B, T, 128) tensor), 3.4x faster than the scalar copy.
 */
final class VectorTranspose {
    /** Whether tiles go through vectors: the preferred vectors hold 8 or 16 floats. */
    static final boolean TILES = W == 8 || W == 16;
    // round r: row i and row i + 2^r become the low (L) and high (H) halves' interleaving, in each group of 8 lanes
    private static final VectorShuffle<Float> L2 = swap(4, false), H2 = swap(4, true), L1 = swap(2, false),
            H1 = swap(2, true), L0 = swap(1, false), H0 = swap(1, true);
    /** The lanes of a tile's left and right 8 x 8 halves (16-float vectors). */
    private static final VectorMask<Float> LEFT = F.indexInRange(0, 8), RIGHT = LEFT.not();

    private VectorTranspose() {
    }

    /**
     * Lane l of the result, from x = row i and y = row i + s, k = l mod 8: where k / s is even, x[l] (low) or x[l + s]
     * (high); where odd, y[l - s] (low) or y[l] (high). Negative indexes select from y. Null without tiles.
     */
    private static VectorShuffle<Float> swap(int s, boolean high) {
        if (!TILES) return null;   // no tiles, and no groups of 8 lanes to shuffle within
        int[] index = new int[W];
        for (int l = 0; l < W; l++) {
            boolean first = l % 8 / s % 2 == 0;
            index[l] = first ? (high ? l + s : l) : (high ? l : l - s) - W;
        }
        return VectorShuffle.fromArray(F, index, 0);
    }

    /**
     * Transposes the (rows, cols) block at a0 (rows lda apart) into t (rows ldt apart); where the tiles run, ldt must
     * be at least rows rounded up to 8.
     */
    static void block(float[] a, int a0, int lda, int rows, int cols, float[] t, int ldt) {
        block(a, a0, lda, rows, cols, t, 0, ldt);
    }

    /** {@link #block} into t from {@code t0}: {@code t[t0 + p * ldt + j] = a[a0 + j * lda + p]}. */
    static void block(float[] a, int a0, int lda, int rows, int cols, float[] t, int t0, int ldt) {
        assert !TILES || ldt >= (rows + 7 & ~7) : "rows of t hold " + ldt + " floats, fewer than " + rows
                + " rounded up to 8";
        if (!TILES || cols < W) {
            scalar(a, a0, lda, 0, rows, 0, cols, t, t0, ldt);
            return;
        }
        int fullRows = rows & ~7, fullCols = cols / W * W;
        for (int j = 0; j < fullRows; j += 8)
            for (int p = 0; p < fullCols; p += W) tile(a, a0 + j * lda + p, lda, t, t0 + p * ldt + j, ldt);
        scalar(a, a0, lda, 0, fullRows, fullCols, cols, t, t0, ldt);
        if (fullRows < rows) {   // the last rows, zero-padded to eight
            float[] pad = Scratch.zeroFloats(Scratch.TILE, 8 * cols);
            for (int r = 0; r < rows - fullRows; r++) System.arraycopy(a, a0 + (fullRows + r) * lda, pad, r * cols, cols);
            for (int p = 0; p < fullCols; p += W) tile(pad, p, cols, t, t0 + p * ldt + fullRows, ldt);
            scalar(a, a0, lda, fullRows, rows, fullCols, cols, t, t0, ldt);
        }
    }

    /** Rows [j0, j1) and columns [p0, p1) of the block, one float at a time (contiguous stores). */
    private static void scalar(float[] a, int a0, int lda, int j0, int j1, int p0, int p1, float[] t, int t0,
                               int ldt) {
        for (int p = p0; p < p1; p++) {
            int dst = t0 + p * ldt, src = a0 + p;
            for (int j = j0; j < j1; j++) t[dst + j] = a[src + j * lda];
        }
    }

    /** One tile: 8 rows of W floats of a at a0 (lda apart) become W rows of 8 floats of t at t0 (ldt apart). */
    private static void tile(float[] a, int a0, int lda, float[] t, int t0, int ldt) {
        FloatVector r0 = FloatVector.fromArray(F, a, a0), r1 = FloatVector.fromArray(F, a, a0 + lda),
                r2 = FloatVector.fromArray(F, a, a0 + 2 * lda), r3 = FloatVector.fromArray(F, a, a0 + 3 * lda),
                r4 = FloatVector.fromArray(F, a, a0 + 4 * lda), r5 = FloatVector.fromArray(F, a, a0 + 5 * lda),
                r6 = FloatVector.fromArray(F, a, a0 + 6 * lda), r7 = FloatVector.fromArray(F, a, a0 + 7 * lda);
        FloatVector x, y;
        // 4 x 4 blocks: rows i and i + 4
        x = r0; y = r4; r0 = x.rearrange(L2, y); r4 = x.rearrange(H2, y);
        x = r1; y = r5; r1 = x.rearrange(L2, y); r5 = x.rearrange(H2, y);
        x = r2; y = r6; r2 = x.rearrange(L2, y); r6 = x.rearrange(H2, y);
        x = r3; y = r7; r3 = x.rearrange(L2, y); r7 = x.rearrange(H2, y);
        // 2 x 2 blocks: rows i and i + 2
        x = r0; y = r2; r0 = x.rearrange(L1, y); r2 = x.rearrange(H1, y);
        x = r1; y = r3; r1 = x.rearrange(L1, y); r3 = x.rearrange(H1, y);
        x = r4; y = r6; r4 = x.rearrange(L1, y); r6 = x.rearrange(H1, y);
        x = r5; y = r7; r5 = x.rearrange(L1, y); r7 = x.rearrange(H1, y);
        // single floats: rows i and i + 1
        x = r0; y = r1; r0 = x.rearrange(L0, y); r1 = x.rearrange(H0, y);
        x = r2; y = r3; r2 = x.rearrange(L0, y); r3 = x.rearrange(H0, y);
        x = r4; y = r5; r4 = x.rearrange(L0, y); r5 = x.rearrange(H0, y);
        x = r6; y = r7; r6 = x.rearrange(L0, y); r7 = x.rearrange(H0, y);
        if (W == 8) {
            r0.intoArray(t, t0);
            r1.intoArray(t, t0 + ldt);
            r2.intoArray(t, t0 + 2 * ldt);
            r3.intoArray(t, t0 + 3 * ldt);
            r4.intoArray(t, t0 + 4 * ldt);
            r5.intoArray(t, t0 + 5 * ldt);
            r6.intoArray(t, t0 + 6 * ldt);
            r7.intoArray(t, t0 + 7 * ldt);
            return;
        }
        // 16 lanes: the left tile's row i is t's row i, the right tile's row i is t's row 8 + i (shifted 8 lanes)
        int t8 = t0 + 8 * ldt - 8;
        r0.intoArray(t, t0, LEFT);
        r0.intoArray(t, t8, RIGHT);
        r1.intoArray(t, t0 + ldt, LEFT);
        r1.intoArray(t, t8 + ldt, RIGHT);
        r2.intoArray(t, t0 + 2 * ldt, LEFT);
        r2.intoArray(t, t8 + 2 * ldt, RIGHT);
        r3.intoArray(t, t0 + 3 * ldt, LEFT);
        r3.intoArray(t, t8 + 3 * ldt, RIGHT);
        r4.intoArray(t, t0 + 4 * ldt, LEFT);
        r4.intoArray(t, t8 + 4 * ldt, RIGHT);
        r5.intoArray(t, t0 + 5 * ldt, LEFT);
        r5.intoArray(t, t8 + 5 * ldt, RIGHT);
        r6.intoArray(t, t0 + 6 * ldt, LEFT);
        r6.intoArray(t, t8 + 6 * ldt, RIGHT);
        r7.intoArray(t, t0 + 7 * ldt, LEFT);
        r7.intoArray(t, t8 + 7 * ldt, RIGHT);
    }
}
