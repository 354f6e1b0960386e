// The ReLU activation as a module.
package curex.engine.nn;

import curex.engine.autograd.Ops;
import curex.engine.autograd.Tape;
import curex.engine.tensor.Tensor;

/** {@code max(x, 0)}. Inside an {@link Mlp} it is fused into the preceding {@link Linear} instead. */
public final class ReLU implements Module {
    @Override
    public Tensor forward(Tape tape, Tensor x) {
        return Ops.relu(tape, x);
    }
}
