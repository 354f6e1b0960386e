// Callbacks from the training loop: metrics, checkpoints, progress; the loop itself knows no file formats.
package curex.engine.train;

/** All methods are optional. Called on the training thread. */
public interface TrainingListener {

    /** After each step; {@code state} already counts it (teacher FLOPs included). */
    default void onStep(StepResult result, TrainState state) {
    }

    /** After each evaluation (before the first step of a fresh run, every N steps, at the end). */
    default void onEvaluation(EvalResult result, TrainState state, String stage) {
    }

    /** After the step whose end rule ended a stage: {@link Objective#takeStageEnd()}'s record. */
    default void onStageEnd(java.util.Map<String, Object> decision, TrainState state) {
    }

    /** Once, when the loop ends normally (not on divergence, which throws). */
    default void onEnd(TrainState state, StopReason reason) {
    }

    /** Why the loop ended. */
    enum StopReason {
        MAX_STEPS, TARGET_REACHED, INTERRUPTED;

        /** "max_steps", "target_reached", "interrupted", as summaries record it. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
