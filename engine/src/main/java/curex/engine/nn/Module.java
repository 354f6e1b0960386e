// A layer that maps a tensor to a tensor on a tape.
package curex.engine.nn;

import curex.engine.autograd.Tape;
import curex.engine.tensor.Tensor;

/** Anything with a differentiable forward. */
public interface Module {
    Tensor forward(Tape tape, Tensor x);
}
