// The shape of a BERT-style encoder: vocabulary, length, width, heads, depth, MLP ratio, norm placement and head.
package curex.engine.nn;

import curex.engine.data.Task;
import curex.engine.model.ModelConfig;
import curex.engine.model.ModelFamily;
import curex.engine.settings.Choice;
import curex.engine.settings.SettingException;
import curex.engine.settings.SettingException.Setting;
import curex.kernels.Backend;
import curex.kernels.Span;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A transformer encoder of {@code layers} blocks of width {@code dModel} with {@code heads} attention heads and a GELU
 * MLP of {@code mlpRatio * dModel}, LayerNorm before ({@link Norm#PRE}) or after ({@link Norm#POST}, BERT's) each
 * sub-block, and one of two heads: a classifier read at the last position, or BERT's masked-LM head over the
 * vocabulary. {@code padToken} (-1: none) marks padding that attention ignores. Checkpoints record the config with
 * Hugging Face's BertConfig keys ({@code hidden_size}, {@code num_hidden_layers}, ...) plus curex's own
 * ({@code format}, {@code norm}, {@code head}).
 */
public record TransformerConfig(int vocabSize, int maxLength, int dModel, int heads, int layers, int mlpRatio,
                                Norm norm, Head head, int classes, int padToken, float layerNormEps, Init init)
        implements ModelConfig {

    /** A config with PyTorch's default init ({@link Init#TORCH}). */
    public TransformerConfig(int vocabSize, int maxLength, int dModel, int heads, int layers, int mlpRatio, Norm norm,
                             Head head, int classes, int padToken, float layerNormEps) {
        this(vocabSize, maxLength, dModel, heads, layers, mlpRatio, norm, head, classes, padToken, layerNormEps,
                Init.TORCH);
    }

    /** Where LayerNorm sits. */
    public enum Norm {
        /** Before each sub-block, with a final LayerNorm after the last block. */
        PRE,
        /** After each residual connection, with a LayerNorm on the embeddings: the original BERT. */
        POST;

        @Override
        public String toString() {
            return Choice.id(this);
        }
    }

    /** What the model predicts. */
    public enum Head {
        /** {@code classes} logits read at the last position (parity as a sequence). */
        CLASSIFY,
        /** Logits over the vocabulary at every position, BERT's masked-LM head. */
        MLM;

        @Override
        public String toString() {
            return Choice.id(this);
        }
    }

    /** How a new model's parameters are drawn; LayerNorms start at (1, 0) and the MLM decoder's bias at 0 either way. */
    public enum Init {
        /**
         * PyTorch's module defaults: embeddings N(0, 1), linear weights and biases uniform in +-1/sqrt(fan_in). With
         * it, parity-tf leaves chance within a few hundred steps.
         */
        TORCH,
        /** BERT's: embeddings and weights N(0, 0.02), biases 0. On parity-tf it stays at chance far longer. */
        BERT;

        /** The standard deviation of the token and position embeddings. */
        public float embeddingStd() {
            return this == TORCH ? 1f : INIT_STD;
        }

        /** Draws {@code linear}'s weight and bias from {@code seed}. */
        public void initialize(Linear linear, long seed) {
            if (this == TORCH) linear.initialize(seed);
            else linear.initializeNormal(seed, INIT_STD);
        }

        /** Draws a weight without a bias (fan-in {@code fanIn}) as {@link #initialize} draws a linear's weight. */
        public void initializeWeight(Backend backend, Span weight, int fanIn, long seed) {
            if (this == TORCH) {
                float bound = (float) (1.0 / Math.sqrt(fanIn));
                backend.fillUniform(weight, -bound, bound, seed);
            } else backend.fillNormal(weight, 0f, INIT_STD, seed);
        }

        @Override
        public String toString() {
            return Choice.id(this);
        }
    }

    /** The tanh form of GELU, as Hugging Face names it. */
    public static final String HF_GELU = "gelu_pytorch_tanh";
    /** The standard deviation of BERT's initial weights. */
    public static final float INIT_STD = 0.02f;
    public static final float DEFAULT_EPS = 1e-5f;

    public TransformerConfig {
        check(vocabSize >= 1, "vocabulary size must be >= 1, got " + vocabSize);
        check(maxLength >= 1, "maximum length must be >= 1, got " + maxLength);
        check(dModel >= 1, "d_model must be >= 1, got " + dModel, Setting.D_MODEL);
        check(heads >= 1, "heads must be >= 1, got " + heads, Setting.HEADS);
        check(dModel % heads == 0, heads + " heads do not divide d_model " + dModel
                + "; pick heads that divide it (e.g. " + divisorNear(dModel, heads) + ")", Setting.HEADS);
        check(layers >= 1, "layers must be >= 1, got " + layers, Setting.LAYERS);
        check(mlpRatio >= 1, "MLP ratio must be >= 1, got " + mlpRatio, Setting.MLP_RATIO);
        check((long) mlpRatio * dModel * dModel <= Integer.MAX_VALUE, "MLP ratio " + mlpRatio + " with d_model "
                + dModel + " makes MLP weights of " + (long) mlpRatio * dModel * dModel + " floats, more than an array "
                + "holds (2^31 - 1)", Setting.MLP_RATIO, Setting.D_MODEL);
        check(norm != null && head != null && init != null, "norm placement, head and init must be given");
        check(head == Head.MLM ? classes == vocabSize : classes >= 2,
                head == Head.MLM ? "a masked-LM head predicts the vocabulary (" + vocabSize + "), not " + classes + " classes"
                        : "a classifier needs >= 2 classes, got " + classes);
        check(padToken >= -1 && padToken < vocabSize, "pad token " + padToken + " is outside the vocabulary [0, "
                + vocabSize + ")");
        check(layerNormEps > 0 && Float.isFinite(layerNormEps), "layer norm eps must be > 0, got " + layerNormEps);
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException("transformer: " + message);
    }

    /** {@link #check} of a value the user sets: the refusal names it. */
    private static void check(boolean ok, String message, Setting... settings) {
        if (!ok) throw new SettingException("transformer: " + message, settings);
    }

    private static int divisorNear(int d, int h) {
        for (int k = 0; ; k++) {
            if (h - k >= 1 && d % (h - k) == 0) return h - k;
            if (d % (h + k) == 0) return h + k;
        }
    }

    /**
     * An encoder that reads {@code task}'s tokens and predicts its labels: vocabulary, maximum length, padding and head
     * from the task, the rest given.
     */
    public static TransformerConfig forTask(Task task, int layers, int dModel, int heads, int mlpRatio, Norm norm) {
        if (task.input() != Task.Input.TOKENS)
            throw new IllegalArgumentException("a transformer reads token ids; " + task.describe()
                    + " gives real-valued features (use an MLP)");
        Head head = task.readout() == Task.Readout.TOKENS ? Head.MLM : Head.CLASSIFY;
        return new TransformerConfig(task.vocabulary(), task.sampleSize(), dModel, heads, layers, mlpRatio, norm, head,
                task.classes(), task.padToken(), DEFAULT_EPS);
    }

    /** This config with new models drawn by {@code init} (null: unchanged). */
    public TransformerConfig withInit(Init init) {
        if (init == null) return this;
        return new TransformerConfig(vocabSize, maxLength, dModel, heads, layers, mlpRatio, norm, head, classes, padToken,
                layerNormEps, init);
    }

    /** The hidden width of each block's MLP. */
    public int intermediateSize() {
        return mlpRatio * dModel;
    }

    @Override
    public ModelFamily family() {
        return ModelFamily.TRANSFORMER;
    }

    @Override
    public Transformer create(Backend backend, long seed) {
        return Transformer.create(backend, this, seed);
    }

    @Override
    public Transformer zeros(Backend backend) {
        return Transformer.zeros(backend, this);
    }

    @Override
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(ModelFamily.KEY, family().format());
        m.put("model_type", "bert");
        m.put("architectures", head == Head.MLM ? "BertForMaskedLM" : "curex last-token classifier over BertModel");
        m.put("vocab_size", Integer.toString(vocabSize));
        m.put("max_position_embeddings", Integer.toString(maxLength));
        m.put("hidden_size", Integer.toString(dModel));
        m.put("num_attention_heads", Integer.toString(heads));
        m.put("num_hidden_layers", Integer.toString(layers));
        m.put("intermediate_size", Integer.toString(intermediateSize()));
        m.put("hidden_act", HF_GELU);
        m.put("activation.torch", "gelu_tanh");
        m.put("layer_norm_eps", Float.toString(layerNormEps));
        m.put("type_vocab_size", "1");
        m.put("tie_word_embeddings", "false");
        m.put("init", init.toString());
        if (init == Init.BERT) m.put("initializer_range", Float.toString(INIT_STD));
        m.put("hidden_dropout_prob", "0.0");
        m.put("attention_probs_dropout_prob", "0.0");
        if (padToken >= 0) m.put("pad_token_id", Integer.toString(padToken));
        m.put("norm", norm.toString());
        m.put("head", head.toString());
        m.put("num_labels", Integer.toString(classes));
        return m;
    }

    /** The config recorded in checkpoint metadata by {@link #metadata()}. */
    public static TransformerConfig fromMetadata(Map<String, String> meta) {
        try {
            Head head = Choice.parse(Head.class, "head", required(meta, "head"));
            int vocab = intOf(meta, "vocab_size");
            int dModel = intOf(meta, "hidden_size");
            int intermediate = intOf(meta, "intermediate_size");
            if (intermediate % dModel != 0)
                throw new IllegalArgumentException("intermediate_size " + intermediate + " is not a multiple of hidden_size "
                        + dModel);
            String act = required(meta, "hidden_act");
            if (!act.equals(HF_GELU))
                throw new IllegalArgumentException("hidden_act '" + act + "': curex computes only " + HF_GELU);
            return new TransformerConfig(vocab, intOf(meta, "max_position_embeddings"), dModel,
                    intOf(meta, "num_attention_heads"), intOf(meta, "num_hidden_layers"), intermediate / dModel,
                    Choice.parse(Norm.class, "norm", required(meta, "norm")), head,
                    head == Head.MLM ? vocab : intOf(meta, "num_labels"),
                    meta.containsKey("pad_token_id") ? intOf(meta, "pad_token_id") : -1,
                    Float.parseFloat(required(meta, "layer_norm_eps")),
                    meta.containsKey("init") ? Choice.parse(Init.class, "init", meta.get("init").strip()) : Init.TORCH);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad transformer config in metadata: " + e.getMessage());
        }
    }

    private static String required(Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) throw new IllegalArgumentException("transformer metadata lacks '" + key + "'; it has " + meta.keySet());
        return v.strip();
    }

    private static int intOf(Map<String, String> meta, String key) {
        String v = required(meta, key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("transformer metadata '" + key + "' is not an integer: '" + v + "'");
        }
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("family", "transformer");
        m.put("vocab_size", vocabSize);
        m.put("max_length", maxLength);
        m.put("d_model", dModel);
        m.put("heads", heads);
        m.put("layers", layers);
        m.put("mlp_ratio", mlpRatio);
        m.put("norm", norm.toString());
        m.put("head", head.toString());
        m.put("classes", classes);
        m.put("pad_token", padToken);
        m.put("layer_norm_eps", layerNormEps);
        m.put("init", init.toString());
        return m;
    }

    @Override
    public void checkTask(Task task) {
        if (task.input() != Task.Input.TOKENS)
            throw new IllegalArgumentException("reads token ids but " + task.describe() + " gives real-valued features");
        Head wanted = task.readout() == Task.Readout.TOKENS ? Head.MLM : Head.CLASSIFY;
        if (head != wanted)
            throw new IllegalArgumentException("has a " + head + " head but " + task.describe() + " needs a " + wanted
                    + " head");
        if (vocabSize != task.vocabulary())
            throw new IllegalArgumentException("has a vocabulary of " + vocabSize + " but " + task.describe() + " uses "
                    + task.vocabulary() + " token ids");
        if (maxLength < task.sampleSize())
            throw new IllegalArgumentException("reads at most " + maxLength + " positions but " + task.describe()
                    + " has sequences of up to " + task.sampleSize());
        if (classes != task.classes())
            throw new IllegalArgumentException("predicts " + classes + " classes but " + task.describe() + " has "
                    + task.classes());
        if (padToken != task.padToken())
            throw new IllegalArgumentException("pads with token " + padToken + " but " + task.describe() + " pads with "
                    + task.padToken());
    }

    @Override
    public int depth() {
        return layers;
    }

    /** Every block's residual stream is d_model wide. */
    @Override
    public int width(int layer) {
        if (layer < 1 || layer > layers)
            throw new IllegalArgumentException("block " + layer + " of " + describe() + ": expected 1.." + layers);
        return dModel;
    }

    @Override
    public long parameterCount() {
        return Transformer.layout(this).count();
    }

    /**
     * Per sample at the longest length T, for each block: about 20 d-wide activations per token with their gradients,
     * and attention's scores and probabilities (H T per token) with theirs; plus the embeddings and the head.
     */
    @Override
    public long activationFloatsPerRow() {
        long T = maxLength, perToken = (long) layers * (40L * dModel + 4L * heads * T + 4L * intermediateSize());
        long headFloats = head == Head.MLM ? 6L * dModel + 2L * vocabSize : 0;
        return T * (perToken + 4L * dModel + headFloats);
    }

    @Override
    public java.util.List<curex.engine.io.NamedArray> constants() {
        return Transformer.constants(this);
    }

    @Override
    public java.util.Map<String, String> aliases() {
        return Transformer.aliases(this);
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "transformer %d x d%d (%d head%s, MLP %d, %s-LN, %s)", layers, dModel, heads,
                heads == 1 ? "" : "s", intermediateSize(), norm,
                head == Head.MLM ? "masked LM over " + vocabSize : classes + "-way classifier");
    }
}
