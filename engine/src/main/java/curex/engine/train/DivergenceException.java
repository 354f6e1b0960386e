// Raised when training diverges: a loss or gradient norm that is NaN or infinite, or a loss that exploded.
package curex.engine.train;

/**
 * Training diverged. Thrown before the optimizer touches the parameters, so they (and any checkpoint written
 * earlier) hold the last good state.
 */
public final class DivergenceException extends RuntimeException {
    private final long step;

    public DivergenceException(long step, String what, String lastGood) {
        super("training diverged at step " + step + ": " + what + " (" + lastGood
                + "); parameters keep their values from before this step; a lower --lr or --clip usually helps");
        this.step = step;
    }

    public long step() {
        return step;
    }
}
