// What one training step reports: loss, gradient norm before clipping, learning rate and the stage it trained.
package curex.engine.train;

/** Result of {@link TrainStep#run}; {@code gradNorm} is NaN when clipping is off; {@code stage} null when unstaged. */
public record StepResult(long step, float loss, float gradNorm, float lr, String stage) {

    /** The same result, labelled with the stage that trained it. */
    public StepResult inStage(String name) {
        return new StepResult(step, loss, gradNorm, lr, name);
    }
}
