// A distillation run's objective: delegates each step to the current stage and moves to the next when it ends.
package curex.engine.distill;

import curex.engine.autograd.Tape;
import curex.engine.flops.FlopCounter;
import curex.engine.optim.OptimizerState;
import curex.engine.tensor.Tensor;
import curex.engine.train.Objective;
import curex.engine.train.ParamGroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The loss, stage name and trainable groups of a step are those of the current stage; after each step the stage's end
 * rule decides whether the next stage starts (the finished stage's adapter and target are freed then). Also reports
 * the run's teacher: its FLOP counter, the bytes of the teacher files read, and its name; closing frees the stages
 * not yet finished and the teachers.
 */
final class StageController implements Objective {
    private final List<Stage> stages;
    private final int batchSize;
    private final FlopCounter teacherFlops;
    private final LongSupplier storageBytes;
    private final String teacher;
    private final List<AutoCloseable> teachers;
    private int index;
    private long stageStart;
    private boolean closed;
    private Map<String, Object> ended;

    /**
     * @param teacherFlops null when no teacher runs
     * @param teachers     closed with the controller, after the stages
     */
    StageController(List<Stage> stages, int batchSize, FlopCounter teacherFlops, LongSupplier storageBytes,
                    String teacher, List<AutoCloseable> teachers) {
        if (stages.isEmpty()) throw new IllegalArgumentException("a run needs at least one stage");
        this.stages = List.copyOf(stages);
        this.batchSize = batchSize;
        this.teacherFlops = teacherFlops;
        this.storageBytes = storageBytes;
        this.teacher = teacher;
        this.teachers = new ArrayList<>(teachers);
    }

    private Stage current() {
        return stages.get(index);
    }

    @Override
    public Tensor loss(Tape tape, long step) {
        return current().objective().loss(tape, step);
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public String stage(long step) {
        return current().label().apply(step);
    }

    @Override
    public List<ParamGroup> trainable(long step) {
        return current().groups();
    }

    @Override
    public void afterStep(long stepsDone, float loss) {
        Stage st = current();
        if (index < stages.size() - 1 && st.end().done(stepsDone - stageStart, loss)) {
            Map<String, Object> end = new LinkedHashMap<>();
            end.put("stage", st.label().apply(stepsDone - 1));
            end.put("steps_in_stage", stepsDone - stageStart);
            end.putAll(st.end().reason());
            ended = end;
            free(st.resources());
            index++;
            stageStart = stepsDone;
        }
    }

    @Override
    public Map<String, Object> takeStageEnd() {
        Map<String, Object> e = ended;
        ended = null;
        return e;
    }

    /** The stage index, where it started, its end rule's state, and its adapter's weights and optimizer state. */
    @Override
    public State saveState() {
        Map<String, String> entries = new LinkedHashMap<>();
        Map<String, float[]> arrays = new LinkedHashMap<>();
        entries.put("stage.index", Integer.toString(index));
        entries.put("stage.start", Long.toString(stageStart));
        current().end().state().forEach((k, v) -> entries.put("stage.end." + k, v));
        Adapter a = current().adapter();
        if (a != null) {
            arrays.put("adapter.values", a.parameters().valuesToHost());
            OptimizerState os = a.optimizer().exportState();
            entries.put("adapter.optimizer.kind", os.kind());
            entries.put("adapter.optimizer.steps", java.util.Arrays.toString(os.steps()));
            os.buffers().forEach((k, v) -> arrays.put("adapter.optimizer." + k, v));
        }
        return new State(entries, arrays);
    }

    /** Moves to the saved stage (freeing the ones before it) and restores its end rule and adapter. */
    @Override
    public void restoreState(State state) {
        if (state.entries().isEmpty()) return;
        int target = Integer.parseInt(state.entry("stage.index"));
        if (target < index || target >= stages.size())
            throw new IllegalArgumentException("checkpoint is in stage " + target + " of a run with " + stages.size()
                    + " stages");
        while (index < target) free(stages.get(index++).resources());
        stageStart = Long.parseLong(state.entry("stage.start"));
        Map<String, String> end = new LinkedHashMap<>();
        state.entries().forEach((k, v) -> {
            if (k.startsWith("stage.end.")) end.put(k.substring("stage.end.".length()), v);
        });
        if (!end.isEmpty()) current().end().restore(end);
        Adapter a = current().adapter();
        if (a != null) {
            a.parameters().loadValues(state.array("adapter.values"));
            Map<String, float[]> buffers = new LinkedHashMap<>();
            state.arrays().forEach((k, v) -> {
                if (k.startsWith("adapter.optimizer.")) buffers.put(k.substring("adapter.optimizer.".length()), v);
            });
            String steps = state.entry("adapter.optimizer.steps");
            long[] counts = java.util.Arrays.stream(steps.substring(1, steps.length() - 1).split(","))
                    .map(String::strip).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
            a.optimizer().importState(new OptimizerState(state.entry("adapter.optimizer.kind"), buffers, counts));
        }
    }

    @Override
    public FlopCounter teacherFlops() {
        return teacherFlops;
    }

    @Override
    public long storageBytes() {
        return storageBytes.getAsLong();
    }

    @Override
    public String teacher() {
        return teacher;
    }

    private static void free(List<AutoCloseable> resources) {
        RuntimeException failure = null;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (failure == null) failure = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
    }

    /** Frees the resources of every stage not yet finished, then the teachers. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        List<AutoCloseable> all = new ArrayList<>(teachers);
        for (int i = index; i < stages.size(); i++) all.addAll(stages.get(i).resources());
        free(all);
    }
}
