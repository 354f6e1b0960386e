// Feeds a progress display from a distillation run's steps and evaluations, without the per-stage messages.
package curex.engine.compare;

import curex.engine.distill.DistillListener;
import curex.engine.distill.EvalPoint;
import curex.engine.metrics.Progress;
import curex.engine.train.StepResult;
import curex.engine.train.TrainState;

/** Used by comparisons, whose progressive runs would otherwise print a line per teacher checkpoint. */
final class ProgressFeed implements DistillListener {
    private final Progress progress;

    ProgressFeed(Progress progress) {
        this.progress = progress;
    }

    @Override
    public void onStep(StepResult result, TrainState state, String stage) {
        progress.update(state.step(), result.loss(), Double.NaN);
    }

    @Override
    public void onEvaluation(EvalPoint point, TrainState state) {
        progress.update(state.step(), Double.NaN, point.accuracy());
    }
}
