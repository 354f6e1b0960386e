// `curex eval`: held-out accuracy of a saved model on a task, optionally saving its logits.
package curex.cli;

import curex.engine.io.Safetensors;
import curex.engine.io.SafetensorsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Loads {@code --model}, evaluates it on the task's held-out set and prints the accuracy. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a saved model on a task's held-out set.")
public final class EvalCommand implements Callable<Integer> {
    /** Checkpoint metadata keys that `curex train` writes and `curex eval` reads. */
    static final String KEY_TASK = "task", KEY_N = "parity.n", KEY_K = "parity.k", KEY_SEED = "seed";

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "Model checkpoint (.safetensors).")
    Path model;

    @Option(names = "--task", defaultValue = "parity", description = "Task: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Choices.Task task;

    @Option(names = "--n", converter = Converters.PositiveInt.class,
            description = "Parity: input bits (default: from the model's metadata).")
    Integer n;

    @Option(names = "--k", converter = Converters.PositiveInt.class,
            description = "Parity: support size (default: from the model's metadata).")
    Integer k;

    @Option(names = "--seed", description = "Seed of the held-out set (default: the model's training seed, else 0).")
    Long seed;

    @Option(names = "--eval-size", defaultValue = Defaults.EVAL_SIZE, converter = Converters.PositiveInt.class,
            description = "Held-out samples (default: ${DEFAULT-VALUE}).")
    int evalSize;

    @Option(names = "--logits", paramLabel = "FILE",
            description = "Also write the held-out logits (count, classes) and labels (count) to FILE (.safetensors).")
    Path logits;

    @Mixin
    BackendOptions backendOptions;

    /** Validated evaluation request: the checkpoint read and the task parameters resolved. */
    record EvalSettings(Path model, SafetensorsFile checkpoint, Choices.Task task, int n, int k, long seed,
                        int evalSize, Path logits, Backends.Kind backend, int threads) {
    }

    EvalSettings settings() throws Exception {
        if (!Files.isRegularFile(model)) throw usage("--model: no such file '" + model + "'");
        if (logits != null && logits.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize()))
            throw usage("--logits: must not overwrite the model file");
        SafetensorsFile file = Safetensors.read(model);
        int nn = n != null ? n : metadataInt(file, KEY_N, "--n");
        int kk = k != null ? k : metadataInt(file, KEY_K, "--k");
        if (kk > nn) throw usage("--k: must be <= --n (" + nn + "), got " + kk);
        long s = seed != null ? seed : metadataLong(file, KEY_SEED, 0L);
        return new EvalSettings(model, file, task, nn, kk, s, evalSize, logits, backendOptions.kind(), backendOptions.threads());
    }

    private int metadataInt(SafetensorsFile file, String key, String option) {
        String v = file.metadata().get(key);
        if (v == null) throw usage(option + ": the model's metadata has no '" + key + "'; give " + option + " explicitly");
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw usage(option + ": the model's metadata has " + key + "='" + v + "', not an integer; give " + option);
        }
    }

    private long metadataLong(SafetensorsFile file, String key, long fallback) {
        String v = file.metadata().get(key);
        if (v == null) return fallback;
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw usage("the model's metadata has " + key + "='" + v + "', not an integer");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws Exception {
        EvalSettings s = settings();
        return EvalRun.run(s, spec.commandLine().getOut());
    }
}
