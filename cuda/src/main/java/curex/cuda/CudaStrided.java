// The strided copy of the CUDA backend: any rank 1..6 permutation or broadcast, one thread per element (strided.cu).
package curex.cuda;

import curex.kernels.Span;

/** Pads shape and strides at the front to rank 6 (extent 1, stride 0) and launches one kernel. */
final class CudaStrided {
    static final int MAX_RANK = 6;

    private final DeviceContext ctx;

    CudaStrided(DeviceContext ctx) {
        this.ctx = ctx;
    }

    void copy(int[] shape, Span src, long[] srcStrides, Span dst, long[] dstStrides, float beta) {
        Object[] args = new Object[4 + 3 * MAX_RANK];
        long total = 1;
        for (int n : shape) total *= n;
        if (total == 0) return;
        args[0] = ctx.ptr(src);
        args[1] = ctx.ptr(dst);
        args[2] = beta;
        args[3] = total;
        int pad = MAX_RANK - shape.length;
        for (int d = 0; d < MAX_RANK; d++) {
            boolean used = d >= pad;
            args[4 + d] = used ? (long) shape[d - pad] : 1L;
            args[4 + MAX_RANK + d] = used ? srcStrides[d - pad] : 0L;
            args[4 + 2 * MAX_RANK + d] = used ? dstStrides[d - pad] : 0L;
        }
        ctx.kernels.elements("strided_copy_f32", total, args);
    }
}
