// What `curex distill` needs to know of a teacher run before training: its task sizes, from the model's metadata.
package curex.cli;

import curex.engine.checkpoint.MlpCheckpoint;
import curex.engine.compare.TaskMetadata;
import curex.engine.io.RunLayout;
import curex.engine.io.Safetensors;
import curex.engine.io.SafetensorsFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code n} is the metadata's {@code parity.n}, else the model's input width; {@code k} the metadata's
 * {@code parity.k}, null when absent. {@code checkpoints} tells whether the run has step checkpoints.
 */
record TeacherInfo(Path dir, Path model, int n, Integer k, boolean checkpoints) {

    /** Reads {@code dir/model.safetensors}; an {@link IllegalArgumentException} saying what is missing. */
    static TeacherInfo read(Path dir) throws IOException {
        RunLayout run = new RunLayout(dir);
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("no such folder '" + dir + "'");
        if (!Files.isRegularFile(run.model()))
            throw new IllegalArgumentException("'" + dir + "' has no model.safetensors (the final teacher); train the "
                    + "teacher with curex train --out " + dir);
        SafetensorsFile file = Safetensors.read(run.model());
        Map<String, String> meta = file.metadata();
        int inputs = MlpCheckpoint.config(run.model(), meta).inputs();
        Integer n = parse(meta.get(TaskMetadata.N));
        Integer k = parse(meta.get(TaskMetadata.K));
        return new TeacherInfo(dir, run.model(), n != null ? n : inputs, k, run.latestCheckpoint().isPresent());
    }

    private static Integer parse(String v) {
        if (v == null) return null;
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
