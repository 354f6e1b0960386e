// Shape, length and dtype validation shared by every backend, with messages that name the operation and parameter.
package curex.kernels;

import java.util.Arrays;

/**
 * Argument checks; each throws {@link ShapeException} with the operation's name, the parameter and the shapes
 * involved. Unless a method says otherwise, the spans it checks must be {@link DType#F32}.
 */
public final class Check {
    private Check() {
    }

    /** The span must be non-null and of the given dtype. */
    public static void dtype(String op, String name, Span s, DType want) {
        if (s == null) throw new ShapeException(op + ": " + name + " is null");
        if (s.dtype() != want)
            throw new ShapeException(op + ": " + name + " has dtype " + s.dtype() + ", expected " + want);
    }

    /** An F32 span of exactly {@code expected} elements. */
    public static void length(String op, String name, Span s, long expected) {
        if (s == null) throw new ShapeException(op + ": " + name + " is null, expected " + expected + " elements");
        dtype(op, name, s, DType.F32);
        if (s.length() != expected)
            throw new ShapeException(op + ": " + name + " has " + s.length() + " elements, expected " + expected);
    }

    /** Optional F32 span: null is fine, otherwise exactly {@code expected} elements. */
    public static void lengthOrNull(String op, String name, Span s, long expected) {
        if (s != null) length(op, name, s, expected);
    }

    /** An I32 span of exactly {@code expected} elements (class targets, token ids, argmax outputs). */
    public static void indices(String op, String name, Span s, long expected) {
        if (s == null) throw new ShapeException(op + ": " + name + " is null, expected " + expected + " elements");
        dtype(op, name, s, DType.I32);
        if (s.length() != expected)
            throw new ShapeException(op + ": " + name + " has " + s.length() + " elements, expected " + expected);
    }

    /** Two F32 spans of equal length. */
    public static void same(String op, String nameA, Span a, String nameB, Span b) {
        if (a == null || b == null) throw new ShapeException(op + ": " + (a == null ? nameA : nameB) + " is null");
        dtype(op, nameA, a, DType.F32);
        dtype(op, nameB, b, DType.F32);
        if (a.length() != b.length())
            throw new ShapeException(op + ": " + nameA + " has " + a.length() + " elements but " + nameB
                    + " has " + b.length());
    }

    /** Two spans that share no element (always true for spans of different buffers). */
    public static void disjoint(String op, String nameA, Span a, String nameB, Span b) {
        if (a == null || b == null || a.buffer() != b.buffer()) return;
        if (a.offset() < b.offset() + b.length() && b.offset() < a.offset() + a.length()
                && a.length() > 0 && b.length() > 0)
            throw new ShapeException(op + ": " + nameA + " and " + nameB + " overlap");
    }

    /** Dimensions must be non-negative. */
    public static void dims(String op, int... dims) {
        for (int d : dims)
            if (d < 0) throw new ShapeException(op + ": negative dimension in " + Arrays.toString(dims));
    }

    /** An F32 (rows, cols) matrix with leading dimension ld must fit in the span. */
    public static void matrix(String op, String name, Span s, int rows, int cols, int ld) {
        dtype(op, name, s, DType.F32);
        if (ld < Math.max(1, cols))
            throw new ShapeException(op + ": " + name + " (" + rows + "x" + cols + ") has leading dimension "
                    + ld + " < " + cols);
        long need = rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
        if (s.length() < need)
            throw new ShapeException(op + ": " + name + " (" + rows + "x" + cols + ", ld " + ld + ") needs "
                    + need + " elements, span has " + s.length());
    }

    /** Operands of a gemm with the given transposes fit their spans. */
    public static void gemm(String op, boolean transA, boolean transB, int m, int n, int k,
                            Span a, int lda, Span b, int ldb, Span c, int ldc) {
        dims(op, m, n, k);
        matrix(op, transA ? "A^T (k x m)" : "A (m x k)", a, transA ? k : m, transA ? m : k, lda);
        matrix(op, transB ? "B^T (n x k)" : "B (k x n)", b, transB ? n : k, transB ? k : n, ldb);
        matrix(op, "C (m x n)", c, m, n, ldc);
    }

    /** Batched gemm: the last matrix of each operand fits its span. */
    public static void gemmBatched(String op, boolean transA, boolean transB, int m, int n, int k,
                                   Span a, int lda, long strideA, Span b, int ldb, long strideB,
                                   Span c, int ldc, long strideC, int batch) {
        dims(op, m, n, k, batch);
        if (strideA < 0 || strideB < 0 || strideC < 0)
            throw new ShapeException(op + ": negative batch stride");
        if (batch == 0) return;
        gemm(op, transA, transB, m, n, k,
                tail(op, "A", a, strideA, batch), lda, tail(op, "B", b, strideB, batch), ldb,
                tail(op, "C", c, strideC, batch), ldc);
    }

    private static Span tail(String op, String name, Span s, long stride, int batch) {
        if (s == null) throw new ShapeException(op + ": " + name + " is null");
        long start = stride * (batch - 1);
        if (start > s.length())
            throw new ShapeException(op + ": " + name + " batch " + (batch - 1) + " starts at " + start
                    + ", span has " + s.length());
        return s.slice(start, s.length() - start);
    }

    /** An F32 (rows, cols) matrix stored densely in the span. */
    public static void rows(String op, String name, Span s, int rows, int cols) {
        dims(op, rows, cols);
        length(op, name + " (" + rows + "x" + cols + ")", s, (long) rows * cols);
    }

    /** An index value read from an I32 span, which must lie in [0, limit). */
    public static int index(String op, String name, int value, int limit) {
        if (value < 0 || value >= limit)
            throw new ShapeException(op + ": " + name + " " + value + " is not an index in [0, " + limit + ")");
        return value;
    }
}
