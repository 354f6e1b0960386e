// `curex train`: trains a model on a task from its options, writing checkpoints, metrics and a summary.
package curex.cli;

import curex.engine.io.Json;
import curex.engine.io.RunLayout;
import curex.engine.metrics.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Parses and validates the training options, prepares the run folder and writes {@code config.json}, then runs
 * the engine's training loop. Outputs: {@code <out>/model.safetensors}, {@code <out>/checkpoints/step-<N>.safetensors},
 * {@code <out>/metrics.jsonl}, {@code <out>/summary.json}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a model (the teacher, or a baseline) on a task.")
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--task", defaultValue = "parity", description = "Task: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Choices.Task task;

    @Option(names = "--n", defaultValue = Defaults.N, converter = Converters.PositiveInt.class,
            description = "Parity: input bits (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--k", defaultValue = Defaults.K, converter = Converters.PositiveInt.class,
            description = "Parity: support size, 1 <= k <= n (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--hidden", paramLabel = "W[,W...]", defaultValue = Defaults.HIDDEN, converter = Converters.Widths.class,
            description = "Hidden layer widths, comma-separated (default: ${DEFAULT-VALUE}).")
    Converters.WidthList hidden;

    @Option(names = "--activation", defaultValue = Defaults.ACTIVATION,
            description = "Hidden activation: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Choices.Activation activation;

    @Option(names = "--batch", defaultValue = Defaults.BATCH, converter = Converters.PositiveInt.class,
            description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = Defaults.STEPS, converter = Converters.PositiveLong.class,
            description = "Training steps (default: ${DEFAULT-VALUE}).")
    long steps;

    @Mixin
    OptimizerOptions optim;

    @Option(names = "--seed", defaultValue = Defaults.SEED,
            description = "Seed of initialisation and data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--eval-every", paramLabel = "STEPS", defaultValue = Defaults.EVAL_EVERY, converter = Converters.NonNegativeLong.class,
            description = "Evaluate on the held-out set every STEPS; 0 = at the end only (default: ${DEFAULT-VALUE}).")
    long evalEvery;

    @Option(names = "--eval-size", defaultValue = Defaults.EVAL_SIZE, converter = Converters.PositiveInt.class,
            description = "Held-out samples (default: ${DEFAULT-VALUE}).")
    int evalSize;

    @Option(names = "--checkpoint-every", paramLabel = "STEPS", defaultValue = Defaults.CHECKPOINT_EVERY,
            converter = Converters.NonNegativeLong.class,
            description = "Save checkpoints/step-<N>.safetensors every STEPS; 0 = none (default: ${DEFAULT-VALUE}).")
    long checkpointEvery;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run folder (default: runs/<task>-n<n>-k<k>-seed<seed>).")
    Path out;

    @Option(names = "--resume", paramLabel = "CHECKPOINT", arity = "0..1", fallbackValue = "",
            description = "Continue from CHECKPOINT, or without a value from the newest checkpoint in --out.")
    String resume;

    @Option(names = "--force", description = "Start afresh even if --out already holds a run (its files are replaced).")
    boolean force;

    @Mixin
    BackendOptions backendOptions;

    /** Cross-option checks and defaults; raises a usage error (exit 2) for anything inconsistent. */
    TrainSettings settings() throws IOException {
        if (k > n) throw usage("--k: must be <= --n (" + n + "), got " + k);
        String badWarmup = optim.checkWarmup(steps);
        if (badWarmup != null) throw usage(badWarmup);
        if (resume != null && force) throw usage("--resume and --force cannot be used together");
        Path dir = out != null ? out : Path.of("runs", task + "-n" + n + "-k" + k + "-seed" + seed);
        RunLayout layout = new RunLayout(dir);
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw usage("--out: '" + dir + "' exists and is not a folder");
        Path resumeFrom = null;
        if (resume != null) {
            if (resume.isEmpty()) {
                resumeFrom = layout.latestCheckpoint().orElseThrow(() -> usage(
                        "--resume: no checkpoints/step-<N>.safetensors in '" + dir + "' to resume from"));
            } else {
                resumeFrom = Path.of(resume);
                if (!Files.isRegularFile(resumeFrom)) throw usage("--resume: no such file '" + resume + "'");
            }
        } else if (!force && layout.holdsRun()) {
            throw usage("--out: '" + dir + "' already holds a run; use --resume to continue it or --force to replace it");
        }
        return new TrainSettings(task, n, k, hidden.values().clone(), activation, batch, steps, optim.lr,
                optim.optimizer, optim.momentum, optim.weightDecay, optim.schedule, optim.warmup, optim.clip, seed,
                backendOptions.threads(), evalEvery, checkpointEvery,
                evalSize, dir, resumeFrom, backendOptions.kind());
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws Exception {
        TrainSettings s = settings();
        RunLayout layout = new RunLayout(s.out());
        Files.createDirectories(s.out());
        if (s.resumeFrom() == null && force) clearRun(layout);
        Json.writeAtomic(layout.config(), s.toMap());
        return TrainRun.run(s, layout, spec.commandLine().getOut(), Progress.isInteractive());
    }

    /** Removes the outputs of an earlier run in the folder (only the files a run writes). */
    private static void clearRun(RunLayout layout) throws IOException {
        Files.deleteIfExists(layout.metrics());
        Files.deleteIfExists(layout.model());
        Files.deleteIfExists(layout.summary());
        if (Files.isDirectory(layout.checkpoints())) {
            try (var files = Files.list(layout.checkpoints())) {
                for (Path p : files.filter(f -> RunLayout.stepOf(f).isPresent()).toList()) Files.delete(p);
            }
        }
    }
}
