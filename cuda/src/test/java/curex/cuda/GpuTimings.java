// Times curex on the GPU for the device check: gemm TFLOP/s at set shapes and training steps per second.
package curex.cuda;

import curex.kernels.Span;

/**
 * {@code java ... curex.cuda.GpuTimings} prints one line per measurement: {@code gemm M N K TFLOPS} (FP32,
 * C = A B, best of 5 timed windows) and {@code step NAME STEPS_PER_SECOND}. Compared with
 * {@code cuda/scripts/torch_gpu_timings.py}, which prints the same lines for PyTorch.
 */
public final class GpuTimings {
    private GpuTimings() {
    }

    /** (M, N, K): the square sizes, then the MLP's training products at batch 256 (forward, dX, dW). */
    static final int[][] GEMMS = {{1024, 1024, 1024}, {4096, 4096, 4096}, {256, 1000, 100}, {256, 100, 1000},
            {100, 1000, 256}, {256, 10000, 100}, {256, 100, 10000}, {100, 10000, 256}};

    public static void main(String[] args) {
        try (CudaBackend be = new CudaBackend(CudaOptions.fromSystemProperties())) {
            be.describe().forEach((k, v) -> System.out.println("# " + k + ": " + v));
            for (int[] s : GEMMS) System.out.printf("gemm %d %d %d %.2f%n", s[0], s[1], s[2], gemmTflops(be, s[0], s[1], s[2]));
            System.out.printf("step mlp-100-1000-2 %.1f%n",
                    stepsPerSecond(TrainingSetup.mlp(be, 100, 6, 1000, 256, 1e-3f, 0)));
            System.out.printf("step mlp-100-10000-2 %.1f%n",
                    stepsPerSecond(TrainingSetup.mlp(be, 100, 6, 10000, 256, 1e-3f, 0)));
            System.out.printf("step parity-teacher-B128-T21-d128-h4-l2 %.1f%n",
                    stepsPerSecond(TrainingSetup.transformer(be, 20, 3, 2, 128, 4, 128, 3e-3f, 0)));
            System.out.println("# device allocations: " + be.deviceAllocations() + ", reserved "
                    + be.reservedBytes() / (1 << 20) + " MiB");
        }
    }

    static double gemmTflops(CudaBackend be, int m, int n, int k) {
        Span a = be.allocate((long) m * k).all(), b = be.allocate((long) k * n).all(), c = be.allocate((long) m * n).all();
        be.fillUniform(a, -1, 1, 1);
        be.fillUniform(b, -1, 1, 2);
        double flops = 2.0 * m * n * k;
        int reps = (int) Math.max(3, Math.min(2000, 2e11 / flops));
        double best = 0;
        for (int w = 0; w < 6; w++) {
            be.synchronize();
            long t0 = System.nanoTime();
            for (int r = 0; r < reps; r++) be.gemm(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
            be.synchronize();
            double s = (System.nanoTime() - t0) * 1e-9;
            if (w > 0) best = Math.max(best, flops * reps / s / 1e12);
        }
        a.buffer().close();
        b.buffer().close();
        c.buffer().close();
        return best;
    }

    static double stepsPerSecond(TrainingSetup t) {
        try (t) {
            for (int s = 0; s < 20; s++) t.step(s);
            double best = 0;
            long step = 20;
            for (int w = 0; w < 5; w++) {
                long t0 = System.nanoTime();
                int n = 0;
                while (System.nanoTime() - t0 < 1_000_000_000L) {
                    t.step(step++);
                    n++;
                }
                best = Math.max(best, n / ((System.nanoTime() - t0) * 1e-9));
            }
            return best;
        }
    }
}
