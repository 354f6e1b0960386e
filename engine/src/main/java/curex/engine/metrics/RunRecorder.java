// Records any run as it goes: metrics lines, stage summaries, evaluations, step checkpoints and the progress display.
package curex.engine.metrics;

import curex.engine.train.EvalResult;
import curex.engine.train.StepResult;
import curex.engine.train.TrainState;
import curex.engine.train.TrainingListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Writes to metrics.jsonl (when given one) a {@code train} record every {@code logEvery} steps, an {@code eval}
 * record after each evaluation and a {@code stage} record when a stage ends (every record with {@code step},
 * {@code samples}, {@code train_flops}, {@code teacher_flops}, {@code wall_seconds}, as the report's curves read them);
 * saves a checkpoint every {@code checkpointEvery} steps and after the last step through a {@link Checkpointer} (after
 * an interrupted step even when {@code checkpointEvery} is 0, so that the run can be resumed); feeds
 * the progress display (may be null), with a line per finished stage when {@code stageMessages}. Keeps the evaluations
 * and stage summaries for the run's {@link RunSummary}; a resumed run first {@link #replay}s the records it kept.
 * Steps are grouped into stages by the stage name their results carry (a progressive stage changes name with its
 * teacher). I/O failures surface as {@link UncheckedIOException}.
 */
public final class RunRecorder implements TrainingListener {
    /** Saves the model (and what resuming needs) as of state {@code s}. */
    @FunctionalInterface
    public interface Checkpointer {
        void save(TrainState s) throws IOException;
    }

    private final MetricsLog metrics;
    private final Progress progress;
    private final boolean stageMessages;
    private final long logEvery;
    private final Checkpointer checkpointer;
    private final long checkpointEvery;
    private final LongSupplier storage;
    private final List<EvalPoint> evals = new ArrayList<>();
    private final List<StageSummary> stages = new ArrayList<>();
    private Segment segment;
    private long lastCheckpointStep = -1;
    private StopReason stopReason;

    /**
     * @param metrics      null, or the log to append to
     * @param checkpointer null, or saves checkpoints every {@code checkpointEvery} steps (0: none) and at the end
     * @param storage      the bytes of teacher files read so far, recorded with each evaluation
     */
    public RunRecorder(MetricsLog metrics, Progress progress, boolean stageMessages, long logEvery,
                       Checkpointer checkpointer, long checkpointEvery, LongSupplier storage) {
        this.metrics = metrics;
        this.progress = progress;
        this.stageMessages = stageMessages;
        this.logEvery = Math.max(1, logEvery);
        this.checkpointer = checkpointer;
        this.checkpointEvery = checkpointEvery;
        this.storage = storage;
    }

    /**
     * Takes back the evaluations and stages of the records an interrupted run kept (metrics.jsonl). A stage recorded up
     * to the step the run resumes at continues, when the next step trains it, as one stage.
     */
    public void replay(List<Map<String, Object>> records) {
        for (Map<String, Object> r : records) {
            if ("eval".equals(r.get("kind"))) evals.add(EvalPoint.fromRecord(r));
            else if ("stage".equals(r.get("kind"))) {
                StageSummary st = StageSummary.fromRecord(r);
                StageSummary last = stages.isEmpty() ? null : stages.getLast();
                if (last != null && last.name().equals(st.name()) && last.startStep() == st.startStep())
                    stages.removeLast();      // a stage recorded again after a resume continued it
                stages.add(st);
            }
        }
    }

    @Override
    public void onStep(StepResult r, TrainState s) {
        if (progress != null) progress.update(s.step(), r.loss(), Double.NaN);
        String name = r.stage();
        if (name != null && (segment == null || !segment.name.equals(name))) {
            closeSegment();
            StageSummary last = stages.isEmpty() ? null : stages.getLast();
            if (last != null && last.name().equals(name) && last.startStep() + last.steps() == r.step()) {
                stages.removeLast();          // the stage a resumed run was stopped in goes on
                segment = Segment.continuing(last);
            } else {
                segment = new Segment(name, r.step());
            }
        }
        if (segment != null) segment.add(r.loss());
        if (s.step() % logEvery == 0) {
            Map<String, Object> rec = record("train", s, name);
            rec.put("loss", r.loss());
            rec.put("lr", r.lr());
            if (!Float.isNaN(r.gradNorm())) rec.put("grad_norm", r.gradNorm());
            log(rec);
        }
        if (checkpointer != null && checkpointEvery > 0 && s.step() % checkpointEvery == 0) checkpoint(s);
    }

    /** Logs the decision that ended a stage and keeps it with the stage's summary. */
    @Override
    public void onStageEnd(Map<String, Object> decision, TrainState s) {
        Map<String, Object> rec = record("stage_end", s, String.valueOf(decision.get("stage")));
        decision.forEach((k, v) -> {
            if (!k.equals("stage")) rec.put(k, v);
        });
        log(rec);
        if (segment != null) segment.end = new LinkedHashMap<>(decision);
    }

    @Override
    public void onEvaluation(EvalResult e, TrainState s, String stage) {
        EvalPoint p = new EvalPoint(s.step(), s.samples(), e.accuracy(), e.loss(), s.flops(), s.teacherFlops(),
                storage.getAsLong(), stage);
        evals.add(p);
        if (progress != null) progress.update(s.step(), Double.NaN, e.accuracy());
        Map<String, Object> rec = record("eval", s, stage);
        rec.put("accuracy", e.accuracy());
        rec.put("loss", e.loss());
        rec.put("storage_bytes", p.storageBytes());
        log(rec);
    }

    @Override
    public void onEnd(TrainState s, StopReason reason) {
        stopReason = reason;
        closeSegment();
        boolean wanted = checkpointEvery > 0 || reason == StopReason.INTERRUPTED;
        if (checkpointer != null && wanted && lastCheckpointStep != s.step() && s.step() > 0) checkpoint(s);
    }

    private void closeSegment() {
        if (segment == null) return;
        StageSummary st = segment.summary();
        segment = null;
        stages.add(st);
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("kind", "stage");
        rec.putAll(st.toMap());
        log(rec);
        if (stageMessages && progress != null)
            progress.message("stage " + st.name() + ": " + st.steps() + " steps, loss "
                    + (st.steps() <= StageSummary.WINDOW   // one window: its first and last are the same steps
                    ? String.format(Locale.ROOT, "%.4g (mean of its steps)", st.firstLoss())
                    : String.format(Locale.ROOT, "%.4g -> %.4g (means of its first and last %d steps)", st.firstLoss(),
                    st.finalLoss(), StageSummary.WINDOW))
                    + (st.end() == null ? "" : ", ended by " + st.end().get("rule")
                    + (st.end().get("trigger") instanceof String t ? " (" + t + ")" : "")));
    }

    private void checkpoint(TrainState s) {
        try {
            checkpointer.save(s);
            lastCheckpointStep = s.step();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> record(String kind, TrainState s, String stage) {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("kind", kind);
        rec.put("step", s.step());
        rec.put("samples", s.samples());
        rec.put("train_flops", s.flops());
        rec.put("teacher_flops", s.teacherFlops());
        rec.put("wall_seconds", s.wallNanos() / 1e9);
        if (stage != null) rec.put("stage", stage);
        return rec;
    }

    private void log(Map<String, Object> rec) {
        if (metrics == null) return;
        try {
            metrics.log(rec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every evaluation so far, the replayed ones first. */
    public List<EvalPoint> evals() {
        return List.copyOf(evals);
    }

    /** Every finished stage so far, the replayed ones first. */
    public List<StageSummary> stages() {
        return List.copyOf(stages);
    }

    /** The first evaluation reaching {@code target}, or null. */
    public EvalPoint firstReaching(double target) {
        return evals.stream().filter(p -> p.accuracy() >= target).findFirst().orElse(null);
    }

    public double bestAccuracy() {
        return evals.stream().mapToDouble(EvalPoint::accuracy).filter(Double::isFinite).max().orElse(Double.NaN);
    }

    public double lastAccuracy() {
        return evals.isEmpty() ? Double.NaN : evals.getLast().accuracy();
    }

    public double lastEvalLoss() {
        return evals.isEmpty() ? Double.NaN : evals.getLast().loss();
    }

    /** Why the loop ended; null before it has. */
    public StopReason stopReason() {
        return stopReason;
    }

    /** Losses of the steps of one stage: the first and the last {@link StageSummary#WINDOW} kept. */
    private static final class Segment {
        final String name;
        final long start;
        long steps;
        double firstSum;
        final float[] last = new float[StageSummary.WINDOW];
        long added;                     // losses added in this process (a resumed stage's earlier ones are not here)
        double earlierFinal = Double.NaN;
        Map<String, Object> end;

        Segment(String name, long start) {
            this.name = name;
            this.start = start;
        }

        /** The stage an interrupted run was in, to continue after its recorded steps. */
        static Segment continuing(StageSummary s) {
            Segment g = new Segment(s.name(), s.startStep());
            g.steps = s.steps();
            g.firstSum = s.firstLoss() * Math.min(s.steps(), StageSummary.WINDOW);
            g.earlierFinal = s.finalLoss();
            return g;
        }

        void add(float loss) {
            if (steps < StageSummary.WINDOW) firstSum += loss;
            last[(int) (added % StageSummary.WINDOW)] = loss;
            steps++;
            added++;
        }

        StageSummary summary() {
            int first = (int) Math.min(steps, StageSummary.WINDOW), n = (int) Math.min(added, StageSummary.WINDOW);
            double lastSum = 0;
            for (int i = 0; i < n; i++) lastSum += last[i];
            return new StageSummary(name, start, steps, first == 0 ? Double.NaN : firstSum / first,
                    n == 0 ? earlierFinal : lastSum / n, end);
        }
    }
}
