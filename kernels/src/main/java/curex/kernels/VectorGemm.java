// Single-precision matrix multiply on the Vector API, register- and cache-blocked, multi-threaded.
package curex.kernels;

/**
 * {@code C = alpha op(A) op(B) + beta C} over host arrays, row-major. Arguments are already validated by the
 * caller. The result does not depend on the pool's thread count.
 */
public final class VectorGemm {
    private final WorkerPool pool;

    public VectorGemm(WorkerPool pool) {
        this.pool = pool;
    }

    // Placeholder: naive loops until the blocked kernel lands.
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        pool.parallelFor(m, i -> {
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = alpha * s + (beta == 0 ? 0 : beta * c[ci]);
            }
        });
    }

    public void gemmBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, int strideA, float[] b, int bOff, int ldb, int strideB,
                            float beta, float[] c, int cOff, int ldc, int strideC, int batch) {
        for (int i = 0; i < batch; i++)
            gemm(transA, transB, m, n, k, alpha, a, aOff + i * strideA, lda, b, bOff + i * strideB, ldb,
                    beta, c, cOff + i * strideC, ldc);
    }
}
