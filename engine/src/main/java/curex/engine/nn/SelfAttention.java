// Multi-head scaled dot-product self-attention with a key-padding mask, BERT's attention sub-layer.
package curex.engine.nn;

import curex.engine.autograd.Activation;
import curex.engine.autograd.MatMul;
import curex.engine.autograd.Ops;
import curex.engine.autograd.RowOps;
import curex.engine.autograd.Tape;
import curex.engine.tensor.Tensor;

/**
 * Projections {@code prefix.self.query|key|value} and the output projection {@code prefix.output.dense}, each a
 * (d, d) Linear with bias, as Hugging Face's BertAttention names them. Heads are views: (B, T, d) read as
 * (B, T, H, dh) and permuted to (B, H, T, dh) without a copy; the products take the strided views directly, and only
 * the merge of the heads back to (B, T, d) copies.
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
     * x (B, T, d) -> (B, T, d). {@code mask} (B, T) is additive over the keys (-inf at padding, 0 elsewhere) or null:
     * no query attends to a padding key, so padding never reaches a real position.
     */
    public Tensor forward(Tape tape, Tensor x, Tensor mask) {
        int B = x.dim(0), T = x.dim(1), d = x.dim(2), dh = d / heads;
        Tensor q = splitHeads(query.forward(tape, x), heads);                 // (B, H, T, dh)
        Tensor k = splitHeads(key.forward(tape, x), heads);                   // (B, H, T, dh)
        Tensor v = splitHeads(value.forward(tape, x), heads);                 // (B, H, T, dh)
        Tensor scores = MatMul.matmul(tape, q, k.transposeLast2(), (float) (1 / Math.sqrt(dh)));   // (B, H, T, T)
        Tensor probs = RowOps.softmax(tape, scores, mask, heads * T);        // (B, H, T, T)
        Tensor context = MatMul.matmul(tape, probs, v);                       // (B, H, T, dh)
        Tensor merged = Ops.contiguous(tape, context.permute(0, 2, 1, 3)).reshape(B, T, d);   // (B, T, d)
        return output.forward(tape, merged);
    }

    /** (B, T, d) as the view (B, H, T, d / H). */
    static Tensor splitHeads(Tensor x, int heads) {
        int B = x.dim(0), T = x.dim(1), d = x.dim(2);
        return x.reshape(B, T, heads, d / heads).permute(0, 2, 1, 3);
    }
}
