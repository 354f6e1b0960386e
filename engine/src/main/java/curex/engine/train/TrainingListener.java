// Callbacks from the training loop: metrics, checkpoints, progress; the loop itself knows no file formats.
package curex.engine.train;

/** All methods are optional. Called on the training thread. */
public interface TrainingListener {

    /** After each step; {@code state} already counts it. */
    default void onStep(StepResult result, TrainState state) {
    }

    /** After each evaluation (every N steps, and at the end). */
    default void onEvaluation(EvalResult result, TrainState state) {
    }

    /** Once, when the loop ends normally (not on divergence, which throws). */
    default void onEnd(TrainState state, StopReason reason) {
    }

    /** Why the loop ended. */
    enum StopReason { MAX_STEPS, TARGET_REACHED, STOP_REQUESTED }
}
