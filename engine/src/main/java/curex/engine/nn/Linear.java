// A fully connected layer y = x W^T + b over views of a model's flat parameters, optionally with its activation.
package curex.engine.nn;

import curex.engine.autograd.Activation;
import curex.engine.autograd.MatMul;
import curex.engine.autograd.Tape;
import curex.engine.tensor.Tensor;
import curex.kernels.CounterRng;

/**
 * Linear layer with weight (out, in) and bias (out) as PyTorch names and stores them ({@code prefix.weight},
 * {@code prefix.bias}). Declare it with {@link #declare} before building the {@link Parameters}, then bind.
 */
public final class Linear implements Module {
    private final Tensor weight;   // (out, in)
    private final Tensor bias;     // (out)
    private final Activation activation;

    public Linear(Parameters params, String prefix, Activation activation) {
        this.weight = params.get(prefix + ".weight");
        this.bias = params.get(prefix + ".bias");
        this.activation = activation;
    }

    /** Adds {@code prefix.weight} (out, in) and {@code prefix.bias} (out) to a layout. */
    public static void declare(Parameters.Builder b, String prefix, int in, int out) {
        b.add(prefix + ".weight", out, in).add(prefix + ".bias", out);
    }

    /** PyTorch's default init: weight and bias uniform in +-1/sqrt(in), from {@code seed} (any backend alike). */
    public void initialize(long seed) {
        float bound = (float) (1.0 / Math.sqrt(in()));
        weight.backend().fillUniform(weight.span(), -bound, bound, CounterRng.bits(seed, 0));
        bias.backend().fillUniform(bias.span(), -bound, bound, CounterRng.bits(seed, 1));
    }

    /** BERT's init: weight N(0, std) from {@code seed}, bias 0 (any backend alike). */
    public void initializeNormal(long seed, float std) {
        weight.backend().fillNormal(weight.span(), 0f, std, seed);
        bias.backend().fill(bias.span(), 0f);
    }

    /** {@code act(x W^T + b)}: x (..., in) -> (..., out). */
    @Override
    public Tensor forward(Tape tape, Tensor x) {
        return MatMul.linear(tape, x, weight, bias, activation);
    }

    public int in() {
        return weight.dim(1);
    }

    public int out() {
        return weight.dim(0);
    }

    public Activation activation() {
        return activation;
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }
}
