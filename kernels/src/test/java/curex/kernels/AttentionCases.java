// Test table entries for fused attention and its backward, at awkward head sizes and one large multi-threaded shape.
package curex.kernels;

import curex.kernels.KernelFixture.Tol;
import java.util.ArrayList;
import java.util.List;

/**
 * Shapes (batch, seq, heads, headDim), a query at every position: a single element; head sizes below, at and across
 * the vector width; the parity teacher's heads; keys and head columns that leave a last single vector after pairs of
 * vectors (seq 40, headDim 48 or 47, at 8 or 16 lanes); and a PCFG-like batch that runs on several threads. Shapes
 * (batch, queries, seq, heads, headDim) with fewer queries than keys: one query (a classifier's last position), a few
 * across the kernels' four-row groups, and up to four, which take one dot product per (query, key): the parity
 * teacher's last block with its keys and values folded into its query (4 heads' queries, one head of 128). Each entry runs unmasked and with a key-padding mask ({@link #mask}) in which
 * the last sequence hides every key. Tolerances: the float sums of a score (headDim products), the float
 * exponentials of the softmax and the float sums over keys, 1e-5 absolute and relative against the reference's
 * doubles; gradients sum over keys or queries twice, 2e-5.
 */
public final class AttentionCases {
    /** (batch, seq, heads, headDim). */
    static final List<int[]> SHAPES = List.of(new int[] {1, 1, 1, 1}, new int[] {2, 5, 3, 4},
            new int[] {3, 7, 2, 5}, new int[] {2, 13, 2, 16}, new int[] {2, 9, 1, 19}, new int[] {4, 21, 4, 32},
            new int[] {2, 40, 2, 48}, new int[] {16, 61, 8, 8});
    /** (batch, queries, seq, heads, headDim). */
    static final List<int[]> FEWER_QUERIES = List.of(new int[] {1, 1, 1, 1, 1}, new int[] {2, 1, 5, 3, 4},
            new int[] {3, 3, 7, 2, 5}, new int[] {2, 6, 13, 2, 16}, new int[] {4, 1, 21, 4, 32},
            new int[] {2, 7, 40, 2, 47}, new int[] {16, 5, 61, 8, 8}, new int[] {2, 2, 9, 3, 19},
            new int[] {3, 4, 21, 1, 128});
    private static final Tol FORWARD = new Tol(1e-5, 1e-5), BACKWARD = new Tol(2e-5, 2e-5);

    /** A backward whose keys are its values (one span) and whose dK and dV are one span, receiving their sum. */
    private static final String KEYS_ARE_VALUES = "keys are values";

    private AttentionCases() {
    }

    public static List<OpCase> all() {
        List<OpCase> all = new ArrayList<>();
        for (boolean fewer : new boolean[] {false, true})
            for (boolean masked : new boolean[] {false, true}) {
                String suffix = (fewer ? " fewer queries" : "") + (masked ? " masked" : "");
                List<int[]> shapes = fewer ? FEWER_QUERIES : SHAPES;
                all.add(new OpCase("attention" + suffix, shapes, (f, s) -> forward(f, dims(s), masked)));
                for (float beta : OpCase.BETAS)
                    for (String only : new String[] {"", "dV", "dQ dK", KEYS_ARE_VALUES})
                        all.add(new OpCase("attentionBackward" + suffix + (only.isEmpty() ? "" : " " + only + " only")
                                + OpCase.beta(beta), shapes, (f, s) -> backward(f, dims(s), masked, beta, only)));
            }
        return all;
    }

    /** (batch, queries, seq, heads, headDim) of either kind of shape. */
    private static int[] dims(int[] s) {
        return s.length == 5 ? s : new int[] {s[0], s[1], s[1], s[2], s[3]};
    }

    private static void forward(KernelFixture f, int[] s, boolean masked) {
        int b = s[0], tq = s[1], t = s[2], h = s[3], dh = s[4], nq = b * tq * h * dh, n = b * t * h * dh;
        Span q = f.uniform(nq, -1, 1), k = f.uniform(n, -1, 1), v = f.uniform(n, -1, 1);
        Span probs = f.garbage(b * h * tq * t), out = f.garbage(nq);
        f.backend.attention(q, k, v, masked ? mask(f, b, t) : null, b, tq, t, h, dh, scale(dh), probs, out);
        f.out("probs", probs, FORWARD);
        f.out("out", out, FORWARD);
    }

    private static void backward(KernelFixture f, int[] s, boolean masked, float beta, String only) {
        int b = s[0], tq = s[1], t = s[2], h = s[3], dh = s[4], nq = b * tq * h * dh, n = b * t * h * dh;
        float[] p = f.probabilitiesHost(b * h * tq, t, false);
        if (masked) {   // probabilities as the masked forward leaves them: zero on hidden keys
            float[] m = f.read(mask(f, b, t));
            for (int row = 0; row < b * h * tq; row++) {
                int seq = row / (h * tq);
                for (int j = 0; j < t; j++) if (m[seq * t + j] != 0) p[row * t + j] = 0;
            }
        }
        Span q = f.uniform(nq, -1, 1), k = f.uniform(n, -1, 1), v = f.uniform(n, -1, 1), g = f.uniform(nq, -1, 1);
        if (only.equals(KEYS_ARE_VALUES)) {
            Span dq = f.grad(nq, beta), dkv = f.grad(n, beta);
            f.backend.attentionBackward(q, k, k, f.of(p), g, b, tq, t, h, dh, scale(dh), beta, dq, dkv, dkv);
            f.out("dQ", dq, BACKWARD);
            f.out("dK + dV", dkv, BACKWARD);
            return;
        }
        boolean wantQk = !only.equals("dV"), wantV = !only.equals("dQ dK");
        Span dq = wantQk ? f.grad(nq, beta) : null, dk = wantQk ? f.grad(n, beta) : null;
        Span dv = wantV ? f.grad(n, beta) : null;
        f.backend.attentionBackward(q, k, v, f.of(p), g, b, tq, t, h, dh, scale(dh), beta, dq, dk, dv);
        if (dq != null) f.out("dQ", dq, BACKWARD);
        if (dk != null) f.out("dK", dk, BACKWARD);
        if (dv != null) f.out("dV", dv, BACKWARD);
    }

    static float scale(int headDim) {
        return (float) (1 / Math.sqrt(headDim));
    }

    /** (batch, seq): sequence i hides its last i keys, so the last of several sequences may hide all of them. */
    static Span mask(KernelFixture f, int batch, int seq) {
        float[] m = new float[batch * seq];
        for (int i = 0; i < batch; i++)
            for (int j = 0; j < seq; j++)
                m[i * seq + j] = j >= seq - i || (i == batch - 1 && batch > 1) ? Float.NEGATIVE_INFINITY : 0f;
        return f.of(m);
    }
}
