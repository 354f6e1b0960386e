// Test table entries for gemm, batched gemm and product gradients (as gemms), in all transpose combinations.
package curex.kernels;

import curex.kernels.KernelFixture.Tol;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Shapes (m, n, k). Leading dimensions are padded beyond the column count. Tolerance: 4e-6 of the bound
 * {@code |alpha| k max|A| max|B|} on any entry of the product, plus 1e-6 of {@code |beta| max|C|}, plus 1 ulp.
 */
public final class ProductCases {
    public static final List<int[]> SHAPES = List.of(new int[] {1, 1, 1}, new int[] {7, 17, 1}, new int[] {17, 7, 17},
            new int[] {1, 1000, 7}, new int[] {1000, 1, 17}, new int[] {48, 160, 130});
    /**
     * gemmBias's shapes: those above, one of three k chunks that runs on several threads, and one whose weight
     * gradient runs transposed.
     */
    static final List<int[]> BIAS_SHAPES = Stream.concat(SHAPES.stream(),
            Stream.of(new int[] {70, 40, 2100}, new int[] {136, 48, 1100})).toList();
    private static final int PAD = 3;

    private ProductCases() {
    }

    public static List<OpCase> all() {
        List<OpCase> cases = new ArrayList<>();
        for (boolean ta : new boolean[] {false, true})
            for (boolean tb : new boolean[] {false, true}) {
                String t = (ta ? "T" : "N") + (tb ? "T" : "N");
                cases.add(new OpCase("gemm " + t, SHAPES, (f, s) -> gemm(f, ta, tb, s[0], s[1], s[2], 1.5f, 0f, 1)));
                cases.add(new OpCase("gemm " + t + " beta", SHAPES,
                        (f, s) -> gemm(f, ta, tb, s[0], s[1], s[2], -0.5f, 0.75f, 1)));
                cases.add(new OpCase("gemmBatched " + t, SHAPES,
                        (f, s) -> gemm(f, ta, tb, s[0], s[1], s[2], 1.5f, 0.5f, 3)));
                cases.add(new OpCase("gemmBias " + t, BIAS_SHAPES, (f, s) -> gemmBias(f, ta, tb, s[0], s[1], s[2])));
                cases.add(new OpCase("gemm gradients " + t, SHAPES, (f, s) -> backward(f, ta, tb, s[0], s[1], s[2])));
            }
        cases.add(new OpCase("gemmBiasGrad", BIAS_SHAPES, (f, s) -> gemmBiasGrad(f, s[0], s[1], s[2], 0f)));
        cases.add(new OpCase("gemmBiasGrad beta", BIAS_SHAPES, (f, s) -> gemmBiasGrad(f, s[0], s[1], s[2], 1f)));
        return cases;
    }

    private static void gemm(KernelFixture f, boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
                             int batch) {
        int lda = (ta ? m : k) + PAD, ldb = (tb ? k : n) + PAD, ldc = n + PAD;
        int sizeA = (ta ? k : m) * lda, sizeB = (tb ? n : k) * ldb, sizeC = m * ldc;
        float[] a = f.uniformHost(sizeA * batch + 2, -1, 1), b = f.uniformHost(sizeB * batch + 2, -1, 1);
        Span c = beta == 0 ? f.garbage(sizeC * batch + 2) : f.uniform(sizeC * batch + 2, -1, 1);
        double maxC = beta == 0 ? 0 : 1;
        if (batch == 1) f.backend.gemm(ta, tb, m, n, k, alpha, f.of(a), lda, f.of(b), ldb, beta, c, ldc);
        else f.backend.gemmBatched(ta, tb, m, n, k, alpha, f.of(a), lda, sizeA + 1, f.of(b), ldb, sizeB + 1,
                beta, c, ldc, sizeC + 1, batch);
        f.out("C", c, product(alpha, k, KernelFixture.maxAbs(a), KernelFixture.maxAbs(b), beta, maxC));
    }

    /** C (m, n), contiguous = op(A) op(B) + bias; the bias counts as a C of magnitude 1 in the tolerance. */
    private static void gemmBias(KernelFixture f, boolean ta, boolean tb, int m, int n, int k) {
        int lda = (ta ? m : k) + PAD, ldb = (tb ? k : n) + PAD;
        float[] a = f.uniformHost((ta ? k : m) * lda, -1, 1), b = f.uniformHost((tb ? n : k) * ldb, -1, 1);
        Span bias = f.uniform(n, -1, 1), c = f.garbage(m * n);
        f.backend.gemmBias(ta, tb, m, n, k, f.of(a), lda, f.of(b), ldb, bias, c);
        f.out("C", c, product(1, k, KernelFixture.maxAbs(a), KernelFixture.maxAbs(b), 1, 1));
    }

    /** C (m, n) = beta C + A^T B and dBias (m) = beta dBias + A's column sums, A (k, m) and B (k, n) contiguous. */
    private static void gemmBiasGrad(KernelFixture f, int m, int n, int k, float beta) {
        float[] a = f.uniformHost(k * m, -1, 1), b = f.uniformHost(k * n, -1, 1);
        Span c = beta == 0 ? f.garbage(m * n) : f.uniform(m * n, -1, 1);
        Span dBias = beta == 0 ? f.garbage(m) : f.uniform(m, -1, 1);
        f.backend.gemmBiasGrad(m, n, k, f.of(a), f.of(b), beta, c, beta, dBias);
        f.out("C", c, product(1, k, KernelFixture.maxAbs(a), KernelFixture.maxAbs(b), beta, 1));
        f.out("dBias", dBias, product(1, k, KernelFixture.maxAbs(a), 1, beta, 1));
    }

    private static void backward(KernelFixture f, boolean ta, boolean tb, int m, int n, int k) {
        int lda = (ta ? m : k) + PAD, ldb = (tb ? k : n) + PAD, ldc = n + PAD;
        int sizeA = (ta ? k : m) * lda, sizeB = (tb ? n : k) * ldb, sizeC = m * ldc;
        Span a = f.uniform(sizeA, -1, 1), b = f.uniform(sizeB, -1, 1), dc = f.uniform(sizeC, -1, 1);
        Span da = f.uniform(sizeA, -1, 1), db = f.uniform(sizeB, -1, 1);
        ProductGradients.dA(f.backend, ta, tb, m, n, k, b, ldb, dc, ldc, 1f, da, lda);
        ProductGradients.dB(f.backend, ta, tb, m, n, k, a, lda, dc, ldc, 1f, db, ldb);
        f.out("dA", da, product(1, n, 1, 1, 1, 1));   // dA sums over n, dB over m
        f.out("dB", db, product(1, m, 1, 1, 1, 1));
    }

    private static Tol product(float alpha, int k, double maxA, double maxB, float beta, double maxC) {
        return new Tol(4e-6 * Math.abs(alpha) * k * maxA * maxB + 1e-6 * Math.abs(beta) * maxC, 0x1.0p-23);
    }
}
