// Test table entries for strided copies (permutations, transposes, broadcasts), row dots and scales, cosine loss.
package curex.kernels;

import static curex.kernels.OpCase.ELEMENTS;
import static curex.kernels.OpCase.EXACT;
import static curex.kernels.OpCase.FUSED;
import static curex.kernels.OpCase.ROWS;
import static curex.kernels.OpCase.reduction;

import curex.kernels.KernelFixture.Tol;
import java.util.ArrayList;
import java.util.List;

/**
 * Strided copies are exact for every beta ({@code beta * dst} rounded, then the float add, on every backend).
 * Shapes: ROWS for rank 2, (B, T, H, d) and a rank-6 list for permutations, the largest of each taking the
 * multi-threaded path. Entries with a beta run once per {@link OpCase#BETAS}, beta 0 on NaN-filled outputs.
 */
public final class LayoutCases {
    /** (B, T, H, d): awkward sizes, then one large attention-like tensor. */
    static final List<int[]> BTHD = List.of(new int[] {1, 1, 1, 1}, new int[] {2, 3, 5, 7},
            new int[] {3, 17, 4, 33}, new int[] {2, 5, 3, 1000}, new int[] {4, 128, 8, 64});
    static final List<int[]> RANK6 = List.of(new int[] {1, 1, 1, 1, 1, 1}, new int[] {2, 1, 3, 1, 2, 5},
            new int[] {2, 3, 2, 3, 2, 17}, new int[] {2, 4, 4, 4, 8, 130});
    /** The cosine loss runs on rows of dot products. */
    static final List<int[]> COSINE_ROWS = ELEMENTS;
    private static final float COSINE_EPS = 1e-8f;

    private LayoutCases() {
    }

    private interface Run {
        void run(KernelFixture f, int[] shape, float beta);
    }

    /** One entry per beta. */
    private static List<OpCase> perBeta(String name, List<int[]> shapes, Run run) {
        return OpCase.BETAS.stream()
                .map(beta -> new OpCase(name + OpCase.beta(beta), shapes, (f, s) -> run.run(f, s, beta))).toList();
    }

