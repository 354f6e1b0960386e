// A multilayer perceptron over one flat parameter buffer, exposing hidden representations for distillation.
package curex.engine.nn;

import curex.engine.autograd.Activation;
import curex.engine.autograd.Tape;
import curex.engine.model.Model;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.kernels.CounterRng;

/**
 * L linear layers {@code layers.0 .. layers.(L-1)}; hidden layers apply the activation (fused into the product),
 * the last gives logits. Parameters are laid out layer by layer, so "layers 1..j" is the prefix
 * {@link #layersRange(int) layersRange(j)} of the flat buffer. The hidden representation of layer l (1..L-1, the
 * model's depth is L-1) is its post-activation output.
 */
public final class Mlp implements Model {
    private final MlpConfig config;
    private final Parameters params;
    private final Linear[] layers;

    private Mlp(MlpConfig config, Parameters params) {
        this.config = config;
        this.params = params;
        int L = config.layers();
        layers = new Linear[L];
        for (int l = 0; l < L; l++)
            layers[l] = new Linear(params, "layers." + l, l < L - 1 ? config.activation() : Activation.NONE);
    }

    /** The parameter layout of a config: layers.0.weight, layers.0.bias, layers.1.weight, ... */
    public static Parameters.Builder layout(MlpConfig config) {
        Parameters.Builder b = Parameters.builder();
        int[] w = config.widths();
        for (int l = 0; l < config.layers(); l++) Linear.declare(b, "layers." + l, w[l], w[l + 1]);
        return b;
    }

    /** A new MLP with PyTorch-default init from {@code seed}; the values do not depend on the backend. */
    public static Mlp create(Backend backend, MlpConfig config, long seed) {
        Mlp m = new Mlp(config, layout(config).build(backend));
        for (int l = 0; l < m.layers.length; l++) m.layers[l].initialize(CounterRng.bits(seed, l));
        return m;
    }

    /** A new MLP with all parameters zero (to be loaded from a checkpoint). */
    public static Mlp zeros(Backend backend, MlpConfig config) {
        return new Mlp(config, layout(config).build(backend));
    }

    /** Logits: x (B, in) -> (B, out). */
    @Override
    public Tensor forward(Tape tape, Tensor x) {
        return forwardLayers(tape, x, layers.length, null);
    }

    /**
     * Logits, also storing the hidden representations: {@code hidden[l-1]} = post-activation of hidden layer l,
     * l = 1..L-1 ({@code hidden.length >= L-1}).
     */
    public Tensor forward(Tape tape, Tensor x, Tensor[] hidden) {
        return forwardLayers(tape, x, layers.length, hidden);
    }

    /** Runs only layers 1..l and returns hidden layer l's post-activation (B, width(l)), l in 1..L-1. */
    @Override
    public Tensor hidden(Tape tape, Tensor x, int l) {
        if (l < 1 || l > layers.length - 1)
            throw new IllegalArgumentException("hidden layer " + l + " of an MLP with " + layers.length
                    + " layers: expected 1.." + (layers.length - 1));
        return forwardLayers(tape, x, l, null);
    }

    private Tensor forwardLayers(Tape tape, Tensor x, int upTo, Tensor[] hidden) {
        if (x.cols() != config.inputs())
            throw new IllegalArgumentException("MLP with " + config.inputs() + " inputs given "
                    + java.util.Arrays.toString(x.shape()));
        Tensor h = x;
        for (int l = 0; l < upTo; l++) {
            h = layers[l].forward(tape, h);
            if (hidden != null && l < layers.length - 1) hidden[l] = h;
        }
        return h;
    }

    /** The flat-buffer range holding linear layers 1..j (j = 0: empty, j = L: everything). */
    @Override
    public ParamRange layersRange(int j) {
        if (j < 0 || j > layers.length)
            throw new IllegalArgumentException("layers 1.." + j + " of an MLP with " + layers.length + " layers");
        if (j == 0) return new ParamRange(0, 0);
        return new ParamRange(0, params.entry("layers." + (j - 1) + ".bias").range().to());
    }

    @Override
    public MlpConfig config() {
        return config;
    }

    @Override
    public Parameters parameters() {
        return params;
    }

    /** Number of linear layers L. */
    public int layerCount() {
        return layers.length;
    }

    @Override
    public void close() {
        params.close();
    }
}
