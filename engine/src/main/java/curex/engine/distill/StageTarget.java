// A projection stage's target: z = (P hT - mean) / std of a teacher layer, statistics estimated once, folded into one map.
package curex.engine.distill;

import curex.engine.autograd.MatMul;
import curex.engine.autograd.Tape;
import curex.engine.tensor.Tensor;
import curex.engine.train.HeldOutAccuracy;
import curex.kernels.Backend;

/**
 * {@link #estimate} runs the teacher up to a layer on a fixed set of inputs and measures the per-coordinate mean and
 * standard deviation of {@code P hT} (the population variance; std floored at {@value #STD_FLOOR}), before training,
 * on the teacher's context, so its FLOPs count as teacher FLOPs. The target then maps each step's teacher activations
 * with one product and a bias: {@code z = hT W^T + b}, {@code W = diag(1/std) P} (dP, dT), {@code b = -mean / std}.
 */
public final class StageTarget implements AutoCloseable {
    public static final double STD_FLOOR = 1e-6;
    private final double[] mean;
    private final double[] std;
    private final Tensor weight;   // (dP, dT)
    private final Tensor bias;     // (dP)

    private StageTarget(Backend backend, Projection p, double[] mean, double[] std) {
        this.mean = mean;
        this.std = std;
        int rows = p.rows(), cols = p.cols();
        float[] w = new float[rows * cols], b = new float[rows];
        for (int r = 0; r < rows; r++) {
            double inv = 1 / std[r];
            for (int c = 0; c < cols; c++) w[r * cols + c] = (float) (p.at(r, c) * inv);
            b[r] = (float) (-mean[r] * inv);
        }
        this.weight = Tensor.fromHost(backend, w, rows, cols);
        this.bias = Tensor.fromHost(backend, b, rows);
    }

    /**
     * Samples per chunk: so that a chunk's activations (up to {@code layer}, and the projection) stay near 16M floats
     * when a sample is one row (an MLP's), and no more than {@link HeldOutAccuracy#chunkFor} allows the teacher when a
     * sample is a sequence of many rows (1,024 sequences of 400 tokens would take 46 GB in a d-128 transformer).
     */
    public static int chunkSamples(TeacherModel teacher, int layer, int dP) {
        long floats = dP;
        for (int l = 1; l <= layer; l++) floats += teacher.width(l);
        return (int) Math.max(1, Math.min(HeldOutAccuracy.chunkFor(teacher.config()), (1L << 24) / floats));
    }

    /**
     * Runs the teacher up to hidden layer {@code layer} on {@code inputs} (S, sample...) in chunks of {@code chunk}
     * samples (on a scratch arena, so the teacher's per-step arena stays small), projects with P, accumulates
     * per-coordinate moments in double precision, and folds P and the statistics into the target on the inputs'
     * backend. Close it when the stage ends.
     */
    public static StageTarget estimate(TeacherModel teacher, int layer, Projection p, Tensor inputs, int chunk) {
        return estimate(teacher, layer, p, inputs, null, chunk);
    }

    /**
     * {@link #estimate} over the rows {@code counted} marks (one flag per row of the teacher's hidden layer on all of
     * {@code inputs}, e.g. per token; null: every row): padding is left out of the statistics.
     */
    public static StageTarget estimate(TeacherModel teacher, int layer, Projection p, Tensor inputs, boolean[] counted,
                                       int chunk) {
        int dP = p.rows(), dT = p.cols();
        if (teacher.width(layer) != dT)
            throw new IllegalArgumentException("projection has " + dT + " columns but teacher layer " + layer
                    + " has width " + teacher.width(layer));
        int samples = inputs.dim(0);
        long rowsSeen = 0;
        Backend be = inputs.backend();
        double[] sum = new double[dP], sumSq = new double[dP];
        try (Tensor pt = Tensor.fromHost(be, p.toHost(), dP, dT)) {
            float[] host = new float[0];
            for (int from = 0; from < samples; from += chunk) {
                int to = Math.min(samples, from + chunk);
                int rows;
                try (Tape t = teacher.openScratch()) {
                    Tensor projected = MatMul.linear(t, teacher.hidden(t, inputs.slice0(from, to), layer), pt, null);
                    rows = projected.rows();
                    if (host.length < rows * dP) host = new float[rows * dP];
                    be.copyToHost(projected.span(), host, 0);
                }
                int first = from * (rows / (to - from));             // the chunk's first row among all of inputs'
                for (int r = 0; r < rows; r++) {
                    if (counted != null && !counted[first + r]) continue;
                    for (int c = 0; c < dP; c++) {
                        double v = host[r * dP + c];
                        sum[c] += v;
                        sumSq[c] += v * v;
                    }
                    rowsSeen++;
                }
            }
        }
        double[] mean = new double[dP], std = new double[dP];
        for (int c = 0; c < dP; c++) {
            mean[c] = sum[c] / rowsSeen;
            double var = Math.max(0, sumSq[c] / rowsSeen - mean[c] * mean[c]);
            std[c] = Math.max(STD_FLOOR, Math.sqrt(var));
        }
        return new StageTarget(be, p, mean, std);
    }

    /** z (rows, dP) from the teacher layer's activations hT (rows, dT), on the teacher's no-grad tape. */
    public Tensor apply(Tape teacherTape, Tensor hidden) {
        return MatMul.linear(teacherTape, hidden, weight, bias);
    }

    public double mean(int coordinate) {
        return mean[coordinate];
    }

    public double std(int coordinate) {
        return std[coordinate];
    }

    @Override
    public void close() {
        weight.close();
        bias.close();
    }
}
