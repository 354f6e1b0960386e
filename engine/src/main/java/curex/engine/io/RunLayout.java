// Where a run keeps its files: model, step checkpoints, metrics, summary and config under one folder.
package curex.engine.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of a run folder: {@code model.safetensors} (final model), {@code checkpoints/step-<N>.safetensors} (model
 * snapshots) with {@code step-<N>.state.safetensors} beside them (what resuming needs), {@code metrics.jsonl},
 * {@code summary.json} and {@code config.json}.
 */
public record RunLayout(Path dir) {
    private static final Pattern STEP_FILE = Pattern.compile("step-(\\d+)\\.safetensors");
    private static final Pattern STATE_FILE = Pattern.compile("step-(\\d+)\\.state\\.safetensors");

    public Path model() {
        return dir.resolve("model.safetensors");
    }

    public Path checkpoints() {
        return dir.resolve("checkpoints");
    }

    public Path checkpoint(long step) {
        return checkpoints().resolve("step-" + step + ".safetensors");
    }

    /** Whether {@code file} lies in this run's checkpoints folder (compared as absolute, normalized paths). */
    public boolean holdsCheckpoint(Path file) {
        Path parent = file.toAbsolutePath().normalize().getParent();
        return checkpoints().toAbsolutePath().normalize().equals(parent);
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

    /** The model checkpoints, by increasing step. */
    public List<Path> checkpointFiles() throws IOException {
        if (!Files.isDirectory(checkpoints())) return List.of();
        try (Stream<Path> files = Files.list(checkpoints())) {
            return files.filter(p -> stepOf(p).isPresent() && Files.isRegularFile(p))
                    .sorted(Comparator.comparingLong(p -> stepOf(p).orElseThrow())).toList();
        }
    }

    /** The checkpoint with the highest step, if any. */
    public Optional<Path> latestCheckpoint() throws IOException {
        List<Path> all = checkpointFiles();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    /** Summed size of the model checkpoints (what progressive distillation may read besides the final model). */
    public long checkpointBytes() throws IOException {
        long sum = 0;
        for (Path p : checkpointFiles()) sum += Files.size(p);
        return sum;
    }

    /** True when the folder already holds output of a run (metrics, model or checkpoints). */
    public boolean holdsRun() throws IOException {
        return Files.exists(metrics()) || Files.exists(model()) || latestCheckpoint().isPresent();
    }

    /** Removes the files a run writes (and only those), so that a fresh run starts from an empty record. */
    public void clear() throws IOException {
        for (Path p : List.of(metrics(), model(), summary(), config())) Files.deleteIfExists(p);
        if (!Files.isDirectory(checkpoints())) return;
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(checkpoints())) {
            list.filter(p -> {
                String name = p.getFileName().toString();
                return STEP_FILE.matcher(name).matches() || STATE_FILE.matcher(name).matches();
            }).forEach(files::add);
        }
        for (Path p : files) Files.delete(p);
    }
}
