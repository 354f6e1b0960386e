// Training data as a pure function of the step: fills host arrays with batch `step`.
package curex.engine.train;

/** Fills {@code x} (batch, features) and {@code y} (batch) with training batch {@code step} of a fixed run. */
@FunctionalInterface
public interface BatchSource {
    void fill(long step, float[] x, float[] y);
}
