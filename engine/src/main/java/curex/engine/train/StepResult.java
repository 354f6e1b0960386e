// What one training step reports: loss, gradient norm before clipping, learning rate.
package curex.engine.train;

/** Result of {@link TrainStep#run}; {@code gradNorm} is NaN when clipping is off. */
public record StepResult(long step, float loss, float gradNorm, float lr) {
}
