// Row-major products on column-major cuBLAS: C = op(A) op(B) is computed as C^T = op(B)^T op(A)^T.
package curex.cuda;

/**
 * A row-major (r, c) matrix with leading dimension ld is, read column-major, its (c, r) transpose with the same
 * ld. So the row-major {@code C = op(A) op(B)} (m, n) is the column-major {@code C^T = op(B)^T op(A)^T} (n, m):
 * cuBLAS gets B as its first operand and A as its second, with the same transpose flags, and m and n swapped.
 * A pure function, tested without a GPU.
 */
final class GemmMapping {
    /** cublasOperation_t values. */
    static final int OP_N = 0, OP_T = 1;

    private GemmMapping() {
    }

    /**
     * cuBLAS's arguments: {@code opA}/{@code lda} describe its first operand (our B), {@code opB}/{@code ldb} its
     * second (our A); m, n, k and ldc as cuBLAS reads them. Leading dimensions are at least 1, as cuBLAS requires.
     */
    record ColumnMajor(int opA, int opB, int m, int n, int k, int lda, int ldb, int ldc) {
    }

    static ColumnMajor of(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc) {
        return new ColumnMajor(transB ? OP_T : OP_N, transA ? OP_T : OP_N, n, m, k,
                Math.max(1, ldb), Math.max(1, lda), Math.max(1, ldc));
    }
}
