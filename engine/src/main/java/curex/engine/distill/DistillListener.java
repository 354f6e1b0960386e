// Callbacks from a distillation run: steps, evaluations, stage ends and the final result (metrics, progress, files).
package curex.engine.distill;

import curex.engine.nn.Mlp;
import curex.engine.train.StepResult;
import curex.engine.train.TrainState;

import java.io.IOException;

/** All optional; called on the training thread. {@code stage} is the name of the stage the step trained. */
public interface DistillListener {

    /** After each step; {@code state} already counts it (teacher FLOPs included). */
    default void onStep(StepResult result, TrainState state, String stage) {
    }

    /** After each evaluation, including the one before the first step. */
    default void onEvaluation(EvalPoint point, TrainState state) {
    }

    /** When a stage (or a progressive teacher's span) ends, including the last one at the end of the run. */
    default void onStageEnd(StageSummary stage) {
    }

    /** Once at the end, with the student as trained (still open). */
    default void onFinish(DistillResult result, Mlp student) throws IOException {
    }
}
