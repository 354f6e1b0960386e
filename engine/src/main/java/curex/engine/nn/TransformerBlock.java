// One encoder block: self-attention and a GELU MLP, each with a residual connection, normalised before or after.
package curex.engine.nn;

import curex.engine.autograd.Activation;
import curex.engine.autograd.Ops;
import curex.engine.autograd.RowOps;
import curex.engine.autograd.Tape;
import curex.engine.tensor.Tensor;
import curex.kernels.CounterRng;

/**
 * Hugging Face's BertLayer names under {@code prefix} ({@code bert.encoder.layer.i}): {@code attention.*} (see
 * {@link SelfAttention}), {@code intermediate.dense} (d -> ratio d, GELU) and {@code output.dense} (ratio d -> d).
 * Post-LN, as in BERT: {@code a = LN(x + attn(x)); y = LN(a + mlp(a))} with the norms
 * {@code attention.output.LayerNorm} and {@code output.LayerNorm}. Pre-LN: {@code a = x + attn(LN1(x));
 * y = a + mlp(LN2(a))} with {@code attention.LayerNorm} (LN1) and {@code intermediate.LayerNorm} (LN2).
 */
public final class TransformerBlock {
    private final SelfAttention attention;
    private final Linear intermediate, output;
    private final LayerNorm attentionNorm, mlpNorm;
    private final boolean preNorm;

    public TransformerBlock(Parameters params, String prefix, TransformerConfig c) {
        this.attention = new SelfAttention(params, prefix + ".attention", c.heads());
        this.intermediate = new Linear(params, prefix + ".intermediate.dense", Activation.GELU);
        this.output = new Linear(params, prefix + ".output.dense", Activation.NONE);
        this.preNorm = c.norm() == TransformerConfig.Norm.PRE;
        this.attentionNorm = new LayerNorm(params, attentionNormName(prefix, c.norm()), c.layerNormEps());
        this.mlpNorm = new LayerNorm(params, mlpNormName(prefix, c.norm()), c.layerNormEps());
    }

    /** Adds the block's tensors to a layout, in the order they run. */
    public static void declare(Parameters.Builder b, String prefix, TransformerConfig c) {
        int d = c.dModel(), hidden = c.intermediateSize();
        if (c.norm() == TransformerConfig.Norm.PRE) LayerNorm.declare(b, attentionNormName(prefix, c.norm()), d);
        SelfAttention.declare(b, prefix + ".attention", d);
        if (c.norm() == TransformerConfig.Norm.POST) LayerNorm.declare(b, attentionNormName(prefix, c.norm()), d);
        if (c.norm() == TransformerConfig.Norm.PRE) LayerNorm.declare(b, mlpNormName(prefix, c.norm()), d);
        Linear.declare(b, prefix + ".intermediate.dense", d, hidden);
        Linear.declare(b, prefix + ".output.dense", hidden, d);
        if (c.norm() == TransformerConfig.Norm.POST) LayerNorm.declare(b, mlpNormName(prefix, c.norm()), d);
    }

    private static String attentionNormName(String prefix, TransformerConfig.Norm norm) {
        return prefix + (norm == TransformerConfig.Norm.PRE ? ".attention.LayerNorm" : ".attention.output.LayerNorm");
    }

    private static String mlpNormName(String prefix, TransformerConfig.Norm norm) {
        return prefix + (norm == TransformerConfig.Norm.PRE ? ".intermediate.LayerNorm" : ".output.LayerNorm");
    }

    /** Linears drawn by {@code init}, norms (1, 0); one stream of {@code seed} per matrix. */
    public void initialize(long seed, TransformerConfig.Init init) {
        Linear[] a = attention.linears();
        for (int i = 0; i < a.length; i++) init.initialize(a[i], CounterRng.bits(seed, i));
        init.initialize(intermediate, CounterRng.bits(seed, a.length));
        init.initialize(output, CounterRng.bits(seed, a.length + 1));
        attentionNorm.initialize();
        mlpNorm.initialize();
    }

    /** x (B, T, d) -> the residual stream after this block (B, T, d); mask as {@link SelfAttention#context}. */
    public Tensor forward(Tape tape, Tensor x, Tensor mask) {
        Tensor normed = preNorm ? attentionNorm.forward(tape, x) : x;                        // (B, T, d)
        return finish(tape, x, attention.context(tape, normed, mask));
    }

    /**
     * {@link #forward} of an input given once per (token, position) pair: x (U, d) the pairs' rows -> the residual
     * stream after this block (B, T, d). The norm before attention and the query, key and value projections run on
     * the U rows; everything after attention mixes positions and runs on all of them.
     */
    Tensor forward(Tape tape, Tensor x, DistinctPairs pairs, Tensor mask) {
        Tensor normed = preNorm ? attentionNorm.forward(tape, x) : x;                        // (U, d)
        return finish(tape, pairs.expand(tape, x), attention.context(tape, normed, pairs, mask));
    }

    /**
     * This block's output at the last position only, x (B, T, d) -> (B, d): the same values as
     * {@code forward(x)[:, T - 1]}, for a head that reads nothing else. Attention reads every position, with its
     * keys and values folded into the query ({@link SelfAttention#contextOfOne}); the query, the output projection,
     * the residuals, the norms after attention and the MLP are one row per sequence.
     */
    public Tensor forwardLast(Tape tape, Tensor x, Tensor mask) {
        Tensor normed = preNorm ? attentionNorm.forward(tape, x) : x;                        // (B, T, d)
        Tensor context = attention.contextOfOne(tape, lastRow(tape, normed), normed, mask);  // (B, d)
        return finish(tape, lastRow(tape, x), context);
    }

    /**
     * This block's output at some positions only, x (B, T, d) -> (n, d) for {@code rows} (n) I32 indices into the
     * (B * T) positions: the same values as those rows of {@link #forward}, for a head that reads nothing else (a
     * masked LM's masked positions). Attention runs for every position; everything after it on those rows.
     */
    public Tensor forwardRows(Tape tape, Tensor x, Tensor mask, Tensor rows) {
        Tensor normed = preNorm ? attentionNorm.forward(tape, x) : x;                        // (B, T, d)
        Tensor context = attention.context(tape, normed, mask);                              // (B, T, d)
        return finish(tape, gather(tape, x, rows), gather(tape, context, rows));             // (n, d)
    }

    /**
     * What follows attention, on the rows kept: residual (..., d) the block's input there, context (..., d) the
     * heads' outputs there. Either placement of the norms.
     */
    private Tensor finish(Tape tape, Tensor residual, Tensor context) {
        Tensor attended = attention.project(tape, context);
        if (preNorm) {
            Tensor a = Ops.add(tape, residual, attended);
            return Ops.add(tape, a, mlp(tape, mlpNorm.forward(tape, a)));
        }
        Tensor a = attentionNorm.forward(tape, Ops.add(tape, residual, attended));
        return mlpNorm.forward(tape, Ops.add(tape, a, mlp(tape, a)));
    }

    /** x (B, T, d) -> its last position (B, d), contiguous. */
    private static Tensor lastRow(Tape tape, Tensor x) {
        return Ops.contiguous(tape, x.select(1, x.dim(1) - 1));
    }

    /** x (B, T, d) -> rows (n) of its (B * T) positions, (n, d). */
    private static Tensor gather(Tape tape, Tensor x, Tensor rows) {
        return RowOps.gatherRows(tape, x.reshape(-1, x.dim(2)), rows);
    }

    private Tensor mlp(Tape tape, Tensor x) {
        return output.forward(tape, intermediate.forward(tape, x));
    }
}
