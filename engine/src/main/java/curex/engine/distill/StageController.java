// Drives a run's stages inside the engine's training loop: delegates each step to the current stage, advances stages.
package curex.engine.distill;

import curex.engine.autograd.Tape;
import curex.engine.tensor.Tensor;
import curex.engine.train.EvalResult;
import curex.engine.train.Objective;
import curex.engine.train.ParamGroup;
import curex.engine.train.StepResult;
import curex.engine.train.TrainState;
import curex.engine.train.TrainingListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@link Objective} and trainable groups the {@link curex.engine.train.Trainer} sees are those of the current
 * stage; as a {@link TrainingListener} it feeds each step's loss to the stage's end rule and moves to the next stage
 * (freeing the finished stage's adapter and target). Steps are grouped into summaries by stage label (a progressive
 * stage changes label with its teacher), and evaluations are recorded as {@link EvalPoint}s.
 */
final class StageController implements Objective, TrainingListener, AutoCloseable {
    private final List<Stage> stages;
    private final int batchSize;
    private final List<DistillListener> listeners;
    private final List<StageSummary> summaries = new ArrayList<>();
    private final List<EvalPoint> evals = new ArrayList<>();
    private int index;
    private long stageStart;
    private Segment segment;
    private String lastLabel;
    private StopReason stopReason;
    private boolean closed;

    StageController(List<Stage> stages, int batchSize, List<DistillListener> listeners) {
        if (stages.isEmpty()) throw new IllegalArgumentException("a run needs at least one stage");
        this.stages = List.copyOf(stages);
        this.batchSize = batchSize;
        this.listeners = listeners;
    }

    @Override
    public Tensor loss(Tape tape, long step) {
        return current().objective().loss(tape, step);
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    /** What step {@code step} trains: the current stage's groups. */
    List<ParamGroup> groups(long step) {
        return current().groups();
    }

    private Stage current() {
        return stages.get(index);
    }

    @Override
    public void onStep(StepResult r, TrainState state) {
        Stage st = current();
        String label = st.label().apply(r.step());
        if (segment == null || !segment.name.equals(label)) {
            closeSegment();
            segment = new Segment(label, r.step());
        }
        segment.add(r.loss());
        lastLabel = label;
        for (DistillListener l : listeners) l.onStep(r, state, label);
        if (index < stages.size() - 1 && st.end().done(state.step() - stageStart, r.loss())) {
            closeSegment();
            free(st);
            index++;
            stageStart = state.step();
        }
    }

    @Override
    public void onEvaluation(EvalResult e, TrainState state) {
        String label = lastLabel != null ? lastLabel : current().label().apply(state.step());
        EvalPoint p = new EvalPoint(state.step(), state.samples(), e.accuracy(), e.loss(), state.flops(),
                state.teacherFlops(), label);
        evals.add(p);
        for (DistillListener l : listeners) l.onEvaluation(p, state);
    }

    @Override
    public void onEnd(TrainState state, StopReason reason) {
        closeSegment();
        stopReason = reason;
    }

    private void closeSegment() {
        if (segment == null) return;
        StageSummary s = segment.summary();
        segment = null;
        summaries.add(s);
        for (DistillListener l : listeners) l.onStageEnd(s);
    }

    private static void free(Stage st) {
        RuntimeException failure = null;
        for (AutoCloseable c : st.resources()) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) failure = e instanceof RuntimeException re ? re : new IllegalStateException(e);
            }
        }
        if (failure != null) throw failure;
    }

    List<StageSummary> summaries() {
        return List.copyOf(summaries);
    }

    List<EvalPoint> evals() {
        return List.copyOf(evals);
    }

    /** "max_steps", "target_reached" or "stop_requested"; null before the end. */
    String stopReason() {
        return stopReason == null ? null : stopReason.name().toLowerCase(Locale.ROOT);
    }

    /** Frees the resources of every stage not yet finished. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (int i = index; i < stages.size(); i++) free(stages.get(i));
    }

    /** Losses of the steps of one stage label: the first and the last {@link StageSummary#WINDOW} kept. */
    private static final class Segment {
        final String name;
        final long start;
        long steps;
        double firstSum;
        final float[] last = new float[StageSummary.WINDOW];

        Segment(String name, long start) {
            this.name = name;
            this.start = start;
        }

        void add(float loss) {
            if (steps < StageSummary.WINDOW) firstSum += loss;
            last[(int) (steps % StageSummary.WINDOW)] = loss;
            steps++;
        }

        StageSummary summary() {
            int n = (int) Math.min(steps, StageSummary.WINDOW);
            double lastSum = 0;
            for (int i = 0; i < n; i++) lastSum += last[i];
            return new StageSummary(name, start, steps, n == 0 ? Double.NaN : firstSum / n,
                    n == 0 ? Double.NaN : lastSum / n);
        }
    }
}
