// The memory behind a tensor and its views: a data span, a gradient span in the same layout, and its state.
package curex.engine.tensor;

import curex.kernels.Backend;
import curex.kernels.Span;

/** Shared by a tensor and all views of it, so that a view's gradient is the same view of the base's gradient. */
final class Storage {

    /** What the gradient span holds. */
    enum GradState {
        /** A leaf's gradient (a parameter's, a user's input): always valid, contributions accumulate. */
        LEAF,
        /** An activation's gradient before any contribution in this backward pass: contents are garbage. */
        STALE,
        /** An activation's gradient after its first contribution: contributions accumulate. */
        LIVE
    }

    final Span data;
    Span grad;                 // same length as data; null until needed (leaves, pooled activations) or untracked
    GradState state;
    private final GradientSource source;   // where an activation's gradient comes from, or null
    private boolean released;  // an activation's gradient went back to its source: it must not be read again
    boolean frozen;            // a parameter a step does not train: it then requires no gradient
    private final boolean owned;   // whether close() frees data (and a grad allocated here)

    Storage(Span data, Span grad, GradState state, boolean owned) {
        this(data, grad, state, owned, null);
    }

    /** An activation whose gradient {@code source} supplies at its first contribution. */
    Storage(Span data, GradientSource source) {
        this(data, null, GradState.STALE, false, source);
    }

    private Storage(Span data, Span grad, GradState state, boolean owned, GradientSource source) {
        if ((grad != null || source != null) && data.dtype() != curex.kernels.DType.F32)
            throw new IllegalArgumentException("only float tensors carry gradients");
        if (grad != null && grad.length() != data.length())
            throw new IllegalArgumentException("gradient span of " + grad.length() + " elements for data of "
                    + data.length());
        this.data = data;
        this.grad = grad;
        this.state = state;
        this.owned = owned;
        this.source = source;
    }

    Backend backend() {
        return data.buffer().backend();
    }

    /** The gradient span: allocated zero-filled on first use for a leaf, taken from its source for an activation. */
    Span grad() {
        if (grad == null) {
            if (released)
                throw new IllegalStateException("an activation's gradient is released once the backward of the op "
                        + "that made it has run");
            if (source != null) grad = source.take(data.length());
            else if (state == GradState.LEAF) grad = backend().allocate(data.length()).all();
            else throw new IllegalStateException("tensor has no gradient span");
        }
        return grad;
    }

    /** Gives an activation's gradient back to its source, for good (a no-op when it has none). */
    void releaseGrad() {
        if (source == null || grad == null) return;
        source.give(grad);
        grad = null;
        released = true;
    }

    /** Makes the gradient ready for accumulation: zero-fills it if it holds stale values. */
    void makeLive() {
        if (state == GradState.STALE) {
            backend().fill(grad(), 0f);
            state = GradState.LIVE;
        }
    }

    void close() {
        if (owned) {
            data.buffer().close();
            if (grad != null) grad.buffer().close();
        }
    }
}
