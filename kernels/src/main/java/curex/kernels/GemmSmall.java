// GEMM for small products: one thread, no packing of A, one vector of C per inner loop.
package curex.kernels;

import static curex.kernels.GemmMicroKernel.L;
import static curex.kernels.GemmMicroKernel.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * {@code C = alpha op(A) op(B) + beta C} for products too small to repay packing. Each element is the sum over
 * k in increasing order, one fused multiply-add per product, then fma(beta, C, alpha * sum) like the blocked path.
 */
final class GemmSmall {
    private GemmSmall() {
    }

    /** bt: scratch for op(B) when transB (grown as needed). */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc, GemmScratch scratch) {
        if (transB) { // op(B) (k, n) row-major into scratch
            float[] bt = scratch.b((long) k * n);
            for (int j = 0; j < n; j++) {
                int s = bOff + j * ldb;
                for (int p = 0; p < k; p++) bt[p * n + j] = b[s + p];
            }
            b = bt;
            bOff = 0;
            ldb = n;
        }
        int rs = transA ? 1 : lda, ps = transA ? lda : 1; // op(A)(i, p) = a[aOff + i*rs + p*ps]
        FloatVector va = FloatVector.broadcast(S, alpha), vb = FloatVector.broadcast(S, beta);
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * rs, ci = cOff + i * ldc;
            for (int j = 0; j < n; j += L) {
                VectorMask<Float> mask = S.indexInRange(j, n);
                FloatVector acc = FloatVector.zero(S);
                if (j + L <= n) {
                    for (int p = 0, bi = bOff + j; p < k; p++, bi += ldb)
                        acc = FloatVector.broadcast(S, a[ai + p * ps]).fma(FloatVector.fromArray(S, b, bi), acc);
                } else {
                    for (int p = 0, bi = bOff + j; p < k; p++, bi += ldb)
                        acc = FloatVector.broadcast(S, a[ai + p * ps]).fma(FloatVector.fromArray(S, b, bi, mask), acc);
                }
                FloatVector x = acc.mul(va);
                if (beta != 0) x = FloatVector.fromArray(S, c, ci + j, mask).fma(vb, x);
                x.intoArray(c, ci + j, mask);
            }
        }
    }

    /** C = beta C (beta == 0: zeros, whatever C held). */
    static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int o = cOff + i * ldc;
            if (beta == 0) java.util.Arrays.fill(c, o, o + n, 0f);
            else for (int j = 0; j < n; j++) c[o + j] *= beta;
        }
    }
}
