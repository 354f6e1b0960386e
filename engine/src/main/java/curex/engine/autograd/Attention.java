// Multi-head scaled dot-product attention as one taped op over the backend's fused kernel.
package curex.engine.autograd;

import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.kernels.Span;

import java.util.Arrays;

/**
 * Heads stay side by side in the (B, T, d) projections, so no permute or merge copy is needed: the kernel reads head
 * h as columns {@code h * d / heads ..} and writes the heads' outputs the same way. The probabilities (B, H, Tq, T)
 * live in tape scratch for the backward.
 */
public final class Attention {
    private Attention() {
    }

    /**
     * softmax(q k^T / sqrt(dh) + mask) v per head: q (B, Tq, d), k and v (B, T, d) contiguous, d = heads * dh, Tq
     * query rows per sequence (every position, Tq = T, or fewer: those a head reads); mask (B, T) additive over the
     * keys (0 or -inf) or null, needing no gradient. Returns (B, Tq, d).
     */
    public static Tensor attend(Tape tape, Tensor q, Tensor k, Tensor v, Tensor mask, int heads) {
        return attend(tape, q, k, v, mask, heads, Float.NaN);
    }

    /** {@link #attend} with the scores scaled by {@code scale} (NaN: 1 / sqrt(dh)). */
    public static Tensor attend(Tape tape, Tensor q, Tensor k, Tensor v, Tensor mask, int heads, float scale) {
        int[] shape = k.shape();
        if (k.rank() != 3 || !Arrays.equals(shape, v.shape()) || q.rank() != 3 || q.dim(0) != k.dim(0)
                || q.dim(2) != k.dim(2))
            throw new IllegalArgumentException("attention: k and v must be the same (B, T, d) and q (B, Tq, d), got q "
                    + Arrays.toString(q.shape()) + ", k " + Arrays.toString(shape) + ", v " + Arrays.toString(v.shape()));
        int B = shape[0], T = shape[1], d = shape[2], Tq = q.dim(1);
        int dh = headDim(d, heads, mask, B, T);
        if (Float.isNaN(scale)) scale = (float) (1 / Math.sqrt(dh));
        boolean g = tape.needsGrad(q, k, v);
        Tensor out = tape.output(g, B, Tq, d);                             // (B, Tq, d)
        Span probs = tape.scratch((long) B * heads * Tq * T);              // (B, H, Tq, T)
        ExecContext ctx = tape.ctx();
        ctx.attention(q.span(), k.span(), v.span(), mask == null ? null : mask.span(), B, Tq, T, heads, dh, scale,
                probs, out.span());
        float scaled = scale;
        if (g) tape.record(out, () -> backward(tape, q, k, v, probs, out, B, Tq, T, heads, dh, scaled));
        return out;
    }

    /**
     * {@link #attend} with a query at every position, whose q, k and v rows are given once per distinct row: q, k and
     * v are (U, d) and {@code rows} (B * T) I32 names each position's row, on a CPU backend
     * ({@link curex.kernels.CpuBackend#attentionOfRows}). The same values as attending over the rows gathered to every
     * position, without the (B, T, d) copies; the backward sums each position's gradient into its row. Returns
     * (B, T, d).
     */
    public static Tensor attendRows(Tape tape, Tensor rows, int batch, int seq, Tensor q, Tensor k, Tensor v,
                                    Tensor mask, int heads) {
        int[] table = q.shape();
        if (q.rank() != 2 || !Arrays.equals(table, k.shape()) || !Arrays.equals(table, v.shape()))
            throw new IllegalArgumentException("attention over rows: q, k and v must be the same (U, d), got q "
                    + Arrays.toString(table) + ", k " + Arrays.toString(k.shape()) + ", v " + Arrays.toString(v.shape()));
        if (rows.numel() != (long) batch * seq)
            throw new IllegalArgumentException("attention over rows: " + rows.numel() + " row indexes for " + batch
                    + " x " + seq + " positions");
        int u = table[0], d = table[1];
        int dh = headDim(d, heads, mask, batch, seq);
        float scale = (float) (1 / Math.sqrt(dh));
        boolean g = tape.needsGrad(q, k, v);
        Tensor out = tape.output(g, batch, seq, d);                           // (B, T, d)
        Span probs = tape.scratch((long) batch * heads * seq * seq);           // (B, H, T, T)
        ExecContext ctx = tape.ctx();
        ctx.attentionOfRows(rows.span(), u, q.span(), k.span(), v.span(), mask == null ? null : mask.span(), batch,
                seq, heads, dh, scale, probs, out.span());
        if (g) tape.record(out, () -> {
            Tensor[] inputs = {q, k, v};
            Span[] grads = new Span[3];   // (B, T, d) each: the positions' gradients, before they meet in the rows
            for (int i = 0; i < 3; i++)
                if (inputs[i].requiresGrad()) grads[i] = tape.borrow((long) batch * seq * d);
            ctx.attentionOfRowsBackward(rows.span(), u, q.span(), k.span(), v.span(), probs, out.grad(), batch, seq,
                    heads, dh, scale, 0f, grads[0], grads[1], grads[2]);
            Backend be = tape.backend();
            for (int i = 0; i < 3; i++) {
                if (grads[i] == null) continue;
                be.embeddingBackward(rows.span(), grads[i], u, d, inputs[i].overwriteGradBeta(), inputs[i].grad());
                tape.giveBack(grads[i]);
            }
        });
        return out;
    }

