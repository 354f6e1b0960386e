// A BERT-style encoder over one flat parameter buffer: embeddings, blocks, and a classifier or masked-LM head.
package curex.engine.nn;

import curex.engine.autograd.Activation;
import curex.engine.autograd.MatMul;
import curex.engine.autograd.Ops;
import curex.engine.autograd.RowOps;
import curex.engine.autograd.Tape;
import curex.engine.io.NamedArray;
import curex.engine.model.Model;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.kernels.CounterRng;
import curex.kernels.DType;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Token ids (B, T) -> token embeddings + learned position embeddings, {@code layers} {@link TransformerBlock}s, and a
 * head. Tensors carry Hugging Face's BertForMaskedLM names: {@code bert.embeddings.word_embeddings.weight} (V, d),
 * {@code bert.embeddings.position_embeddings.weight} (P, d), post-LN's {@code bert.embeddings.LayerNorm},
 * {@code bert.encoder.layer.i.*}, pre-LN's final {@code bert.encoder.LayerNorm}, then the masked-LM head
 * {@code cls.predictions.transform.dense} (GELU) and {@code .LayerNorm}, {@code cls.predictions.decoder.weight}
 * (V, d) and {@code cls.predictions.bias} (V), or the classifier {@code classifier.weight} (C, d) and
 * {@code .bias} read at the last position. The layout follows that order, so blocks 1..j and the embeddings are a
 * prefix of the buffer. The hidden representation of block l is the residual stream after it, one row per token.
 */
public final class Transformer implements Model {
    private static final String EMB = "bert.embeddings.";
    private static final String WORD = EMB + "word_embeddings.weight";
    private static final String POSITION = EMB + "position_embeddings.weight";
    private static final String TOKEN_TYPE = EMB + "token_type_embeddings.weight";
    private static final String EMB_NORM = EMB + "LayerNorm";
    /** Package-private for the tests that rebuild the head by name. */
    static final String FINAL_NORM = "bert.encoder.LayerNorm";
    private static final String TRANSFORM = "cls.predictions.transform.dense";
    private static final String TRANSFORM_NORM = "cls.predictions.transform.LayerNorm";
    private static final String DECODER = "cls.predictions.decoder.weight";
    private static final String DECODER_BIAS = "cls.predictions.bias";
    /** Hugging Face's name for the decoder's own bias, which it ties to cls.predictions.bias only in some versions. */
    private static final String DECODER_OWN_BIAS = "cls.predictions.decoder.bias";
    static final String CLASSIFIER = "classifier";

    private final TransformerConfig config;
    private final Parameters params;
    private final Tensor word;       // (V, d)
    private final Tensor position;   // (P, d)
    private final LayerNorm embeddingNorm, finalNorm;   // post-LN's, pre-LN's; the other is null
    private final TransformerBlock[] blocks;
    private final Linear transform, classifier;         // the head's; the other is null
    private final LayerNorm transformNorm;
    private final Tensor decoder, decoderBias;          // (V, d), (V)

    private Transformer(TransformerConfig c, Parameters params) {
        this.config = c;
        this.params = params;
        this.word = params.get(WORD);
        this.position = params.get(POSITION);
        boolean post = c.norm() == TransformerConfig.Norm.POST, mlm = c.head() == TransformerConfig.Head.MLM;
        this.embeddingNorm = post ? new LayerNorm(params, EMB_NORM, c.layerNormEps()) : null;
        this.finalNorm = post ? null : new LayerNorm(params, FINAL_NORM, c.layerNormEps());
        this.blocks = new TransformerBlock[c.layers()];
        for (int i = 0; i < blocks.length; i++) blocks[i] = new TransformerBlock(params, blockPrefix(i), c);
        this.transform = mlm ? new Linear(params, TRANSFORM, Activation.GELU) : null;
        this.transformNorm = mlm ? new LayerNorm(params, TRANSFORM_NORM, c.layerNormEps()) : null;
        this.decoder = mlm ? params.get(DECODER) : null;
        this.decoderBias = mlm ? params.get(DECODER_BIAS) : null;
        this.classifier = mlm ? null : new Linear(params, CLASSIFIER, Activation.NONE);
    }

    private static String blockPrefix(int i) {
        return "bert.encoder.layer." + i;
    }

