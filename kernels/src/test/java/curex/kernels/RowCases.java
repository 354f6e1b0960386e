// Test table entries for row-wise ops: bias, softmax family, losses, layer norm, argmax, embeddings.
package curex.kernels;

import static curex.kernels.OpCase.EXACT;
import static curex.kernels.OpCase.ROWS;
import static curex.kernels.OpCase.TRANSCENDENTAL;
import static curex.kernels.OpCase.reduction;

import curex.kernels.KernelFixture.Tol;
import java.util.ArrayList;
import java.util.List;

/**
 * Shapes (rows, cols). Backward ops run once per beta ({@link OpCase#BETAS}): from noisy gradients (beta 1 and
 * 0.5) so that accumulation is checked, and from NaN (beta 0) so that overwriting is.
 */
public final class RowCases {
    private static final int IGNORE = -100;

    private RowCases() {
    }

    private interface Run {
        void run(KernelFixture f, int rows, int cols);
    }

    private interface Backward {
        void run(KernelFixture f, int rows, int cols, float beta);
    }

    private static OpCase c(String name, Run run) {
        return new OpCase(name, ROWS, (f, s) -> run.run(f, s[0], s[1]));
    }

    /** One entry per beta. */
    private static List<OpCase> backward(String name, Backward run) {
        return OpCase.BETAS.stream()
                .map(beta -> c(name + OpCase.beta(beta), (f, r, k) -> run.run(f, r, k, beta))).toList();
    }

    public static List<OpCase> all() {
        List<OpCase> all = new ArrayList<>(forward());
        all.addAll(backward("biasGrad", (f, r, k, beta) -> {
            Span g = f.uniform(r * k, -1, 1), db = f.grad(k, beta);
            f.backend.biasGrad(g, r, k, beta, db);
            f.out("dBias", db, reduction(r + 1));
        }));
        all.addAll(backward("softmaxBackward", (f, r, k, beta) -> {
            Span y = f.of(f.probabilitiesHost(r, k, false)), g = f.uniform(r * k, -1, 1);
            Span dx = f.grad(r * k, beta);
            f.backend.softmaxBackward(y, g, r, k, beta, dx);
            f.out("dX", dx, TRANSCENDENTAL);
        }));
        all.addAll(backward("logSoftmaxBackward", (f, r, k, beta) -> {
            Span y = f.of(f.probabilitiesHost(r, k, true)), g = f.uniform(r * k, -1, 1);
            Span dx = f.grad(r * k, beta);
            f.backend.logSoftmaxBackward(y, g, r, k, beta, dx);
            f.out("dX", dx, new Tol(1e-5, 1e-5));
        }));
        all.addAll(backward("crossEntropyBackward", (f, r, k, beta) -> {
            Span x = f.uniform(r * k, -5, 5), dx = f.grad(r * k, beta);
            f.backend.crossEntropyBackward(x, r, k, targets(f, r, k, IGNORE), IGNORE, f.scalar(1.3f), beta, dx);
            f.out("dLogits", dx, TRANSCENDENTAL);
        }));
        all.addAll(backward("klDivBackward T=2.5", (f, r, k, beta) -> {
            Span s = f.uniform(r * k, -8, 8), t = f.uniform(r * k, -8, 8), dx = f.grad(r * k, beta);
            f.backend.klDivBackward(s, t, r, k, 2.5f, f.scalar(0.9f), beta, dx);
            f.out("dStudent", dx, TRANSCENDENTAL);
        }));
        all.addAll(backward("layerNormBackward", (f, r, k, beta) -> layerNormBackward(f, r, k, beta, true, true)));
        all.addAll(backward("layerNormBackward dX only",
                (f, r, k, beta) -> layerNormBackward(f, r, k, beta, true, false)));
        all.addAll(backward("layerNormBackward parameters only",
                (f, r, k, beta) -> layerNormBackward(f, r, k, beta, false, true)));
        all.addAll(backward("embeddingBackward", (f, n, dim, beta) -> {
            int vocab = 1 + n / 2;
            Span dt = f.grad(vocab * dim, beta), g = f.uniform(n * dim, -1, 1);
            f.backend.embeddingBackward(f.ofInts(f.indicesHost(n, vocab)), g, vocab, dim, beta, dt);
            f.out("dTable", dt, EXACT);
        }));
        return all;
    }

