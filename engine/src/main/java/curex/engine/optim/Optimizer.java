// An optimizer over a model's flat parameter buffer, steppable on a contiguous sub-range.
package curex.engine.optim;

import curex.engine.nn.ParamRange;
import curex.engine.nn.Parameters;

/**
 * Updates {@link Parameters} in place from their gradients with one kernel call per step (state buffers share
 * the parameters' layout). {@link #step(float, ParamRange)} updates only a range aligned to whole named tensors,
 * e.g. the prefix of layers 1..j during a projection stage.
 */
public interface Optimizer extends AutoCloseable {

    Parameters parameters();

    /** One update of every parameter with learning rate {@code lr}. */
    default void step(float lr) {
        step(lr, parameters().all());
    }

    /** One update of the parameters in {@code range} (whole named tensors) with learning rate {@code lr}. */
    void step(float lr, ParamRange range);

    /** Clears all state (moments, velocities, step counts), as a freshly made optimizer. */
    void reset();

    /** A host copy of the state, for checkpoints and resume. */
    OptimizerState exportState();

    /** Restores state made by {@link #exportState()} of an optimizer of the same kind and layout. */
    void importState(OptimizerState state);

    @Override
    void close();
}
