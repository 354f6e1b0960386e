// How a run turns its student and the task's batches into what each step minimises (a distillation method).
package curex.engine.train;

import curex.engine.data.Task;
import curex.engine.model.Model;
import curex.engine.model.ModelConfig;
import curex.engine.optim.Optimizer;
import curex.engine.settings.TrainingSettings;

import java.io.IOException;

/** A run without a method minimises the task's cross-entropy ({@link TaskObjective}). */
public interface RunMethod {

    /** What summaries call the run: "ce", "oneshot", ... */
    String role();

    /**
     * Checks everything that can be checked before anything is created (teacher files, stage plan against the
     * budget), failing with an IllegalArgumentException that says what to change.
     */
    void validate(Task task, ModelConfig student, TrainingSettings training) throws IOException;

    /**
     * The objective of a run of {@code student} (trained by {@code optimizer} under {@code training}) on the task's
     * batches {@code data}. The caller closes it.
     */
    Objective objective(Model student, Optimizer optimizer, TaskObjective data, TrainingSettings training)
            throws IOException;
}
