// Where an activation takes its gradient span at its first contribution, and gives it back once it has been read.
package curex.engine.tensor;

import curex.kernels.Span;

/**
 * A tape's supply of activation gradients. An activation's gradient is taken at its first contribution in the
 * backward pass, not when the forward makes the activation, and given back once the op that made the activation has
 * read it; the source can then hand the same memory to the next gradient of that length while it is still in cache.
 */
public interface GradientSource {
    /** A span of {@code length} floats; its contents are whatever the memory held last. */
    Span take(long length);

    /** Takes back a span from {@link #take} that nothing will read again in this pass. */
    void give(Span span);
}