    /** The parameter layout of a config, in the order the forward pass uses the tensors. */
    public static Parameters.Builder layout(TransformerConfig c) {
        int d = c.dModel();
        Parameters.Builder b = Parameters.builder().add(WORD, c.vocabSize(), d).add(POSITION, c.maxLength(), d);
        if (c.norm() == TransformerConfig.Norm.POST) LayerNorm.declare(b, EMB_NORM, d);
        for (int i = 0; i < c.layers(); i++) TransformerBlock.declare(b, blockPrefix(i), c);
        if (c.norm() == TransformerConfig.Norm.PRE) LayerNorm.declare(b, FINAL_NORM, d);
        if (c.head() == TransformerConfig.Head.MLM) {
            Linear.declare(b, TRANSFORM, d, d);
            LayerNorm.declare(b, TRANSFORM_NORM, d);
            b.add(DECODER, c.vocabSize(), d).add(DECODER_BIAS, c.vocabSize());
        } else {
            Linear.declare(b, CLASSIFIER, d, c.classes());
        }
        return b;
    }

    /** A post-LN checkpoint's token-type embeddings: one type, all zeros, as Hugging Face expects to find them. */
    static List<NamedArray> constants(TransformerConfig c) {
        if (c.norm() != TransformerConfig.Norm.POST) return List.of();
        return List.of(new NamedArray(TOKEN_TYPE, new int[]{1, c.dModel()}, new float[c.dModel()]));
    }

    /**
     * A masked-LM checkpoint also writes its decoder bias as {@code cls.predictions.decoder.bias}: transformers 5
     * reads the decoder's bias there, tied to {@code cls.predictions.bias} only when the word embeddings are tied too
     * (curex's decoder has its own weight, {@code tie_word_embeddings = false}), and without it would start that bias
     * at zero (seen with transformers 5.18). transformers 4's head shares one tensor under both names (not tried).
     */
    static Map<String, String> aliases(TransformerConfig c) {
        return c.head() == TransformerConfig.Head.MLM ? Map.of(DECODER_OWN_BIAS, DECODER_BIAS) : Map.of();
    }

    /**
     * A new encoder drawn from {@code seed} by the config's {@link TransformerConfig.Init}: embeddings normal, linears
     * as the init says, norms (1, 0), the MLM decoder's bias 0.
     */
    public static Transformer create(Backend backend, TransformerConfig c, long seed) {
        Transformer t = new Transformer(c, layout(c).build(backend));
        TransformerConfig.Init init = c.init();
        float std = init.embeddingStd();
        backend.fillNormal(t.word.span(), 0f, std, CounterRng.bits(seed, 0));
        backend.fillNormal(t.position.span(), 0f, std, CounterRng.bits(seed, 1));
        if (t.embeddingNorm != null) t.embeddingNorm.initialize();
        for (int i = 0; i < t.blocks.length; i++) t.blocks[i].initialize(CounterRng.bits(seed, 2 + i), init);
        if (t.finalNorm != null) t.finalNorm.initialize();
        long headSeed = CounterRng.bits(seed, 2 + t.blocks.length);
        if (t.classifier != null) init.initialize(t.classifier, headSeed);
        else {
            init.initialize(t.transform, headSeed);
            t.transformNorm.initialize();
            init.initializeWeight(backend, t.decoder.span(), c.dModel(), CounterRng.bits(headSeed, 1));
            backend.fill(t.decoderBias.span(), 0f);
        }
        return t;
    }

    /** A new encoder with every parameter zero (to be loaded from a checkpoint). */
    public static Transformer zeros(Backend backend, TransformerConfig c) {
        return new Transformer(c, layout(c).build(backend));
    }

    /** Logits: ids (B, T) -> (B, classes) at the last position, or (B * T, vocab) at every position. */
    @Override
    public Tensor forward(Tape tape, Tensor ids) {
        Tensor mask = paddingMask(tape, ids);
        if (classifier != null) {   // the head reads the last position: the last block computes only that row
            Tensor h = encode(tape, ids, mask, blocks.length - 1);                    // (B, T, d)
            Tensor last = blocks[blocks.length - 1].forwardLast(tape, h, mask);       // (B, d)
            if (finalNorm != null) last = finalNorm.forward(tape, last);
            return classifier.forward(tape, last);                                    // (B, C)
        }
        Tensor h = encode(tape, ids, mask, blocks.length);                       // (B, T, d)
        return maskedLmHead(tape, h.reshape(-1, config.dModel()));              // (B * T, V)
    }

