// The training loop: steps with an LR schedule, periodic evaluation, listeners, FLOP and wall-time accounting.
package curex.engine.train;

import curex.engine.flops.FlopCounter;
import curex.engine.nn.ParamRange;
import curex.engine.optim.LrSchedule;
import curex.engine.optim.Optimizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Runs {@link TrainStep}s from a start state to {@code maxSteps}: sample -> forward -> loss -> backward -> clip ->
 * update, evaluating every {@code evalEvery} steps and at the end. Optionally stops once an evaluation reaches a
 * target accuracy. A divergence raises {@link NonFiniteLossException} (parameters untouched at that step).
 *
 * <pre>
 * Trainer t = new Trainer(step, objective, LrSchedule.constant(1e-3f), 10_000)
 *         .evaluateEvery(500, evaluator).listener(metrics);
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
    private FlopCounter teacherFlops;
    private LongFunction<List<ParamGroup>> trainable;
    private volatile boolean stopRequested;

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

    /** The teacher's counter (a separate context), reported in {@link TrainState#teacherFlops()}. */
    public Trainer teacherFlops(FlopCounter counter) {
        this.teacherFlops = counter;
        return this;
    }

    /** Which range of the optimizer's parameters step s updates (default: all), e.g. layers 1..j in a stage. */
    public Trainer trainable(LongFunction<ParamRange> rangeOfStep) {
        Optimizer opt = trainStep.optimizer();
        this.trainable = s -> List.of(new ParamGroup(opt, rangeOfStep.apply(s)));
        return this;
    }

    /** Which groups (optimizer + range) step s updates, e.g. the student's layers 1..j and stage j's adapter. */
    public Trainer trainableGroups(LongFunction<List<ParamGroup>> groupsOfStep) {
        this.trainable = groupsOfStep;
        return this;
    }

    public Trainer listener(TrainingListener l) {
        listeners.add(l);
        return this;
    }

    /** Ends the loop after the current step (from a listener or another thread). */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Runs from {@code start} (a fresh run: {@link TrainState#start()}; a resumed one: the saved state, with model
     * and optimizer restored by the caller). FLOP counters are set to the start state's values.
     */
    public TrainState run(TrainState start) {
        FlopCounter flops = trainStep.ctx().flops();
        flops.restore(start.flops());
        if (teacherFlops != null) teacherFlops.restore(start.teacherFlops());
        TrainState state = start;
        stopRequested = false;
        if (evalAtStart && evaluator != null && state.step() == 0 && evaluate(state)) return end(state, TrainingListener.StopReason.TARGET_REACHED);
        TrainingListener.StopReason reason = TrainingListener.StopReason.MAX_STEPS;
        while (state.step() < maxSteps) {
            long s = state.step();
            long t0 = System.nanoTime();
            StepResult r = trainable == null ? trainStep.run(objective, s, schedule.at(s))
                    : trainStep.run(objective, s, schedule.at(s), trainable.apply(s));
            long dt = System.nanoTime() - t0;
            state = new TrainState(s + 1, state.samples() + objective.batchSize(), flops.total(),
                    teacherFlops == null ? 0 : teacherFlops.total(), state.wallNanos() + dt);
            for (TrainingListener l : listeners) l.onStep(r, state);
            boolean due = evaluator != null && (state.step() % evalEvery == 0 || state.step() == maxSteps);
            if (due && evaluate(state)) {
                reason = TrainingListener.StopReason.TARGET_REACHED;
                break;
            }
            if (stopRequested) {
                reason = TrainingListener.StopReason.STOP_REQUESTED;
                break;
            }
        }
        return end(state, reason);
    }

    /** Evaluates and notifies; true when the target accuracy is reached. */
    private boolean evaluate(TrainState state) {
        EvalResult e = evaluator.evaluate();
        for (TrainingListener l : listeners) l.onEvaluation(e, state);
        return !Double.isNaN(targetAccuracy) && e.accuracy() >= targetAccuracy;
    }

    private TrainState end(TrainState state, TrainingListener.StopReason reason) {
        for (TrainingListener l : listeners) l.onEnd(state, reason);
        return state;
    }
}
