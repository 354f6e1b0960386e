// Vectorised strided copy (permute, make contiguous, broadcast): rows of the innermost dimension, outer rows in parallel.
package curex.kernels;

import static curex.kernels.VectorMath.F;
import static curex.kernels.VectorMath.W;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * {@code dst[i . dstStrides] = beta * dst[...] + src[i . srcStrides]} over every index tuple i of a shape (see
 * {@link Backend#stridedCopy}). The shape is first simplified: dimensions of size 1 are dropped, a dimension
 * contiguous on both sides is moved innermost, and neighbours that are contiguous on both sides are merged, so
 * that a plain copy becomes one long row and a (B, T, H, d) permutation becomes rows of d floats. A row whose
 * innermost stride is 1 on both sides goes through vectors (or {@code System.arraycopy}); others are scalar
 * loops. Outer rows (or the pieces of a single row) are split in pieces that depend on the sizes only, and no
 * element depends on another, so the result is the same bits for any thread count. Arithmetic: {@code beta * dst} rounded, then the float add.
 */
final class VectorStrided {
    private VectorStrided() {
    }

    /** A simplified iteration space: sizes (all >= 2 except a lone dimension) and both strides per dimension. */
    private record Layout(int[] n, long[] src, long[] dst) {
        int rank() {
            return n.length;
        }

        /** Drops size-1 dimensions, moves a dimension with both strides 1 innermost, merges contiguous pairs. */
        static Layout of(int[] shape, long[] srcStrides, long[] dstStrides) {
            int rank = 0;
            int[] n = new int[shape.length];
            long[] s = new long[shape.length], d = new long[shape.length];
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] == 1) continue;
                n[rank] = shape[i];
                s[rank] = srcStrides[i];
                d[rank++] = dstStrides[i];
            }
            if (rank == 0) return new Layout(new int[] {1}, new long[] {1}, new long[] {1});
            for (int i = 0; i < rank - 1; i++)
                if (s[i] == 1 && d[i] == 1 && !(s[rank - 1] == 1 && d[rank - 1] == 1)) {
                    moveLast(n, i, rank);
                    moveLast(s, i, rank);
                    moveLast(d, i, rank);
                    break;
                }
            int out = 0;
            for (int i = 1; i < rank; i++) {
                if (s[out] == n[i] * s[i] && d[out] == n[i] * d[i]) {   // out is i's contiguous parent: merge
                    n[out] *= n[i];
                    s[out] = s[i];
                    d[out] = d[i];
                } else {
                    out++;
                    n[out] = n[i];
                    s[out] = s[i];
                    d[out] = d[i];
                }
            }
            return new Layout(Arrays.copyOf(n, out + 1), Arrays.copyOf(s, out + 1), Arrays.copyOf(d, out + 1));
        }

        private static void moveLast(int[] a, int i, int rank) {
            int v = a[i];
            System.arraycopy(a, i + 1, a, i, rank - 1 - i);
            a[rank - 1] = v;
        }

        private static void moveLast(long[] a, int i, int rank) {
            long v = a[i];
            System.arraycopy(a, i + 1, a, i, rank - 1 - i);
            a[rank - 1] = v;
        }
    }

    /** The copy over arrays; {@code so} and {@code dof} are the spans' offsets. The shape has no zero. */
    static void copy(WorkerPool pool, int[] shape, float[] s, int so, long[] srcStrides,
                     float[] d, int dof, long[] dstStrides, float beta) {
        Layout l = Layout.of(shape, srcStrides, dstStrides);
        int inner = l.rank() - 1, n = l.n()[inner];
        long sInner = l.src()[inner], dInner = l.dst()[inner];
        int outer = 1;
        for (int i = 0; i < inner; i++) outer *= l.n()[i];
        if (outer == 1) {   // one long row: split it instead
            Chunks.elements(pool, n, false, (p, from, to) ->
                    row(s, (int) (so + from * sInner), sInner, d, (int) (dof + from * dInner), dInner, to - from, beta));
            return;
        }
        int perPiece = Math.max(1, Chunks.ELEMENTS / n);
        Chunks.run(pool, outer, perPiece, (long) outer * n >= Chunks.PARALLEL_CHEAP, (p, r0, r1) -> {
            int[] index = new int[inner];
            long sOff = so, dOff = dof;
            for (int i = inner - 1, rest = r0; i >= 0; i--) {   // the tuple of outer row r0
                index[i] = rest % l.n()[i];
                rest /= l.n()[i];
                sOff += index[i] * l.src()[i];
                dOff += index[i] * l.dst()[i];
            }
            for (int r = r0; r < r1; r++) {
                row(s, (int) sOff, sInner, d, (int) dOff, dInner, n, beta);
                for (int i = inner - 1; i >= 0; i--) {          // next tuple, odometer style
                    sOff += l.src()[i];
                    dOff += l.dst()[i];
                    if (++index[i] < l.n()[i]) break;
                    sOff -= l.n()[i] * l.src()[i];
                    dOff -= l.n()[i] * l.dst()[i];
                    index[i] = 0;
                }
            }
        });
    }

    /** One row of n elements with strides ss (source) and ds (destination). */
    private static void row(float[] s, int so, long ss, float[] d, int dof, long ds, int n, float beta) {
        if (ss == 1 && ds == 1) {
            if (beta == 0) System.arraycopy(s, so, d, dof, n);
            else if (beta == 1) VectorElementwise.add(null, d, dof, s, so, d, dof, n);
            else scaleAdd(s, so, beta, d, dof, n);
        } else if (ss == 0 && ds == 1 && beta == 0) {
            Arrays.fill(d, dof, dof + n, s[so]);
        } else {
            long si = so, di = dof;
            if (beta == 0) for (int c = 0; c < n; c++, si += ss, di += ds) d[(int) di] = s[(int) si];
            else if (beta == 1) for (int c = 0; c < n; c++, si += ss, di += ds) d[(int) di] += s[(int) si];
            else for (int c = 0; c < n; c++, si += ss, di += ds) d[(int) di] = beta * d[(int) di] + s[(int) si];
        }
    }

    /** {@code d = beta * d + s} over contiguous elements, the product rounded before the add. */
    private static void scaleAdd(float[] s, int so, float beta, float[] d, int dof, int n) {
        int c = 0;
        for (; c <= n - W; c += W)
            FloatVector.fromArray(F, d, dof + c).mul(beta).add(FloatVector.fromArray(F, s, so + c)).intoArray(d, dof + c);
        for (; c < n; c++) d[dof + c] = beta * d[dof + c] + s[so + c];
    }
}