    /**
     * Masked LM: the logits at {@code rows} of the (B * T) positions only, (n, vocab). The last block runs attention
     * over every position and everything after it, the head included, on those rows alone. A classifier gathers its
     * (B) rows from {@link #forward}.
     */
    @Override
    public Tensor forward(Tape tape, Tensor ids, Tensor rows) {
        if (rows == null || classifier != null) return Model.super.forward(tape, ids, rows);
        if (rows.rank() != 1 || rows.dtype() != DType.I32)
            throw new IllegalArgumentException("readout rows must be (n) integers, got " + rows.dtype() + " "
                    + Arrays.toString(rows.shape()));
        Tensor mask = paddingMask(tape, ids);
        Tensor h = encode(tape, ids, mask, blocks.length - 1);                   // (B, T, d)
        return maskedLmHead(tape, blocks[blocks.length - 1].forwardRows(tape, h, mask, rows));   // (n, V)
    }

    /** The final norm (pre-LN) and the masked-LM head: (rows, d) -> (rows, V). */
    private Tensor maskedLmHead(Tape tape, Tensor h) {
        if (finalNorm != null) h = finalNorm.forward(tape, h);
        Tensor t = transformNorm.forward(tape, transform.forward(tape, h));      // (rows, d)
        return MatMul.linear(tape, t, decoder, decoderBias);                     // (rows, V)
    }

    /** The residual stream after block {@code layer} (1..layers), (B * T, d), running only blocks 1..layer. */
    @Override
    public Tensor hidden(Tape tape, Tensor ids, int layer) {
        if (layer < 1 || layer > blocks.length)
            throw new IllegalArgumentException("block " + layer + " of a transformer with " + blocks.length
                    + " blocks: expected 1.." + blocks.length);
        Tensor h = encode(tape, ids, paddingMask(tape, ids), layer);
        return h.reshape(-1, config.dModel());
    }

    /** Embeddings and blocks 1..upTo: ids (B, T) -> (B, T, d). */
    private Tensor encode(Tape tape, Tensor ids, Tensor mask, int upTo) {
        DistinctPairs pairs = upTo > 0 ? DistinctPairs.of(tape, ids) : null;
        Tensor h;
        if (pairs != null) {   // the embeddings and the first block's attention inputs once per (token, position)
            Tensor x = pairs.embed(tape, word, position);                                   // (U, d)
            if (embeddingNorm != null) x = embeddingNorm.forward(tape, x);
            h = blocks[0].forward(tape, x, pairs, mask);                                    // (B, T, d)
        } else {
            h = RowOps.embedding(tape, ids, word);                                          // (B, T, d)
            h = RowOps.addBroadcast(tape, h, position.slice0(0, ids.dim(1)));              // (B, T, d)
            if (embeddingNorm != null) h = embeddingNorm.forward(tape, h);
        }
        for (int i = pairs != null ? 1 : 0; i < upTo; i++) h = blocks[i].forward(tape, h, mask);
        return h;
    }

    /** The additive key mask (B, T): -inf at padding; null when the model has no pad token. */
    private Tensor paddingMask(Tape tape, Tensor ids) {
        if (ids.rank() != 2 || ids.dtype() != DType.I32)
            throw new IllegalArgumentException("a transformer reads token ids (B, T) as integers, got "
                    + ids.dtype() + " " + Arrays.toString(ids.shape()));
        if (ids.dim(1) > config.maxLength())
            throw new IllegalArgumentException("a sequence of " + ids.dim(1) + " tokens is longer than the model's "
                    + "maximum length " + config.maxLength());
        if (config.padToken() < 0) return null;
        Tensor mask = tape.output(false, ids.dim(0), ids.dim(1));
        tape.backend().paddingMask(ids.span(), config.padToken(), mask.span());
        return mask;
    }

    /** Embeddings plus blocks 1..j (j = 0: the embeddings; j = layers + 1: everything, head included). */
    @Override
    public ParamRange layersRange(int j) {
        if (j < 0 || j > blocks.length + 1)
            throw new IllegalArgumentException("layers 1.." + j + " of a transformer with " + blocks.length + " blocks");
        if (j == blocks.length + 1) return params.all();
        String last = j == 0 ? (embeddingNorm != null ? EMB_NORM + ".bias" : POSITION)
                : params.names().stream().filter(n -> n.startsWith(blockPrefix(j - 1) + ".")).reduce((a, b) -> b)
                .orElseThrow();
        return new ParamRange(0, params.entry(last).range().to());
    }

    @Override
    public TransformerConfig config() {
        return config;
    }

    @Override
    public Parameters parameters() {
        return params;
    }

    @Override
    public void close() {
        params.close();
    }
}
