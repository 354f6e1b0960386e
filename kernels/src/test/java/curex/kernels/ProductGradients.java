// Gradients of C = op(A) op(B) as gemm calls, the way the engine computes them (so that they are FLOP-counted).
package curex.kernels;

/**
 * For {@code C = op(A) op(B)} with op(A) (m, k), op(B) (k, n): {@code dA = beta dA + dC op(B)^T} in A's storage
 * layout (leading dimension lda) and {@code dB = beta dB + op(A)^T dC} in B's (ldb); dC has leading dimension ldc.
 */
public final class ProductGradients {
    private ProductGradients() {
    }

    public static void dA(Backend be, boolean transA, boolean transB, int m, int n, int k, Span b, int ldb,
                          Span dC, int ldc, float beta, Span dA, int lda) {
        if (!transA) be.gemm(false, !transB, m, k, n, 1f, dC, ldc, b, ldb, beta, dA, lda);   // (m,n)(n,k)
        else be.gemm(transB, true, k, m, n, 1f, b, ldb, dC, ldc, beta, dA, lda);            // (k,n)(n,m)
    }

    public static void dB(Backend be, boolean transA, boolean transB, int m, int n, int k, Span a, int lda,
                          Span dC, int ldc, float beta, Span dB, int ldb) {
        if (!transB) be.gemm(!transA, false, k, n, m, 1f, a, lda, dC, ldc, beta, dB, ldb);   // (k,m)(m,n)
        else be.gemm(true, transA, n, k, m, 1f, dC, ldc, a, lda, beta, dB, ldb);            // (n,m)(m,k)
    }
}
