// Shape and length validation shared by every backend, with messages that name the operation and shapes.
package curex.kernels;

/** Argument checks; each throws {@link ShapeException} with the operation's name and the shapes involved. */
public final class Check {
    private Check() {
    }

    /** The span must hold exactly {@code expected} elements. */
    public static void length(String op, String name, Span s, long expected) {
        if (s == null) throw new ShapeException(op + ": " + name + " is null, expected " + expected + " elements");
        if (s.length() != expected)
            throw new ShapeException(op + ": " + name + " has " + s.length() + " elements, expected " + expected);
    }

    /** Optional span: null is fine, otherwise exactly {@code expected} elements. */
    public static void lengthOrNull(String op, String name, Span s, long expected) {
        if (s != null) length(op, name, s, expected);
    }

    /** Two spans of equal length. */
    public static void same(String op, String nameA, Span a, String nameB, Span b) {
        if (a == null || b == null) throw new ShapeException(op + ": " + (a == null ? nameA : nameB) + " is null");
        if (a.length() != b.length())
            throw new ShapeException(op + ": " + nameA + " has " + a.length() + " elements but " + nameB
                    + " has " + b.length());
    }

    /** Dimensions must be non-negative. */
    public static void dims(String op, int... dims) {
        for (int d : dims)
            if (d < 0) throw new ShapeException(op + ": negative dimension in " + java.util.Arrays.toString(dims));
    }

    /** A (rows, cols) matrix with leading dimension ld must fit in the span. */
    public static void matrix(String op, String name, Span s, int rows, int cols, int ld) {
        if (s == null) throw new ShapeException(op + ": " + name + " is null");
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
        long start = stride * (batch - 1);
        if (start > s.length())
            throw new ShapeException(op + ": " + name + " batch " + (batch - 1) + " starts at " + start
                    + ", span has " + s.length());
        return s.slice(start, s.length() - start);
    }

    /** A (rows, cols) matrix stored densely in the span. */
    public static void rows(String op, String name, Span s, int rows, int cols) {
        dims(op, rows, cols);
        length(op, name + " (" + rows + "x" + cols + ")", s, (long) rows * cols);
    }

    /** An integer-valued index in [0, limit). */
    public static int index(String op, String name, float value, int limit) {
        int i = (int) value;
        if (i != value || i < 0 || i >= limit)
            throw new ShapeException(op + ": " + name + " " + value + " is not an index in [0, " + limit + ")");
        return i;
    }
}
