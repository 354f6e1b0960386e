// The GELU activation (tanh form) as a module.
package curex.engine.nn;

import curex.engine.autograd.Ops;
import curex.engine.autograd.Tape;
import curex.engine.tensor.Tensor;

/** GELU, tanh approximation. Inside an {@link Mlp} it is fused into the preceding {@link Linear} instead. */
public final class GELU implements Module {
    @Override
    public Tensor forward(Tape tape, Tensor x) {
        return Ops.gelu(tape, x);
    }
}
