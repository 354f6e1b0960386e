// How a tensor's last two dimensions map onto a gemm operand: storage span, transpose flag, leading dimension.
package curex.engine.autograd;

import curex.engine.tensor.Tensor;
import curex.kernels.Span;

import java.util.Arrays;

/**
 * A (rows, cols) matrix view (or a batch of them along dim 0) as gemm sees it: row-major storage with leading
 * dimension {@code ld}, or, for a transposed view, storage (cols, rows) and {@code trans = true}.
 */
record MatrixOperand(Tensor tensor, int rows, int cols, boolean trans, int ld, int batch, long batchStride) {

    static MatrixOperand of(String op, Tensor t) {
        if (t.rank() < 2 || t.rank() > 3)
            throw new IllegalArgumentException(op + ": expected a matrix or a batch of matrices, got shape "
                    + Arrays.toString(t.shape()));
        int rows = t.dim(-2), cols = t.dim(-1);
        int batch = t.rank() == 3 ? t.dim(0) : 1;
        long batchStride = t.rank() == 3 ? t.stride(0) : 0;
        if (t.stride(-1) == 1 || cols == 1 && t.stride(-2) != 1)
            return new MatrixOperand(t, rows, cols, false, ldOf(t.stride(-2), cols), batch, batchStride);
        if (t.stride(-2) == 1)
            return new MatrixOperand(t, rows, cols, true, ldOf(t.stride(-1), rows), batch, batchStride);
        throw new IllegalArgumentException(op + ": strides " + Arrays.toString(t.strides()) + " of shape "
                + Arrays.toString(t.shape()) + " are neither row- nor column-major in the last two dimensions");
    }

    private static int ldOf(long stride, int minimum) {
        return Math.toIntExact(Math.max(stride, Math.max(1, minimum)));
    }

    Span data() {
        return tensor.extent();
    }
}
