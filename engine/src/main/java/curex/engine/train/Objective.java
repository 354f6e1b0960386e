// What a training step minimises: the forward pass and loss of one step, built on the step's tape.
package curex.engine.train;

import curex.engine.autograd.Tape;
import curex.engine.tensor.Tensor;

/**
 * Builds step {@code step}'s loss on {@code tape}: sample the batch (a pure function of the run's seed and the step,
 * so a resumed run sees the same data), run the forward pass(es), return a scalar loss. A distillation objective
 * also runs its teacher here, on a no-grad tape of its own (own arena, own FLOP counter).
 */
public interface Objective {

    Tensor loss(Tape tape, long step);

    /** Samples per step, for the samples-seen count. */
    int batchSize();
}
