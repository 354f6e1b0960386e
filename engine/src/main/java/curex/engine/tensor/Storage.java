// The memory behind a tensor and its views: a data span, a gradient span in the same layout, and its state.
package curex.engine.tensor;

import curex.kernels.Backend;
import curex.kernels.Buffer;
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
    Span grad;                 // same length as data; null until needed (leaves) or when no gradient is tracked
    GradState state;
    boolean frozen;            // a parameter a step does not train: it then requires no gradient
    private final boolean owned;   // whether close() frees data (and a grad allocated here)

    Storage(Span data, Span grad, GradState state, boolean owned) {
        if (grad != null && data.dtype() != curex.kernels.DType.F32)
            throw new IllegalArgumentException("only float tensors carry gradients");
        if (grad != null && grad.length() != data.length())
            throw new IllegalArgumentException("gradient span of " + grad.length() + " elements for data of "
                    + data.length());
        this.data = data;
        this.grad = grad;
        this.state = state;
        this.owned = owned;
    }

    Backend backend() {
        return data.buffer().backend();
    }

    /** The gradient span, allocated zero-filled on first use for a leaf. */
    Span grad() {
        if (grad == null) {
            if (state != GradState.LEAF) throw new IllegalStateException("tensor has no gradient span");
            Buffer g = backend().allocate(data.length());
            grad = g.all();
        }
        return grad;
    }

    /** Makes the gradient ready for accumulation: zero-fills it if it holds stale values. */
    void makeLive() {
        if (state == GradState.STALE) {
            backend().fill(grad, 0f);
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