    private static List<OpCase> forward() {
        return List.of(
                c("biasAdd", (f, r, k) -> {
                    Span x = f.uniform(r * k, -2, 2), bias = f.uniform(k, -1, 1), o = f.garbage(r * k);
                    f.backend.biasAdd(x, r, k, bias, o);
                    f.out("out", o, EXACT);
                }),
                c("biasAdd in place", (f, r, k) -> {
                    Span x = f.uniform(r * k, -2, 2), bias = f.uniform(k, -1, 1);
                    f.backend.biasAdd(x, r, k, bias, x);
                    f.out("x", x, EXACT);
                }),
                c("softmax", (f, r, k) -> {
                    Span x = f.uniform(r * k, -6, 6), o = f.garbage(r * k);
                    f.backend.softmax(x, r, k, null, 1, o);
                    f.out("out", o, TRANSCENDENTAL);
                }),
                c("softmax masked in place", (f, r, k) -> {
                    Span x = f.uniform(r * k, -6, 6);
                    f.backend.softmax(x, r, k, mask(f, r, k), 1, x);
                    f.out("x", x, TRANSCENDENTAL);
                }),
                c("softmax masked, each mask row serving 4 rows", (f, r, k) -> {
                    Span x = f.uniform(r * k, -6, 6), o = f.garbage(r * k);
                    f.backend.softmax(x, r, k, mask(f, r, k), 4, o);
                    f.out("out", o, TRANSCENDENTAL);
                }),
                c("logSoftmax", (f, r, k) -> {
                    Span x = f.uniform(r * k, -6, 6), o = f.garbage(r * k);
                    f.backend.logSoftmax(x, r, k, null, 1, o);
                    f.out("out", o, new Tol(1e-5, 1e-6));
                }),
                c("logSoftmax masked", (f, r, k) -> {
                    Span x = f.uniform(r * k, -6, 6), o = f.garbage(r * k);
                    f.backend.logSoftmax(x, r, k, mask(f, r, k), 1, o);
                    f.out("out", o, new Tol(1e-5, 1e-6));
                }),
                c("crossEntropy", (f, r, k) -> {
                    Span x = f.uniform(r * k, -5, 5), loss = f.garbage(1);
                    f.backend.crossEntropy(x, r, k, targets(f, r, k, IGNORE), IGNORE, loss);
                    f.out("loss", loss, TRANSCENDENTAL);
                }),
                c("crossEntropy ignoring class 0", (f, r, k) -> {
                    Span x = f.uniform(r * k, -5, 5), loss = f.garbage(1);
                    f.backend.crossEntropy(x, r, k, f.ofInts(f.indicesHost(r, k)), 0, loss);
                    f.out("loss", loss, TRANSCENDENTAL);
                }),
                c("klDiv", (f, r, k) -> {
                    Span s = f.uniform(r * k, -3, 3), t = f.uniform(r * k, -3, 3), loss = f.garbage(1);
                    f.backend.klDiv(s, t, r, k, 1f, loss);
                    f.out("loss", loss, new Tol(1e-5, 1e-5));
                }),
                c("klDiv T=2.5", (f, r, k) -> {
                    Span s = f.uniform(r * k, -8, 8), t = f.uniform(r * k, -8, 8), loss = f.garbage(1);
                    f.backend.klDiv(s, t, r, k, 2.5f, loss);
                    f.out("loss", loss, new Tol(1e-5, 1e-5));
                }),
                c("layerNorm", (f, r, k) -> {
                    Span x = f.uniform(r * k, -2, 3), gamma = f.uniform(k, 0.5f, 1.5f), beta = f.uniform(k, -1, 1);
                    Span o = f.garbage(r * k), mean = f.garbage(r), rstd = f.garbage(r);
                    f.backend.layerNorm(x, r, k, gamma, beta, 1e-5f, o, mean, rstd);
                    f.out("out", o, new Tol(1e-5, 1e-5));
                    f.out("mean", mean, new Tol(1e-6, 1e-6));
                    f.out("rstd", rstd, new Tol(0, 1e-5));
                }),
                c("layerNorm large mean", (f, r, k) -> {
                    Span x = f.uniform(r * k, 1000, 1001), gamma = f.uniform(k, 0.5f, 1.5f);
                    Span beta = f.uniform(k, -1, 1), o = f.garbage(r * k), mean = f.garbage(r), rstd = f.garbage(r);
                    f.backend.layerNorm(x, r, k, gamma, beta, 1e-5f, o, mean, rstd);
                    f.out("out", o, new Tol(1e-4, 1e-5));   // x itself carries 6e-5 absolute rounding
                    f.out("mean", mean, Tol.ulps(1));
                    f.out("rstd", rstd, new Tol(0, 1e-4));
                }),
                c("argmaxRows", (f, r, k) -> {
                    Span x = f.of(f.integersHost(r * k, 6)), o = f.garbageInts(r);
                    f.backend.argmaxRows(x, r, k, o);
                    f.outInts("argmax", o);
                }),
                c("embedding", (f, n, dim) -> {
                    int vocab = 1 + n / 2;
                    Span table = f.uniform(vocab * dim, -1, 1), o = f.garbage(n * dim);
                    f.backend.embedding(f.ofInts(f.indicesHost(n, vocab)), table, vocab, dim, o);
                    f.out("out", o, EXACT);
                }),
                c("paddingMask", (f, r, k) -> {   // ids in [0, 3): about a third are the pad id 2
                    Span o = f.garbage(r * k);
                    f.backend.paddingMask(f.ofInts(f.indicesHost(r * k, 3)), 2, o);
                    f.out("mask", o, EXACT);
                }));
    }

