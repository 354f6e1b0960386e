// The row-major to column-major gemm mapping, checked by running its cuBLAS arguments on a column-major loop.
package curex.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import curex.kernels.CounterRng;
import curex.kernels.ReferenceBackend;
import curex.kernels.Span;
import org.junit.jupiter.api.Test;

class GemmMappingTest {

    /** What cublasSgemm computes: column-major C = alpha op(A) op(B) + beta C, element (i, j) at i + j * ld. */
    static void columnMajorSgemm(GemmMapping.ColumnMajor g, float alpha, float[] a, int aOff, float[] b, int bOff,
                                 float beta, float[] c, int cOff) {
        for (int j = 0; j < g.n(); j++)
            for (int i = 0; i < g.m(); i++) {
                double s = 0;
                for (int p = 0; p < g.k(); p++) {
                    double av = g.opA() == GemmMapping.OP_N ? a[aOff + i + p * g.lda()] : a[aOff + p + i * g.lda()];
                    double bv = g.opB() == GemmMapping.OP_N ? b[bOff + p + j * g.ldb()] : b[bOff + j + p * g.ldb()];
                    s += av * bv;
                }
                int ci = cOff + i + j * g.ldc();
                c[ci] = (float) (alpha * s + (beta == 0 ? 0 : (double) beta * c[ci]));
            }
    }

    @Test
    void swappedOperandsOnColumnMajorGiveTheRowMajorProduct() {
        int m = 5, n = 7, k = 3;
        try (ReferenceBackend ref = new ReferenceBackend()) {
            for (boolean ta : new boolean[] {false, true})
                for (boolean tb : new boolean[] {false, true}) {
                    int lda = (ta ? m : k) + 2, ldb = (tb ? k : n) + 1, ldc = n + 3;
                    float[] a = random((ta ? k : m) * lda, 1), b = random((tb ? n : k) * ldb, 2);
                    float[] c0 = random(m * ldc, 3);
                    Span sa = ref.allocate(a.length).all(), sb = ref.allocate(b.length).all(), sc = ref.allocate(c0.length).all();
                    ref.copyFromHost(a, 0, sa);
                    ref.copyFromHost(b, 0, sb);
                    ref.copyFromHost(c0, 0, sc);
                    ref.gemm(ta, tb, m, n, k, 1.5f, sa, lda, sb, ldb, 0.5f, sc, ldc);
                    float[] want = new float[c0.length];
                    ref.copyToHost(sc, want, 0);

                    float[] got = c0.clone();
                    GemmMapping.ColumnMajor g = GemmMapping.of(ta, tb, m, n, k, lda, ldb, ldc);
                    assertEquals(n, g.m());
                    assertEquals(m, g.n());
                    columnMajorSgemm(g, 1.5f, b, 0, a, 0, 0.5f, got, 0);   // cuBLAS's first operand is our B
                    for (int i = 0; i < want.length; i++)
                        assertEquals(want[i], got[i], 1e-5f * Math.max(1, Math.abs(want[i])), "ta=" + ta + " tb=" + tb + " at " + i);
                }
        }
    }

    @Test
    void flagsAndLeadingDimensionsFollowTheOperands() {
        GemmMapping.ColumnMajor g = GemmMapping.of(true, false, 2, 3, 4, 2, 3, 3);
        assertEquals(GemmMapping.OP_N, g.opA());   // our B, not transposed
        assertEquals(GemmMapping.OP_T, g.opB());   // our A, transposed
        assertEquals(3, g.lda());
        assertEquals(2, g.ldb());
        assertEquals(1, GemmMapping.of(false, false, 1, 1, 1, 0, 0, 0).ldc(), "cuBLAS needs ld >= 1");
    }

    private static float[] random(int n, long seed) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = CounterRng.normal(seed, i);
        return v;
    }
}
