// The standardized projection z = (P hT - mean) / std of a teacher layer, folded into one linear map on the backend.
package curex.engine.distill;

import curex.engine.autograd.MatMul;
import curex.engine.autograd.Tape;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;

/**
 * {@code z = hT W^T + b} with {@code W = diag(1/std) P} (dP, dT) and {@code b = -mean / std} (dP): the projection
 * and the standardization in one product (2 B dP dT FLOPs, charged to the tape's context: the teacher's) plus a
 * bias add.
 */
public final class StageTarget implements AutoCloseable {
    private final Tensor weight;   // (dP, dT)
    private final Tensor bias;     // (dP)

    StageTarget(Backend backend, Projection p, Standardizer s) {
        int rows = p.rows(), cols = p.cols();
        if (s.dimension() != rows)
            throw new IllegalArgumentException("standardizer of " + s.dimension() + " coordinates for a projection to "
                    + rows);
        float[] w = new float[rows * cols], b = new float[rows];
        for (int r = 0; r < rows; r++) {
            double inv = 1 / s.std(r);
            for (int c = 0; c < cols; c++) w[r * cols + c] = (float) (p.at(r, c) * inv);
            b[r] = (float) (-s.mean(r) * inv);
        }
        this.weight = Tensor.fromHost(backend, w, rows, cols);
        this.bias = Tensor.fromHost(backend, b, rows);
    }

    /** z (B, dP) from the teacher layer's activations hT (B, dT), on the teacher's no-grad tape. */
    public Tensor apply(Tape teacherTape, Tensor hidden) {
        return MatMul.linear(teacherTape, hidden, weight, bias);
    }

    /** dP. */
    public int dimension() {
        return weight.dim(0);
    }

    @Override
    public void close() {
        weight.close();
        bias.close();
    }
}
