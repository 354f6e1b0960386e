// Raised when a step's loss or gradient norm is NaN or infinite; parameters keep their last good values.
package curex.engine.train;

/**
 * Training diverged. Thrown before the optimizer touches the parameters, so they (and any checkpoint written
 * earlier) hold the last good state.
 */
public final class NonFiniteLossException extends RuntimeException {
    private final long step;

    public NonFiniteLossException(long step, String what, float value, String lastGood) {
        super("training diverged at step " + step + ": " + what + " is " + value + " (" + lastGood
                + "); parameters keep their values from before this step");
        this.step = step;
    }

    public long step() {
        return step;
    }
}
