// Multi-head scaled dot-product self-attention with a key-padding mask, BERT's attention sub-layer.
package curex.engine.nn;

import curex.engine.autograd.Activation;
import curex.engine.autograd.Attention;
import curex.engine.autograd.MatMul;
import curex.engine.autograd.Ops;
import curex.engine.autograd.RowOps;
import curex.engine.autograd.Tape;
import curex.engine.tensor.Tensor;

/**
 * Projections {@code prefix.self.query|key|value} and the output projection {@code prefix.output.dense}, each a
 * (d, d) Linear with bias, as Hugging Face's BertAttention names them. Heads stay side by side in the (B, T, d)
 * projections: {@link Attention} runs the backend's fused kernel over them, with no split or merge copy.
 */
public final class SelfAttention {
    private final Linear query, key, value, output;
    private final int heads;

    public SelfAttention(Parameters params, String prefix, int heads) {
        this.query = new Linear(params, prefix + ".self.query", Activation.NONE);
        this.key = new Linear(params, prefix + ".self.key", Activation.NONE);
        this.value = new Linear(params, prefix + ".self.value", Activation.NONE);
        this.output = new Linear(params, prefix + ".output.dense", Activation.NONE);
        this.heads = heads;
    }

    /** Adds the four (d, d) projections and their biases to a layout. */
    public static void declare(Parameters.Builder b, String prefix, int d) {
        Linear.declare(b, prefix + ".self.query", d, d);
        Linear.declare(b, prefix + ".self.key", d, d);
        Linear.declare(b, prefix + ".self.value", d, d);
        Linear.declare(b, prefix + ".output.dense", d, d);
    }

    /** The four projections, for initialisation. */
    Linear[] linears() {
        return new Linear[]{query, key, value, output};
    }

    /**
     * The heads' outputs side by side, before the output projection: x (B, T, d) -> (B, T, d). {@code mask} (B, T)
     * is additive over the keys (-inf at padding, 0 elsewhere) or null: no query attends to a padding key, so padding
     * never reaches a real position.
     */
    Tensor context(Tape tape, Tensor x, Tensor mask) {
        Tensor q = query.forward(tape, x);                                    // (B, T, d)
        Tensor k = key.forward(tape, x);                                      // (B, T, d)
        Tensor v = value.forward(tape, x);                                    // (B, T, d)
        return Attention.attend(tape, q, k, v, mask, heads);                  // (B, T, d), heads side by side
    }

    /**
     * {@link #context} for one query per sequence, queries (B, d) rows of x (B, T, d) -> (B, d), without forming the
     * keys and values. Per head h, with q_h the query's head: {@code q_h . (Wk_h x_t + bk_h) = (Wk_h^T q_h) . x_t +
     * q_h . bk_h}, whose last term is the same for every key and so leaves the softmax as it is (the key bias gets a
     * zero gradient, as it does through the keys), and {@code sum_t p_t (Wv_h x_t + bv_h) = Wv_h (sum_t p_t x_t) +
     * bv_h}, the probabilities summing to one. So the heads' folded queries {@code Wk_h^T q_h} attend, as one head of
     * width d, over x itself as keys and values, and {@code Wv_h} maps each head's mix of x. That is 2 B H d (dh + T)
     * multiply-adds forward, against the keys' and values' 2 B T d^2: on the parity teacher's last block (B 128, T 21,
     * d 128, 4 heads) 7 million instead of 88 million. The same values as those rows of {@code context(x)}, up to
     * rounding.
     */
    Tensor contextOfOne(Tape tape, Tensor queries, Tensor x, Tensor mask) {
        int B = x.dim(0), d = x.dim(2), dh = d / heads;
        float scale = (float) (1 / Math.sqrt(dh));
        Tensor q = query.forward(tape, queries).reshape(B, heads, dh);                     // (B, H, dh)
        Tensor wk = key.weight().reshape(heads, dh, d);                                    // (H, dh, d)
        Tensor u = MatMul.matmul(tape, q.permute(1, 0, 2), wk);                            // (H, B, d)
        Tensor folded = Ops.contiguous(tape, u.permute(1, 0, 2));                          // (B, H, d)
        Tensor z = Attention.attend(tape, folded, x, x, mask, 1, scale);                   // (B, H, d): p x per head
        Tensor wv = value.weight().reshape(heads, dh, d).transposeLast2();                 // (H, d, dh)
        Tensor c = MatMul.matmul(tape, z.permute(1, 0, 2), wv);                            // (H, B, dh)
        Tensor merged = Ops.contiguous(tape, c.permute(1, 0, 2)).reshape(B, d);            // (B, d), heads side by side
        return RowOps.addBroadcast(tape, merged, value.bias());
    }

    /**
     * {@link #context} of an input given once per (token, position) pair: x (U, d) -> (B, T, d). The projections run
     * on the U rows, which attention reads for every position that has them.
     */
    Tensor context(Tape tape, Tensor x, DistinctPairs pairs, Tensor mask) {
        Tensor q = query.forward(tape, x), k = key.forward(tape, x), v = value.forward(tape, x);   // (U, d)
        return pairs.attend(tape, q, k, v, mask, heads);                     // (B, T, d), heads side by side
    }

    /** The output projection of {@link #context} rows: (..., d) -> (..., d). */
    Tensor project(Tape tape, Tensor context) {
        return output.forward(tape, context);
    }
}
