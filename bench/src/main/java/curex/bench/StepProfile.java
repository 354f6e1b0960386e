// Where a transformer training step's time goes: each backend kernel's share, timed call by call.
package curex.bench;

import java.util.Locale;

/**
 * {@code bench/run --main curex.bench.StepProfile SHAPE [THREADS] [STEPS] [WARMUP_SECONDS]} runs
 * {@link TransformerStep} (shapes: parity, pcfg-student, pcfg-teacher; 1 thread, 40 steps, 15 s by default) on a
 * {@link KernelTimes} wrapper: after the warm-up, it times STEPS steps and prints, per kernel and shape, milliseconds
 * and calls per step, largest first, then the kernels' sum against the whole step (the rest is the tape, the
 * optimizer's bookkeeping and batch sampling). Each call is timed on its own, so small kernels carry some of the
 * clock's cost.
 */
public final class StepProfile {
    private StepProfile() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 4) {
            System.err.println("usage: StepProfile SHAPE [THREADS] [STEPS] [WARMUP_SECONDS] (shapes: "
                    + TransformerStep.SHAPES + ")");
            System.exit(2);
        }
        KernelTimes times = new KernelTimes();
        int steps;
        double warmup;
        TransformerStep built;
        try {
            int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
            steps = args.length > 2 ? Integer.parseInt(args[2]) : 40;
            warmup = args.length > 3 ? Double.parseDouble(args[3]) : 15;
            if (threads < 1 || steps < 1 || !(warmup >= 0))
                throw new IllegalArgumentException("threads and steps must be >= 1, the warm-up >= 0 seconds");
            built = new TransformerStep(args[0], threads, times::wrap);
        } catch (IllegalArgumentException e) {   // an unknown shape or a count that is not a number
            System.err.println("StepProfile: " + e.getMessage());
            System.exit(2);
            return;
        }
        try (TransformerStep step = built) {
            long end = System.nanoTime() + (long) (warmup * 1e9);
            while (System.nanoTime() < end) step.run();
            times.recording = true;
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) step.run();
            double stepMillis = (System.nanoTime() - start) / 1e6 / steps;
            times.recording = false;
            System.out.println("# ms/step calls/step kernel");
            times.report(steps).forEach(System.out::println);
            System.out.printf(Locale.ROOT, "# kernels %.2f ms of a %.2f ms step (%s)%n", times.totalMillis(steps),
                    stepMillis, step.memory());
        }
    }
}
