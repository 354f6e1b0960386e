// Where a run stands: steps done, samples seen, FLOPs spent, training wall time. Enough (with the model and the
// optimizer state) to resume bit for bit, since data and learning rates are functions of the step.
package curex.engine.train;

/**
 * Progress of a run after {@code step} completed steps. {@code flops} are the student's (forward + backward),
 * {@code teacherFlops} the teacher's forward passes; {@code wallNanos} counts training steps only, not evaluation.
 */
public record TrainState(long step, long samples, long flops, long teacherFlops, long wallNanos) {

    public static TrainState start() {
        return new TrainState(0, 0, 0, 0, 0);
    }
}
