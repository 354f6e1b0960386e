// `curex eval`: held-out accuracy of a saved model on a task, optionally saving its logits.
package curex.cli;

import curex.engine.data.Task;
import curex.engine.data.Tasks;
import curex.engine.io.RunLayout;
import curex.engine.io.Safetensors;
import curex.engine.settings.EvalSettings;
import curex.engine.settings.Lineage;
import curex.engine.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** Loads {@code --model}, evaluates it on the task's held-out set and prints the accuracy. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a saved model on a task's held-out set.")
public final class EvalCommand implements Callable<Integer> {
    static final String KEY_SEED = "seed";

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE|DIR", required = true,
            description = "Model checkpoint (.safetensors), or a run folder (its model.safetensors).")
    Path model;

    @Mixin
    TaskOptions task;

    @Option(names = "--seed", description = "Seed whose held-out stream is evaluated, the stream the model's training "
            + "used (default: the model's training seed, else 0).")
    Long seed;

    @Option(names = "--eval-size", converter = Converters.PositiveInt.class,
            description = "Held-out samples (default: the run's, when --model is a run folder, its model or one of "
                    + "its checkpoints; else the task's training default: 4096, text 512).")
    Integer evalSize;

    @Option(names = "--logits", paramLabel = "FILE",
            description = "Also write the held-out set and the model's outputs to FILE (.safetensors): token tasks "
                    + "input_ids and attention_mask (N, T, I32), logits (N, T, V) or (N, C); feature tasks inputs (N, n); "
                    + "labels as I32.")
    Path logits;

    @Option(names = "--force", description = "Replace an existing --logits file.")
    boolean force;

    @Mixin
    BackendOptions backend;

    /** Validated evaluation request: the task resolved from the options and the model's metadata. */
    record Request(Path model, Task task, long seed, long heldOutSeed, int evalSize, Path logits) {
    }

    Request request() throws Exception {
        model = SavedModelPath.resolve(spec, model);
        if (logits != null) checkLogitsPath();
        Map<String, String> meta = Safetensors.readMetadata(model);
        Task recorded = null;
        if (meta.containsKey(Tasks.KEY) || meta.containsKey("parity.n")) {
            try {
                recorded = task.recorded(withDefaultTask(meta), "the model " + model);
            } catch (IllegalArgumentException e) {
                throw usage("--model: " + model + ": " + e.getMessage());
            }
        } else if (task.n == null || task.k == null) {
            throw usage((task.n == null ? "--n" : "--k") + ": the model's metadata names no task; give --n and --k");
        }
        Task t = task.task(recorded, "the model " + model);
        backend.check();
        long s = seed != null ? seed : parseSeed(meta.get(KEY_SEED));
        Lineage lineage = Lineage.TEACHER;
        String recordedLineage = meta.get(TrainingRun.KEY_LINEAGE);
        if (recordedLineage != null) {
            try {
                lineage = Lineage.valueOf(recordedLineage.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw usage("--model: unknown lineage '" + recordedLineage + "' in the model's metadata");
            }
        }
        return new Request(model, t, s, lineage.dataSeed(s), evalSize != null ? evalSize : defaultEvalSize(t), logits);
    }

    /**
     * The held-out size the model's run evaluated on (its config.json, when the model is the run's model.safetensors
     * or one of its checkpoints), else the task's training default, so that eval gives back the run's own accuracy.
     */
    private int defaultEvalSize(Task t) {
        Path parent = model.toAbsolutePath().normalize().getParent();
        RunLayout own = new RunLayout(parent), run = null;
        try {
            if (Files.exists(own.model()) && Files.isSameFile(own.model(), model)) run = own;
            else if (parent.getParent() != null && new RunLayout(parent.getParent()).holdsCheckpoint(model))
                run = new RunLayout(parent.getParent());   // a checkpoint: checkpoints/step-<N>.safetensors
            Map<String, String> saved = run != null && Files.isRegularFile(run.config())
                    ? SavedOptions.read(run.config()) : null;
            if (saved != null && saved.get("--eval-size") != null) return Integer.parseInt(saved.get("--eval-size"));
        } catch (IOException | RuntimeException e) {
            // an unreadable or foreign config.json: the task's default
        }
        String d = Defaults.TRAIN_BY_TASK.getOrDefault(TaskOptions.Kind.of(t), Map.of()).get("--eval-size");
        return d != null ? Integer.parseInt(d) : EvalSettings.DEFAULT_SIZE;
    }

    /**
     * Usage errors, before anything runs, for a --logits path that is the model, a folder, in a folder that cannot be
     * written, or an existing file without --force (it could be another run's model or checkpoint).
     */
    private void checkLogitsPath() {
        if (logits.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize()))
            throw usage("--logits: must not overwrite the model file");
        if (Files.isDirectory(logits)) throw usage("--logits: '" + logits + "' is a folder; give a file name");
        if (Files.exists(logits) && !force)
            throw usage("--logits: '" + logits + "' already exists (--force replaces it)");
        Path parent = logits.toAbsolutePath().getParent();
        String why = parent == null ? null : Main.unwritable(parent);
        if (why != null) throw usage("--logits: " + why);
    }

    /** Metadata written before the task name was recorded holds only parity's sizes. */
    private static Map<String, String> withDefaultTask(Map<String, String> meta) {
        if (meta.containsKey(Tasks.KEY)) return meta;
        Map<String, String> m = new java.util.LinkedHashMap<>(meta);
        m.put(Tasks.KEY, "parity");
        return m;
    }

    private long parseSeed(String v) {
        if (v == null) return 0L;
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw usage("--seed: the model's metadata seed '" + v + "' is not a number; give --seed");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws Exception {
        Request r = request();
        return EvalRun.run(r, backend, spec.commandLine().getOut());
    }
}
