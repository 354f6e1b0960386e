// Per-coordinate mean and standard deviation of a projected teacher layer, estimated once on a fixed sample set.
package curex.engine.distill;

import curex.engine.autograd.MatMul;
import curex.engine.autograd.Tape;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;

/**
 * Statistics of {@code P hT[l](x)} over a fixed set of inputs (the population variance; std floored at
 * {@value #STD_FLOOR}), computed once before training in chunks on the teacher's context, so its FLOPs count as
 * teacher FLOPs. {@link #fold} turns P and the statistics into the {@link StageTarget} used every step.
 */
public final class Standardizer {
    public static final double STD_FLOOR = 1e-6;
    private final double[] mean;
    private final double[] std;

    Standardizer(double[] mean, double[] std) {
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Rows per chunk so that a chunk's activations (up to {@code layer}, and the projection) stay near 16M floats. */
    public static int chunkRows(TeacherModel teacher, int layer, int dP) {
        long floats = dP;
        for (int l = 1; l <= layer; l++) floats += teacher.width(l);
        return (int) Math.max(1, Math.min(1024, (1L << 24) / floats));
    }

    /**
     * Runs the teacher up to hidden layer {@code layer} on {@code inputs} (S, n) in chunks of {@code chunk} rows (on
     * a scratch arena, so the teacher's per-step arena stays small), projects with P and accumulates per-coordinate
     * moments in double precision.
     */
    public static Standardizer estimate(TeacherModel teacher, int layer, Projection p, Tensor inputs, int chunk) {
        int dP = p.rows(), dT = p.cols();
        if (teacher.width(layer) != dT)
            throw new IllegalArgumentException("projection has " + dT + " columns but teacher layer " + layer
                    + " has width " + teacher.width(layer));
        int samples = inputs.dim(0);
        Backend be = inputs.backend();
        double[] sum = new double[dP], sumSq = new double[dP];
        try (Tensor pt = Tensor.fromHost(be, p.toHost(), dP, dT)) {
            float[] host = new float[Math.min(chunk, samples) * dP];
            for (int from = 0; from < samples; from += chunk) {
                int to = Math.min(samples, from + chunk), rows = to - from;
                try (Tape t = teacher.openScratch()) {
                    Tensor projected = MatMul.linear(t, teacher.hidden(t, inputs.slice0(from, to), layer), pt, null);
                    be.copyToHost(projected.span(), host, 0);
                }
                for (int r = 0; r < rows; r++)
                    for (int c = 0; c < dP; c++) {
                        double v = host[r * dP + c];
                        sum[c] += v;
                        sumSq[c] += v * v;
                    }
            }
        }
        double[] mean = new double[dP], std = new double[dP];
        for (int c = 0; c < dP; c++) {
            mean[c] = sum[c] / samples;
            double var = Math.max(0, sumSq[c] / samples - mean[c] * mean[c]);
            std[c] = Math.max(STD_FLOOR, Math.sqrt(var));
        }
        return new Standardizer(mean, std);
    }

    /** The per-step target map for {@code p} on {@code backend}; close it when the stage ends. */
    public StageTarget fold(Projection p, Backend backend) {
        return new StageTarget(backend, p, this);
    }

    public int dimension() {
        return mean.length;
    }

    public double mean(int coordinate) {
        return mean[coordinate];
    }

    public double std(int coordinate) {
        return std[coordinate];
    }
}
