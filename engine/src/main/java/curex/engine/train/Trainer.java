// The training loop: steps with an LR schedule, periodic evaluation, listeners, FLOP and wall-time accounting.
package curex.engine.train;

import curex.engine.flops.FlopCounter;
import curex.engine.optim.LrSchedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link TrainStep}s from a start state to {@code maxSteps}: sample -> forward -> loss -> backward -> clip ->
 * update, evaluating every {@code evalEvery} steps and at the end. Each step trains what the {@link Objective} says
 * (its stage's parameter groups, or everything) and reports the stage it trained. Optionally stops once an evaluation
 * reaches a target accuracy, or after the step in progress when a {@link StopSignal} is raised. A divergence raises
 * {@link DivergenceException} (parameters untouched at that step).
 *
 * <pre>
 * Trainer t = new Trainer(step, objective, LrSchedule.constant(1e-3f), 10_000)
 *         .evaluateEvery(500, evaluator).listener(recorder);
 * TrainState end = t.run(TrainState.start());
 * </pre>
 */
public final class Trainer {
    private final TrainStep trainStep;
    private final Objective objective;
    private final LrSchedule schedule;
    private final long maxSteps;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private Evaluator evaluator;
    private long evalEvery;
    private boolean evalAtStart;
    private double targetAccuracy = Double.NaN;
    private StopSignal stop = new StopSignal();

    public Trainer(TrainStep trainStep, Objective objective, LrSchedule schedule, long maxSteps) {
        if (maxSteps < 0) throw new IllegalArgumentException("maxSteps must be >= 0, got " + maxSteps);
        this.trainStep = trainStep;
        this.objective = objective;
        this.schedule = schedule;
        this.maxSteps = maxSteps;
    }

    /** Evaluate every {@code every} steps (and after the last step). */
    public Trainer evaluateEvery(long every, Evaluator evaluator) {
        if (every < 1) throw new IllegalArgumentException("evaluation interval must be >= 1, got " + every);
        this.evalEvery = every;
        this.evaluator = evaluator;
        return this;
    }

    /** Also evaluate before the first step (a fresh run's step-0 point). */
    public Trainer evaluateAtStart(boolean on) {
        this.evalAtStart = on;
        return this;
    }

    /** Stop after the first evaluation whose accuracy reaches {@code accuracy}. */
    public Trainer stopAtAccuracy(double accuracy) {
        this.targetAccuracy = accuracy;
        return this;
    }

    /** Stop after the step in progress once {@code signal} is raised. */
    public Trainer stopOn(StopSignal signal) {
        this.stop = signal;
        return this;
    }

    public Trainer listener(TrainingListener l) {
        listeners.add(l);
        return this;
    }

    /**
     * Runs from {@code start} (a fresh run: {@link TrainState#start()}, or a start holding FLOPs already spent; a
     * resumed one: the saved state, with model and optimizer restored by the caller). FLOP counters are set to the
     * start state's values.
     */
    public TrainState run(TrainState start) {
        FlopCounter flops = trainStep.ctx().flops();
        FlopCounter teacherFlops = objective.teacherFlops();
        flops.restore(start.flops());
        if (teacherFlops != null) teacherFlops.restore(start.teacherFlops());
        TrainState state = start;
        if (evalAtStart && evaluator != null && state.step() == 0 && evaluate(state, objective.stage(0)))
            return end(state, TrainingListener.StopReason.TARGET_REACHED);
        TrainingListener.StopReason reason = TrainingListener.StopReason.MAX_STEPS;
        while (state.step() < maxSteps) {
            if (stop.requested()) {
                reason = TrainingListener.StopReason.INTERRUPTED;
                break;
            }
            long s = state.step();
            String stage = objective.stage(s);
            List<ParamGroup> groups = objective.trainable(s);
            long t0 = System.nanoTime();
            StepResult r = (groups == null ? trainStep.run(objective, s, schedule.at(s))
                    : trainStep.run(objective, s, schedule.at(s), groups)).inStage(stage);
            long dt = System.nanoTime() - t0;
            state = new TrainState(s + 1, state.samples() + objective.batchSize(), flops.total(),
                    teacherFlops == null ? 0 : teacherFlops.total(), state.wallNanos() + dt);
            objective.afterStep(state.step(), r.loss());
            for (TrainingListener l : listeners) l.onStep(r, state);
            Map<String, Object> stageEnd = objective.takeStageEnd();
            if (stageEnd != null) for (TrainingListener l : listeners) l.onStageEnd(stageEnd, state);
            boolean due = evaluator != null && (state.step() % evalEvery == 0 || state.step() == maxSteps);
            if (due && evaluate(state, stage)) {
                reason = TrainingListener.StopReason.TARGET_REACHED;
                break;
            }
        }
        return end(state, reason);
    }

    /** Evaluates and notifies; true when the target accuracy is reached. */
    private boolean evaluate(TrainState state, String stage) {
        EvalResult e = evaluator.evaluate();
        for (TrainingListener l : listeners) l.onEvaluation(e, state, stage);
        return !Double.isNaN(targetAccuracy) && e.accuracy() >= targetAccuracy;
    }

    private TrainState end(TrainState state, TrainingListener.StopReason reason) {
        for (TrainingListener l : listeners) l.onEnd(state, reason);
        return state;
    }
}
