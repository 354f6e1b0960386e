// Where a run keeps its files: model, step checkpoints, metrics, summary and config under one folder.
package curex.engine.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of a run folder: {@code model.safetensors} (final model), {@code checkpoints/step-<N>.safetensors},
 * {@code metrics.jsonl}, {@code summary.json} and {@code config.json}.
 */
public record RunLayout(Path dir) {
    private static final Pattern STEP_FILE = Pattern.compile("step-(\\d+)\\.safetensors");

    public Path model() {
        return dir.resolve("model.safetensors");
    }

    public Path checkpoints() {
        return dir.resolve("checkpoints");
    }

    public Path checkpoint(long step) {
        return checkpoints().resolve("step-" + step + ".safetensors");
    }

    public Path metrics() {
        return dir.resolve("metrics.jsonl");
    }

    public Path summary() {
        return dir.resolve("summary.json");
    }

    public Path config() {
        return dir.resolve("config.json");
    }

    /** The step a checkpoint file name encodes, if it is named {@code step-<N>.safetensors}. */
    public static Optional<Long> stepOf(Path checkpoint) {
        Matcher m = STEP_FILE.matcher(checkpoint.getFileName().toString());
        return m.matches() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    /** The checkpoint with the highest step, if any. */
    public Optional<Path> latestCheckpoint() throws IOException {
        if (!Files.isDirectory(checkpoints())) return Optional.empty();
        try (Stream<Path> files = Files.list(checkpoints())) {
            return files.filter(p -> stepOf(p).isPresent())
                    .max(java.util.Comparator.comparingLong(p -> stepOf(p).orElseThrow()));
        }
    }

    /** True when the folder already holds output of a run (metrics, model or checkpoints). */
    public boolean holdsRun() throws IOException {
        return Files.exists(metrics()) || Files.exists(model()) || latestCheckpoint().isPresent();
    }
}
