// Reusable packing buffers of the GEMM, handed out per call or per task so steady-state calls allocate nothing.
package curex.kernels;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One set of buffers: a packed A block, a packed B, a transposed C, a C tile for edge and scaled updates, a padded
 * bias, and column sums.
 */
final class GemmScratch {
    float[] a = new float[0];
    float[] b = new float[0];
    float[] c = new float[0];
    final float[] tile = new float[GemmMicroKernel.MAX_ROWS * GemmMicroKernel.NR];
    /** A last, narrower B panel's columns of a bias, zero-padded to NR. */
    final float[] bias = new float[GemmMicroKernel.NR];

    /** A column-sum's float partials and double totals ({@link GemmRowSums}). */
    float[] sumPartials = new float[0];
    double[] sumTotals = new double[0];

    /** {@link GemmRowSums} of a stored (k, m) A over this scratch's sum buffers, grown to at least m. */
    GemmRowSums rowSums(float[] a, int aOff, int m, int k) {
        if (sumPartials.length < m) {
            sumPartials = new float[m];
            sumTotals = new double[m];
        }
        return new GemmRowSums(a, aOff, m, k, sumPartials, sumTotals);
    }

    /** The A buffer, grown to at least {@code length} floats. */
    float[] a(int length) {
        if (a.length < length) a = new float[length];
        return a;
    }

    /** A buffer for a product's transposed C, grown to at least {@code length} floats. */
    float[] c(int length) {
        if (c.length < length) c = new float[length];
        return c;
    }

    /** The B buffer, grown to at least {@code length} floats. */
    float[] b(long length) {
        if (length > Integer.MAX_VALUE - 8) throw new ShapeException("gemm: packed operand of " + length + " floats");
        if (b.length < length) b = new float[(int) length];
        return b;
    }

    /** A fixed number of parked scratch sets; taking one when none is parked makes a new one. */
    static final class Pool {
        private final AtomicReferenceArray<GemmScratch> slots;

        Pool(int size) {
            slots = new AtomicReferenceArray<>(size);
        }

        GemmScratch take() {
            for (int i = 0; i < slots.length(); i++) {
                GemmScratch s = slots.getAndSet(i, null);
                if (s != null) return s;
            }
            return new GemmScratch();
        }

        /** Parks s for reuse (dropped when every slot is full). */
        void give(GemmScratch s) {
            for (int i = 0; i < slots.length(); i++)
                if (slots.get(i) == null && slots.compareAndSet(i, null, s)) return;
        }
    }
}
