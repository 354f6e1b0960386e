// A resumable training checkpoint: the model file, plus a sibling file with optimizer state and the run's progress.
package curex.engine.checkpoint;

import curex.engine.io.CheckpointException;
import curex.engine.io.NamedArray;
import curex.engine.io.Safetensors;
import curex.engine.io.SafetensorsFile;
import curex.engine.model.Model;
import curex.engine.optim.Optimizer;
import curex.engine.optim.OptimizerState;
import curex.engine.io.RunLayout;
import curex.engine.train.Objective;
import curex.engine.train.TrainState;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Two files: {@code step-<N>.safetensors} holds only the model, as {@link ModelCheckpoint} writes it (what PyTorch
 * loads as a state dict, and what progressive distillation reads and counts as storage); the sibling
 * {@code step-<N>.state.safetensors} holds what resuming needs besides: {@code optimizer.<buffer>} flat tensors
 * (parameter-buffer layout) and metadata {@code optimizer.kind}, {@code optimizer.steps} (per-tensor update
 * counts), {@code train.step}, {@code train.samples}, {@code train.flops}, {@code train.teacher_flops},
 * {@code train.wall_nanos}. The state file is written first, so a model file never lacks its state.
 */
public final class TrainingCheckpoint {
    private static final String OPT_PREFIX = "optimizer.";
    private static final String OBJECTIVE_PREFIX = "objective.";

    private TrainingCheckpoint() {
    }

    /** The resume-state file beside a model checkpoint: {@code step-<N>.safetensors -> step-<N>.state.safetensors}. */
    public static Path stateFile(Path modelFile) {
        String name = modelFile.getFileName().toString();
        String base = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
        return modelFile.resolveSibling(base + ".state.safetensors");
    }

    /** The model checkpoint a resume-state file belongs to ({@link #stateFile}'s inverse), or empty for another file. */
    public static java.util.Optional<Path> modelOfState(Path file) {
        String name = file.getFileName().toString(), suffix = ".state.safetensors";
        return name.endsWith(suffix) ? java.util.Optional.of(file.resolveSibling(
                name.substring(0, name.length() - suffix.length()) + ".safetensors")) : java.util.Optional.empty();
    }

    /** Saves model, optimizer and progress of a run whose objective keeps no state. */
    public static void save(Path file, Model model, Optimizer optimizer, TrainState state, Map<String, String> extra)
            throws IOException {
        save(file, model, optimizer, state, extra, Objective.State.EMPTY);
    }

    /**
     * Saves model, optimizer, progress and the objective's state ({@code objective.<key>} metadata entries and
     * {@code objective.<name>} tensors) beside the model file.
     */
    public static void save(Path file, Model model, Optimizer optimizer, TrainState state, Map<String, String> extra,
                            Objective.State objective) throws IOException {
        Map<String, String> meta = ModelCheckpoint.metadata(model, extra);
        OptimizerState os = optimizer.exportState();
        meta.put("optimizer.kind", os.kind());
        meta.put("optimizer.steps", join(os.steps()));
        meta.put("train.step", Long.toString(state.step()));
        meta.put("train.samples", Long.toString(state.samples()));
        meta.put("train.flops", Long.toString(state.flops()));
        meta.put("train.teacher_flops", Long.toString(state.teacherFlops()));
        meta.put("train.wall_nanos", Long.toString(state.wallNanos()));
        List<NamedArray> arrays = new ArrayList<>();
        for (Map.Entry<String, float[]> b : os.buffers().entrySet())
            arrays.add(new NamedArray(OPT_PREFIX + b.getKey(), new int[]{b.getValue().length}, b.getValue()));
        objective.entries().forEach((k, v) -> meta.put(OBJECTIVE_PREFIX + k, v));
        for (Map.Entry<String, float[]> a : new java.util.TreeMap<>(objective.arrays()).entrySet())
            arrays.add(new NamedArray(OBJECTIVE_PREFIX + a.getKey(), new int[]{a.getValue().length}, a.getValue()));
        Safetensors.write(stateFile(file), meta, arrays);
        ModelCheckpoint.save(file, model, extra);
    }

    /** What a checkpoint restores besides model and optimizer: the run's progress and its objective's state. */
    public record Restored(TrainState state, Objective.State objective) {
    }

    /** Restores model and optimizer in place (their config and kind must match) and returns the saved progress. */
    public static TrainState load(Path modelFile, Model model, Optimizer optimizer) throws IOException {
        return restore(modelFile, model, optimizer).state();
    }

    /**
     * The newest checkpoint of a run folder that reads back whole (model and state file), or null when there is none;
     * each newer one that does not (a write cut short) is reported to {@code skipped} with the reason.
     */
    public static Path newestUsable(RunLayout run, Consumer<String> skipped) throws IOException {
        List<Path> files = run.checkpointFiles();
        for (int i = files.size() - 1; i >= 0; i--) {
            Path f = files.get(i);
            try {
                Safetensors.read(f);
                Safetensors.read(stateFile(f));
                return f;
            } catch (IOException e) {
                skipped.accept(f.getFileName() + " cannot be read back (" + e.getMessage() + ")");
            }
        }
        return null;
    }

    /** Restores model and optimizer in place and returns the saved progress and objective state. */
    public static Restored restore(Path modelFile, Model model, Optimizer optimizer) throws IOException {
        SafetensorsFile weights = Safetensors.read(modelFile);
        Path file = stateFile(modelFile);
        if (!java.nio.file.Files.exists(file))
            throw new CheckpointException(modelFile, "cannot resume from it: its state file " + file.getFileName()
                    + " is missing");
        SafetensorsFile f = Safetensors.read(file);
        Map<String, String> meta = f.metadata();
        ModelCheckpoint.fill(modelFile, weights, model);
        String kind = required(file, meta, "optimizer.kind");
        Map<String, float[]> buffers = new LinkedHashMap<>();
        for (NamedArray a : f.tensors().values())
            if (a.name().startsWith(OPT_PREFIX)) buffers.put(a.name().substring(OPT_PREFIX.length()), a.data());
        Map<String, String> entries = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith(OBJECTIVE_PREFIX)) entries.put(k.substring(OBJECTIVE_PREFIX.length()), v);
        });
        Map<String, float[]> arrays = new LinkedHashMap<>();
        for (NamedArray a : f.tensors().values())
            if (a.name().startsWith(OBJECTIVE_PREFIX)) arrays.put(a.name().substring(OBJECTIVE_PREFIX.length()), a.data());
        try {
            optimizer.importState(new OptimizerState(kind, buffers, parseLongs(required(file, meta, "optimizer.steps"))));
            return new Restored(new TrainState(Long.parseLong(required(file, meta, "train.step")),
                    Long.parseLong(required(file, meta, "train.samples")),
                    Long.parseLong(required(file, meta, "train.flops")),
                    Long.parseLong(required(file, meta, "train.teacher_flops")),
                    Long.parseLong(required(file, meta, "train.wall_nanos"))), new Objective.State(entries, arrays));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, "cannot resume from it: " + e.getMessage());
        }
    }

    private static String required(Path file, Map<String, String> meta, String key) throws CheckpointException {
        String v = meta.get(key);
        if (v == null) throw new CheckpointException(file, "not a training checkpoint: metadata lacks '" + key + "'");
        return v;
    }

    private static String join(long[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ",").append(v[i]);
        return sb.toString();
    }

    private static long[] parseLongs(String s) {
        if (s.isEmpty()) return new long[0];
        String[] parts = s.split(",");
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Long.parseLong(parts[i].trim());
        return out;
    }
}