    /** d / heads, once heads divides d and the mask (or null) is (B, T). */
    private static int headDim(int d, int heads, Tensor mask, int B, int T) {
        if (heads < 1 || d % heads != 0)
            throw new IllegalArgumentException("attention: " + heads + " heads do not divide d = " + d);
        if (mask != null && !Arrays.equals(mask.shape(), new int[] {B, T}))
            throw new IllegalArgumentException("attention: mask " + Arrays.toString(mask.shape()) + " is not (B, T) = "
                    + Arrays.toString(new int[] {B, T}));
        return d / heads;
    }

    /**
     * One kernel call when every gradient takes the same beta and they are distinct tensors (the usual case), or when
     * the keys and the values are one tensor (a folded query's input): its one gradient span is then passed as both
     * dK and dV, and receives their sum. Otherwise one call per gradient (a tensor used as both q and k, say,
     * accumulates its two gradients in turn).
     */
    private static void backward(Tape tape, Tensor q, Tensor k, Tensor v, Span probs, Tensor out,
                                 int B, int Tq, int T, int heads, int dh, float scale) {
        ExecContext ctx = tape.ctx();
        Tensor[] inputs = {q, k, v};
        float[] betas = new float[3];
        boolean same = q != k && k != v && q != v;
        float first = Float.NaN;
        for (int i = 0; i < 3; i++) {
            betas[i] = inputs[i].requiresGrad() ? inputs[i].overwriteGradBeta() : Float.NaN;
            if (Float.isNaN(betas[i])) continue;
            if (Float.isNaN(first)) first = betas[i];
            else same &= betas[i] == first;
        }
        if (k == v && q != k && k.requiresGrad() && (Float.isNaN(betas[0]) || betas[0] == betas[1])) {
            Span dkv = k.grad();   // one span for both: the kernel adds the values' gradient to the keys'
            ctx.attentionBackward(q.span(), k.span(), v.span(), probs, out.grad(), B, Tq, T, heads, dh, scale,
                    betas[1], grad(q), dkv, dkv);
            return;
        }
        if (same) {
            ctx.attentionBackward(q.span(), k.span(), v.span(), probs, out.grad(), B, Tq, T, heads, dh, scale, first,
                    grad(q), grad(k), grad(v));
            return;
        }
        for (int i = 0; i < 3; i++) {
            if (Float.isNaN(betas[i])) continue;
            ctx.attentionBackward(q.span(), k.span(), v.span(), probs, out.grad(), B, Tq, T, heads, dh, scale,
                    betas[i], i == 0 ? grad(q) : null, i == 1 ? grad(k) : null, i == 2 ? grad(v) : null);
        }
    }

    private static Span grad(Tensor t) {
        return t.requiresGrad() ? t.grad() : null;
    }
}
