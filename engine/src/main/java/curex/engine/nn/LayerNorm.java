// Layer normalisation over the last dimension with a learned gain and shift, over views of a model's parameters.
package curex.engine.nn;

import curex.engine.autograd.RowOps;
import curex.engine.autograd.Tape;
import curex.engine.tensor.Tensor;

/** {@code prefix.weight} (gain, init 1) and {@code prefix.bias} (shift, init 0), both (dim), as PyTorch names them. */
public final class LayerNorm implements Module {
    private final Tensor weight;   // (dim)
    private final Tensor bias;     // (dim)
    private final float eps;

    public LayerNorm(Parameters params, String prefix, float eps) {
        this.weight = params.get(prefix + ".weight");
        this.bias = params.get(prefix + ".bias");
        this.eps = eps;
    }

    /** Adds {@code prefix.weight} and {@code prefix.bias}, both (dim), to a layout. */
    public static void declare(Parameters.Builder b, String prefix, int dim) {
        b.add(prefix + ".weight", dim).add(prefix + ".bias", dim);
    }

    /** Gain 1, shift 0, as PyTorch and BERT initialise them. */
    public void initialize() {
        weight.backend().fill(weight.span(), 1f);
        bias.backend().fill(bias.span(), 0f);
    }

    /** x (..., dim) normalised per row. */
    @Override
    public Tensor forward(Tape tape, Tensor x) {
        return RowOps.layerNorm(tape, x, weight, bias, eps);
    }
}