    public static List<OpCase> all() {
        List<OpCase> all = new ArrayList<>();
        all.addAll(perBeta("stridedCopy (B,T,H,d)->(B,H,T,d)", BTHD,
                (f, s, beta) -> permute(f, s, new int[] {0, 2, 1, 3}, 0, beta)));
        all.addAll(perBeta("stridedCopy (B,T,H,d)->(B,H,T,d) padded source", BTHD,
                (f, s, beta) -> permute(f, s, new int[] {0, 2, 1, 3}, 3, beta)));
        all.addAll(perBeta("stridedCopy rank 6", RANK6,
                (f, s, beta) -> permute(f, s, new int[] {4, 2, 0, 3, 1, 5}, 0, beta)));
        all.addAll(perBeta("stridedCopy transpose", ROWS, (f, s, beta) -> permute(f, s, new int[] {1, 0}, 0, beta)));
        all.addAll(perBeta("stridedCopy contiguous", ROWS, (f, s, beta) -> permute(f, s, new int[] {0, 1}, 0, beta)));
        all.addAll(perBeta("stridedCopy into padded rows", ROWS, (f, s, beta) -> {
            int r = s[0], k = s[1], ld = k + 3;
            Span src = f.uniform(r * k, -2, 2), dst = f.grad(r * ld, beta);
            f.backend.stridedCopy(new int[] {r, k}, src, new long[] {k, 1}, dst, new long[] {ld, 1}, beta);
            f.out("dst", dst, EXACT);
        }));
        all.addAll(perBeta("stridedCopy broadcast rows", ROWS, (f, s, beta) -> {
            int r = s[0], k = s[1];
            Span src = f.uniform(k, -2, 2), dst = f.grad(r * k, beta);
            f.backend.stridedCopy(new int[] {r, k}, src, new long[] {0, 1}, dst, new long[] {k, 1}, beta);
            f.out("dst", dst, EXACT);
        }));
        all.addAll(perBeta("stridedCopy broadcast columns", ROWS, (f, s, beta) -> {
            int r = s[0], k = s[1];
            Span src = f.uniform(r, -2, 2), dst = f.grad(r * k, beta);
            f.backend.stridedCopy(new int[] {r, k}, src, new long[] {1, 0}, dst, new long[] {k, 1}, beta);
            f.out("dst", dst, EXACT);
        }));
        all.add(new OpCase("rowDot", ROWS, (f, s) -> {
            int r = s[0], k = s[1];
            float[] x = f.uniformHost(r * k, -2, 2), y = f.uniformHost(r * k, -2, 2);
            Span out = f.garbage(r);
            f.backend.rowDot(f.of(x), f.of(y), r, k, out);
            double worst = 0;
            for (int row = 0; row < r; row++) {
                double sum = 0;
                for (int c = 0; c < k; c++) sum += Math.abs(x[row * k + c] * y[row * k + c]);
                worst = Math.max(worst, sum);
            }
            f.out("out", out, reduction(worst));
        }));
        all.addAll(perBeta("rowScale", ROWS, (f, s, beta) -> {
            int r = s[0], k = s[1];
            Span x = f.uniform(r * k, -2, 2), scale = f.uniform(r, -2, 2), out = f.grad(r * k, beta);
            f.backend.rowScale(x, r, k, scale, beta, out);
            f.out("out", out, FUSED);
        }));
        all.addAll(perBeta("rowScale in place", ROWS, (f, s, beta) -> {
            int r = s[0], k = s[1];
            Span x = f.uniform(r * k, -2, 2), scale = f.uniform(r, -2, 2);
            f.backend.rowScale(x, r, k, scale, beta, x);
            f.out("x", x, FUSED);
        }));
        all.add(new OpCase("cosineLoss", COSINE_ROWS, (f, s) -> {
            Span loss = f.garbage(1);
            f.backend.cosineLoss(dots(f, s[0]), s[0], COSINE_EPS, loss);
            f.out("loss", loss, new Tol(1e-6, 1e-5));
        }));
        all.add(new OpCase("cosineLossBackward", COSINE_ROWS, (f, s) -> {
            Span coef = f.garbage(4 * s[0]);
            f.backend.cosineLossBackward(dots(f, s[0]), s[0], COSINE_EPS, f.scalar(0.9f), coef);
            f.out("coef", coef, new Tol(0, 1e-6));
        }));
        return all;
    }

    /**
     * A contiguous tensor of {@code shape} (its rows padded by {@code pad} elements) copied into the contiguous
     * tensor of dims {@code shape[perm[0]], shape[perm[1]], ...}: the kernel walks the destination's shape with
     * the source's strides permuted.
     */
    private static void permute(KernelFixture f, int[] shape, int[] perm, int pad, float beta) {
        int rank = shape.length;
        long[] srcStrides = new long[rank], dstStrides = new long[rank];
        int[] dstShape = new int[rank];
        long stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            srcStrides[i] = stride;
            stride *= shape[i] + (i == rank - 1 ? pad : 0);
        }
        int srcLength = (int) stride, count = 1;
        for (int i = 0; i < rank; i++) {
            dstShape[i] = shape[perm[i]];
            count *= dstShape[i];
        }
        long[] walk = new long[rank];
        for (int i = 0; i < rank; i++) walk[i] = srcStrides[perm[i]];
        stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            dstStrides[i] = stride;
            stride *= dstShape[i];
        }
        Span src = f.uniform(srcLength, -2, 2), dst = f.grad(count, beta);
        f.backend.stridedCopy(dstShape, src, walk, dst, dstStrides, beta);
        f.out("dst", dst, EXACT);
    }

    /**
     * Row dots (3, rows) = [x.y | x.x | y.y] of vectors at random angles: every 11th x and every 13th y has a
     * norm below eps (the clamped branch), others norms up to 2.
     */
    static Span dots(KernelFixture f, int rows) {
        float[] h = new float[3 * rows];
        float[] u = f.uniformHost(3 * rows, 0, 1);
        for (int r = 0; r < rows; r++) {
            float xx = r % 11 == 3 ? 0f : 4 * u[r], yy = r % 13 == 5 ? 1e-20f : 4 * u[rows + r];
            h[rows + r] = xx;
            h[2 * rows + r] = yy;
            h[r] = (float) ((2 * u[2 * rows + r] - 1) * Math.sqrt((double) xx * yy));
        }
        return f.of(h);
    }
}