    private static void layerNormBackward(KernelFixture f, int r, int k, float beta, boolean dX, boolean params) {
        // mean and rstd as a forward pass saves them, from the reference on either backend (same numbers)
        float[] xh = f.uniformHost(r * k, -2, 3), mean = new float[r], rstd = new float[r];
        try (ReferenceBackend ref = new ReferenceBackend()) {
            Span rx = ref.allocate(r * k).all(), rm = ref.allocate(r).all(), rs = ref.allocate(r).all();
            ref.copyFromHost(xh, 0, rx);
            Span ones = ref.allocate(k).all(), zeros = ref.allocate(k).all();
            ref.fill(ones, 1f);
            ref.layerNorm(rx, r, k, ones, zeros, 1e-5f, ref.allocate(r * k).all(), rm, rs);
            ref.copyToHost(rm, mean, 0);
            ref.copyToHost(rs, rstd, 0);
        }
        Span gamma = f.uniform(k, 0.5f, 1.5f), g = f.uniform(r * k, -1, 1);
        Span dx = dX ? f.grad(r * k, beta) : null;
        Span dGamma = params ? f.grad(k, beta) : null, dBeta = params ? f.grad(k, beta) : null;
        f.backend.layerNormBackward(f.of(xh), r, k, gamma, f.of(mean), f.of(rstd), g, beta, dx, dGamma, dBeta);
        // rstd reaches 1/sqrt(eps) for a single column; scale the tolerance of dX with it
        double maxRstd = KernelFixture.maxAbs(rstd);
        if (dX) f.out("dX", dx, new Tol(2e-6 * maxRstd, 1e-5));
        if (params) {
            f.out("dGamma", dGamma, reduction(4.0 * r + 1));   // |dOut xhat| < 4 here
            f.out("dBeta", dBeta, reduction(r + 1));
        }
    }

    /** Targets in [0, cols), every third row set to the ignore index. */
    private static Span targets(KernelFixture f, int rows, int cols, int ignore) {
        int[] t = f.indicesHost(rows, cols);
        for (int r = 0; r < rows; r += 3) t[r] = ignore;
        return f.ofInts(t);
    }

    /**
     * An additive mask of min(rows, 3) rows: row i keeps the first (i + 1) thirds of the columns (causal
     * style), except that a third row hides every column, so every third softmax row is entirely masked.
     */
    private static Span mask(KernelFixture f, int rows, int cols) {
        int maskRows = Math.min(rows, 3);
        float[] m = new float[maskRows * cols];
        for (int i = 0; i < maskRows; i++)
            for (int c = 0; c < cols; c++)
                m[i * cols + c] = i == 2 || c >= (i + 1) * (cols + 2) / 3 ? Float.NEGATIVE_INFINITY : 0f;
        return f.of(m);
    }
}
