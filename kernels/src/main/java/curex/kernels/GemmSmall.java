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
    /** Rows of C computed together. */
    private static final int ROWS = 4;

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
        // four rows at once: four independent FMA chains hide the FMA latency. A last group of fewer rows repeats its
        // last row and stores only its own: one loop, no single-row tail beside it, so that C2 inlines every store
        // (a tail loop had C2 stop at its node-count cutoff before its store and box the row's vector)
        for (int i = 0; i < m; i += ROWS) {
            int rows = Math.min(ROWS, m - i), ci = cOff + i * ldc;
            int a0 = aOff + i * rs, a1 = a0 + Math.min(1, rows - 1) * rs;
            int a2 = a0 + Math.min(2, rows - 1) * rs, a3 = a0 + Math.min(3, rows - 1) * rs;
            for (int j = 0; j < n; j += L) {
                VectorMask<Float> mask = S.indexInRange(j, n);
                FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
                for (int p = 0, bi = bOff + j, pa = 0; p < k; p++, bi += ldb, pa += ps) {
                    FloatVector bv = j + L <= n ? FloatVector.fromArray(S, b, bi) : FloatVector.fromArray(S, b, bi, mask);
                    c0 = FloatVector.broadcast(S, a[a0 + pa]).fma(bv, c0);
                    c1 = FloatVector.broadcast(S, a[a1 + pa]).fma(bv, c1);
                    c2 = FloatVector.broadcast(S, a[a2 + pa]).fma(bv, c2);
                    c3 = FloatVector.broadcast(S, a[a3 + pa]).fma(bv, c3);
                }
                store(c0, va, vb, beta, mask, c, ci + j);
                if (rows > 1) store(c1, va, vb, beta, mask, c, ci + ldc + j);
                if (rows > 2) store(c2, va, vb, beta, mask, c, ci + 2 * ldc + j);
                if (rows > 3) store(c3, va, vb, beta, mask, c, ci + 3 * ldc + j);
            }
        }
    }

    /** c[o..] = fma(beta, c, alpha * sum) on the lanes of {@code mask} (beta == 0: alpha * sum). */
    private static void store(FloatVector sum, FloatVector va, FloatVector vb, float beta, VectorMask<Float> mask,
                              float[] c, int o) {
        FloatVector x = sum.mul(va);
        if (beta != 0) x = FloatVector.fromArray(S, c, o, mask).fma(vb, x);
        x.intoArray(c, o, mask);
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
