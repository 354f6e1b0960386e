// How a tensor's last two dimensions map onto a gemm operand, and how its leading dimensions batch the products.
package curex.engine.autograd;

import curex.engine.tensor.Tensor;
import curex.kernels.Span;

import java.util.Arrays;

/**
 * A (rows, cols) matrix view, or a batch of them over any leading dimensions (batch x heads), as gemm sees it:
 * row-major storage with leading dimension {@code ld}, or, for a transposed view, storage (cols, rows) and
 * {@code trans = true}. {@code batchShape} and {@code batchStrides} are the leading dimensions and their strides.
 */
record MatrixOperand(Tensor tensor, int rows, int cols, boolean trans, int ld, int[] batchShape, long[] batchStrides) {

    static MatrixOperand of(String op, Tensor t) {
        if (t.rank() < 2)
            throw new IllegalArgumentException(op + ": expected a matrix or a batch of matrices, got shape "
                    + Arrays.toString(t.shape()));
        int rows = t.dim(-2), cols = t.dim(-1);
        int[] batchShape = Arrays.copyOf(t.shape(), t.rank() - 2);
        long[] batchStrides = Arrays.copyOf(t.strides(), t.rank() - 2);
        if (t.stride(-1) == 1 || cols == 1 && t.stride(-2) != 1)
            return new MatrixOperand(t, rows, cols, false, ldOf(t.stride(-2), cols), batchShape, batchStrides);
        if (t.stride(-2) == 1)
            return new MatrixOperand(t, rows, cols, true, ldOf(t.stride(-1), rows), batchShape, batchStrides);
        throw new IllegalArgumentException(op + ": strides " + Arrays.toString(t.strides()) + " of shape "
                + Arrays.toString(t.shape()) + " are neither row- nor column-major in the last two dimensions");
    }

    private static int ldOf(long stride, int minimum) {
        return Math.toIntExact(Math.max(stride, Math.max(1, minimum)));
    }

    /** Matrices in the batch. */
    int batch() {
        int n = 1;
        for (int d : batchShape) n *= d;
        return n;
    }

    /** Size of the last batch dimension (1 when unbatched): the matrices one batched gemm call covers. */
    int inner() {
        return batchShape.length == 0 ? 1 : batchShape[batchShape.length - 1];
    }

    /** Stride between the matrices of one batched gemm call. */
    long innerStride() {
        return batchShape.length == 0 ? 0 : batchStrides[batchShape.length - 1];
    }

    /** Whether the batch dimensions are one run of equally spaced matrices, so one batched call covers them all. */
    boolean flat() {
        for (int i = 0; i + 1 < batchShape.length; i++)
            if (batchShape[i] > 1 && batchStrides[i] != batchShape[i + 1] * batchStrides[i + 1]) return false;
        return true;
    }

    /** Element offset (from the view's start) of the first matrix of outer batch index {@code outer}. */
    long offsetOf(int outer) {
        long off = 0;
        for (int i = batchShape.length - 2; i >= 0; i--) {
            off += (long) (outer % batchShape[i]) * batchStrides[i];
            outer /= batchShape[i];
        }
        return off;
    }

    /** The storage from the view's first element on (for gemm with a leading dimension). */
    Span data() {
        return tensor.extent();
    }

    /** {@link #data()} from {@code offset} on. */
    static Span from(Span s, long offset) {
        return s.slice(offset, s.length() - offset);
    }
}
