// How much memory a training run needs, estimated before anything is allocated, to refuse what cannot fit.
package curex.engine.train;

import curex.engine.data.Task;
import curex.engine.model.ModelConfig;
import curex.engine.settings.TrainingSettings;

import java.util.Locale;

/**
 * Bytes of a run's largest allocations: parameters with their gradients and AdamW's two moments (4 copies), a
 * step's activations, the batch and the held-out set (on the backend and on the host), and an evaluation chunk's
 * activations. A lower bound of what the run uses: enough to refuse a model or batch that cannot fit before spending
 * minutes on it, not a promise that one under the bound will.
 */
public final class MemoryEstimate {
    private MemoryEstimate() {
    }

    public static long bytes(Task task, ModelConfig model, TrainingSettings training) {
        double floats = 4.0 * model.parameterCount()
                + (double) training.batch() * (2L * task.sampleSize() + model.activationFloatsPerRow())
                + 2.0 * training.eval().size() * task.sampleSize()
                + Math.min(training.eval().size(), HeldOutAccuracy.chunkFor(model)) * (double) model.activationFloatsPerRow();
        return floats * Float.BYTES >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) (floats * Float.BYTES);
    }

    /**
     * {@link #bytes} of a student distilled from {@code teacher}, plus the teacher: its parameters and the activations
     * of its forward over a batch (without gradients, about half of a training row's).
     */
    public static long bytes(Task task, ModelConfig student, TrainingSettings training, ModelConfig teacher) {
        double teacherFloats = teacher.parameterCount()
                + training.batch() * (double) teacher.activationFloatsPerRow() / 2;
        double total = bytes(task, student, training) + teacherFloats * Float.BYTES;
        return total >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) total;
    }

    /** "3.2 GB". */
    public static String format(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
        double b = bytes;
        int u = 0;
        while (b >= 1000 && u < units.length - 1) {
            b /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
    }
}
