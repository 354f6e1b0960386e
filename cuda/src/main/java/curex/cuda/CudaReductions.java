// Whole-span sums of the CUDA backend: two passes over a grid fixed by the length, so every run gives the same bits.
package curex.cuda;

import curex.kernels.Span;

/** sum, sum of squares and the mean squared difference, accumulated in double (kernels in reductions.cu). */
final class CudaReductions {
    /** At most this many partial sums (blocks in the first pass). */
    static final int MAX_PARTIALS = 1024;
    static final int SUM = 0, SQUARES = 1, SQUARED_DIFFERENCE = 2;

    private final DeviceContext ctx;
    private final KernelLauncher k;

    CudaReductions(DeviceContext ctx) {
        this.ctx = ctx;
        this.k = ctx.kernels;
    }

    /** Blocks of the first pass for n elements: a function of n only. */
    static int partials(long n) {
        return (int) Math.max(1, Math.min(MAX_PARTIALS, (n + KernelLauncher.BLOCK - 1) / KernelLauncher.BLOCK));
    }

    /** {@code out[0] = sum over i of term(x[i], y[i]) / divisor}, 0 when divisor is 0; y only for the difference. */
    void reduce(Span x, Span y, int mode, double divisor, Span out) {
        long n = x.length();
        int blocks = partials(n);
        long scratch = ctx.scratch(8L * blocks);
        k.launch("reduce_partials_f32", blocks, 1, KernelLauncher.BLOCK, ctx.ptr(x), ctx.ptrOrNull(y), n, mode, scratch);
        k.launch("reduce_finish_f32", 1, 1, KernelLauncher.BLOCK, scratch, blocks, divisor, ctx.ptr(out));
    }

    void sum(Span x, Span out) {
        reduce(x, null, SUM, 1, out);
    }

    void sumOfSquares(Span x, Span out) {
        reduce(x, null, SQUARES, 1, out);
    }

    void sumBackward(Span dOut, float beta, Span dX) {
        if (dX.length() > 0) k.elements("sum_backward_f32", dX.length(), ctx.ptr(dOut), beta, ctx.ptr(dX), dX.length());
    }
}
