// What a training run minimises: a step's loss, and for staged methods which stage and parameters each step trains.
package curex.engine.train;

import curex.engine.autograd.Tape;
import curex.engine.flops.FlopCounter;
import curex.engine.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Builds step {@code step}'s loss on {@code tape}: sample the batch (a pure function of the run's seed and the step,
 * so a resumed run sees the same data), run the forward pass(es), return a scalar loss. A distillation objective
 * also runs its teacher here, on a no-grad tape of its own (own arena, own FLOP counter), and may move through
 * stages: the defaults describe a single-stage objective that trains every parameter and reads no teacher.
 */
public interface Objective extends AutoCloseable {

    Tensor loss(Tape tape, long step);

    /** Samples per step, for the samples-seen count. */
    int batchSize();

    /** The name of the stage step {@code step} trains ("project-1", "kd@step-300"), or null for an unstaged run. */
    default String stage(long step) {
        return null;
    }

    /** What step {@code step} updates; null: every parameter of the run's optimizer. */
    default List<ParamGroup> trainable(long step) {
        return null;
    }

    /** Called after each step with the number of steps done and the step's loss (a stage may end here). */
    default void afterStep(long stepsDone, float loss) {
    }

    /** The counter of the teacher's forward passes, or null when no teacher runs. */
    /**
     * The end of a stage decided by the last {@link #afterStep}, once: its name, its steps and why it ended (the rule
     * and the statistic that triggered it); null when no stage ended.
     */
    default Map<String, Object> takeStageEnd() {
        return null;
    }

    default FlopCounter teacherFlops() {
        return null;
    }

    /** Bytes of the teacher files read so far. */
    default long storageBytes() {
        return 0;
    }

    /** The teacher this objective reads (a file or run folder), or null. */
    default String teacher() {
        return null;
    }

    /**
     * What a resumed run needs to continue this objective exactly (the stage it is in, an adapter's weights and
     * optimizer state), saved with each step checkpoint. Empty for an objective without state.
     */
    default State saveState() {
        return State.EMPTY;
    }

    /** Restores what {@link #saveState()} saved, right after the objective was built for a resumed run. */
    default void restoreState(State state) {
    }

    /** String entries and named float arrays, as a checkpoint's state file holds them. */
    record State(Map<String, String> entries, Map<String, float[]> arrays) {
        public static final State EMPTY = new State(Map.of(), Map.of());

        public State {
            entries = Map.copyOf(entries);
            arrays = Map.copyOf(arrays);
        }

        /** An entry; an IllegalArgumentException naming it when absent. */
        public String entry(String key) {
            String v = entries.get(key);
            if (v == null) throw new IllegalArgumentException("objective state lacks '" + key + "'");
            return v;
        }

        /** An array; an IllegalArgumentException naming it when absent. */
        public float[] array(String key) {
            float[] v = arrays.get(key);
            if (v == null) throw new IllegalArgumentException("objective state lacks array '" + key + "'");
            return v;
        }
    }

    /** Frees what the objective holds (teachers, stage targets, adapters). */
    @Override
    default void close() {
    }
}
