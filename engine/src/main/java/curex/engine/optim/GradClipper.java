// Global-norm gradient clipping over a flat gradient buffer (PyTorch's clip_grad_norm_).
package curex.engine.optim;

import curex.kernels.Backend;
import curex.kernels.Buffer;
import curex.kernels.Span;

/**
 * Measures {@code ||g||_2} with one reduction and, when it exceeds {@code maxNorm}, scales g by
 * {@code maxNorm / (norm + 1e-6)}. Reading the norm synchronises with the device once per call.
 */
public final class GradClipper implements AutoCloseable {
    private final Backend backend;
    private final float maxNorm;
    private final Buffer scratch;
    private final float[] host = new float[1];

    /** {@code maxNorm <= 0} or infinite: measure only, never scale. */
    public GradClipper(Backend backend, float maxNorm) {
        this.backend = backend;
        this.maxNorm = maxNorm;
        this.scratch = backend.allocate(1);
    }

    /** The global L2 norm of {@code grads}. */
    public float norm(Span grads) {
        backend.sumOfSquares(grads, scratch.all());
        backend.copyToHost(scratch.all(), host, 0);
        return (float) Math.sqrt(host[0]);
    }

    /** Clips in place; returns the norm before clipping (NaN/Inf passed through unscaled). */
    public float clip(Span grads) {
        float norm = norm(grads);
        if (maxNorm > 0 && Float.isFinite(maxNorm) && Float.isFinite(norm) && norm > maxNorm)
            backend.scale((float) (maxNorm / (norm + 1e-6)), grads, grads);
        return norm;
    }

    public float maxNorm() {
        return maxNorm;
    }

    @Override
    public void close() {
        scratch.close();
    }
}
