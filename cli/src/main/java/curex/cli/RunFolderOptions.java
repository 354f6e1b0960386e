// Where a training command writes its run, and whether it replaces or continues a run already there.
package curex.cli;

import curex.engine.checkpoint.TrainingCheckpoint;
import curex.engine.compare.SettingsFile;
import curex.engine.data.Task;
import curex.engine.data.TextTask;
import curex.engine.io.Json;
import curex.engine.io.RunLayout;
import curex.engine.io.Safetensors;
import curex.engine.train.TrainingListener.StopReason;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --out}, {@code --resume}, {@code --force}, {@code --checkpoint-every} and {@code --keep-checkpoints} of
 * `train` and `distill`. A fresh run needs a folder without a run (or --force); --resume continues the run in the
 * folder as it was started ({@link SavedOptions}), from its newest checkpoint that reads back whole.
 */
public final class RunFolderOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: a name made from the settings, under runs/).")
    Path out;

    @Option(names = "--resume", paramLabel = "CHECKPOINT", arity = "0..1", fallbackValue = "",
            description = "Continue the run in --out as it was started (its options come from its config.json; only "
                    + "--threads and --keep-checkpoints may change), from CHECKPOINT (one of its own) or, without a "
                    + "value, from its newest checkpoint; a run stopped before its first checkpoint starts again.")
    String resume;

    @Option(names = "--force", description = "Start afresh even if --out already holds a run (its files are replaced).")
    boolean force;

    @Option(names = "--checkpoint-every", paramLabel = "STEPS", converter = Converters.NonNegativeLong.class,
            description = "Save checkpoints/step-<N>.safetensors every STEPS and at the end; 0 = none "
                    + "(default: ${DEFAULT-VALUE}).")
    long checkpointEvery;

    @Option(names = "--keep-checkpoints", paramLabel = "N|all", converter = Converters.KeepCount.class,
            description = "Keep only the newest N step checkpoints (progressive distillation from this run needs them "
                    + "all) (default: ${DEFAULT-VALUE}).")
    int keepCheckpoints;

    private Path resumeFrom;
    /** A --resume of a run that stopped before its first checkpoint: it starts again, as it was started. */
    private boolean restart;

    /** The run folder: --out, or {@code fallback}; usage errors for an empty name or a file in the way. */
    Path dir(Path fallback) {
        if (out != null && out.toString().isBlank()) throw usage("--out: the folder name is empty");
        Path dir = out != null ? out : fallback;
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw usage("--out: '" + dir + "' exists and is not a folder");
        String denied = Main.unwritable(dir);
        if (denied != null) throw usage("--out: " + denied);
        return dir;
    }

    boolean resuming() {
        return resume != null;
    }

    /**
     * Before a resumed run is planned: checks that {@code dir} holds a run started with the options given now (where
     * given) and applies its saved options to {@code command}. Returns false, after saying so, when the run is already
     * finished (nothing is changed then).
     */
    boolean prepareResume(CommandSpec command, Path dir, PrintWriter say) throws IOException {
        if (force) throw usage("--resume and --force cannot be used together");
        RunLayout layout = new RunLayout(dir);
        if (!resume.isEmpty()) checkResumeFile(Path.of(resume), layout);
        Map<String, String> saved = Files.isRegularFile(layout.config()) ? SavedOptions.read(layout.config()) : null;
        if (layout.latestCheckpoint().isEmpty() && saved == null)
            throw usage("--resume: no checkpoints/step-<N>.safetensors in '" + dir + "' to resume from");
        if (saved == null)
            throw usage("--resume: '" + dir + "' has no config.json recording the options its run was started with, "
                    + "so it cannot be continued as it was started");
        String other = commandOf(saved);
        if (!other.equals(command.name()))
            throw usage("--resume: '" + dir + "' holds a run of curex " + other + (saved.containsKey("--method")
                    ? " (--method " + saved.get("--method") + ")" : "") + "; continue it with curex " + other
                    + " --out " + dir + " --resume");
        List<String> conflicts = SavedOptions.conflicts(command.commandLine().getParseResult(), saved);
        if (!conflicts.isEmpty())
            throw usage("--resume continues the run in '" + dir + "' as it was started, but " + String.join("; ", conflicts)
                    + "; leave these options out (only " + String.join(", ", List.of("--threads", "--keep-checkpoints"))
                    + " may change)");
        String finished = finished(layout);
        if (finished != null) {
            say.println("the run in " + dir + " is finished (" + finished + "); nothing to resume. Start a new run with "
                    + "another --out, or replace this one with --force.");
            say.flush();
            return false;
        }
        SavedOptions.apply(command, saved);
        if (layout.latestCheckpoint().isEmpty()) {   // stopped before its first checkpoint: nothing to lose
            if (Files.exists(layout.model()))   // a model but no checkpoint: a finished run's summary gone, say
                throw usage("--resume: no checkpoints/step-<N>.safetensors in '" + dir + "' to resume from, but a "
                        + "model.safetensors: its run got further than a restart would keep; use --force to replace it");
            restart = true;
            say.println("the run in " + dir + " stopped before its first checkpoint; starting it again from step 0 "
                    + "with its options");
            say.flush();
            return true;
        }
        resumeFrom = resume.isEmpty() ? TrainingCheckpoint.newestUsable(layout, problem -> {
            say.println("curex: " + problem + "; trying the checkpoint before it");
            say.flush();
        }) : Path.of(resume);
        if (resumeFrom == null) throw usage("--resume: no checkpoint in '" + dir + "' reads back whole");
        return true;
    }

    /**
     * A usage error when the task built for a resumed run is not the one its checkpoint was trained on: a text corpus
     * that changed since the run started is split and tokenized anew, into other token files (their paths may differ;
     * their counts, tokenizer and split must not).
     */
    void checkResumedTask(Task task) throws IOException {
        if (resumeFrom == null) return;
        Map<String, String> was = Safetensors.readMetadata(resumeFrom);
        for (Map.Entry<String, String> e : task.metadata().entrySet()) {
            String key = e.getKey(), before = was.get(key);
            if (before == null || before.equals(e.getValue()) || TextTask.PATH_KEYS.contains(key)) continue;
            throw usage("--resume: the run was trained on a task with " + key + " = " + before + ", but its options "
                    + "now give " + e.getValue() + (key.startsWith("text.") ? " (the corpus or its tokenizer changed "
                    + "since the run started)" : "") + "; a resumed run must see the same data: start a new run");
        }
    }

    /**
     * A usage error naming {@code option} when the checkpoint a resumed run continues from records {@code key} with
     * another value than {@code now} ({@code why} says what changed); nothing when it records none (older runs).
     */
    void checkResumedEntry(String key, String now, String option, String why) throws IOException {
        if (resumeFrom == null) return;
        String before = Safetensors.readMetadata(resumeFrom).get(key);
        if (before == null || before.equals(now)) return;
        throw usage(option + ": the run was trained with " + key + " = " + before + ", but it is now " + now + " ("
                + why + "); a resumed run must see the same inputs: start a new run");
    }

    /**
     * Usage errors for a --resume CHECKPOINT that is missing, is not one of this run's checkpoints (another run's
     * weights and optimizer state would continue this run's record), or has no resume state beside it.
     */
    private void checkResumeFile(Path file, RunLayout layout) throws IOException {
        if (!Files.isRegularFile(file) && file.toString().startsWith("-"))   // an option the command does not have
            throw usage("--resume: '" + file + "' is not a checkpoint file, and not an option of curex "
                    + spec.commandLine().getCommandName() + " either (--resume takes a checkpoint or nothing)");
        if (!Files.isRegularFile(file)) throw usage("--resume: no such file '" + file + "'");
        if (!layout.holdsCheckpoint(file))
            throw usage("--resume: '" + file + "' is not one of this run's checkpoints (in " + layout.checkpoints()
                    + "); a run continues only from its own");
        if (!Files.isRegularFile(TrainingCheckpoint.stateFile(file)))
            throw usage("--resume: '" + file + "' has no resume state beside it (" + TrainingCheckpoint.stateFile(file)
                    .getFileName() + "; only the newest checkpoints keep one); give --resume without a value to take "
                    + "the newest");
    }

    /** The command that wrote a run, from its saved options: only distill records a method. */
    static String commandOf(Map<String, String> saved) {
        return saved.containsKey("--method") ? "distill" : "train";
    }

    /** Whether a summary's stop_reason says its run ended normally: at its budget or its target. */
    static boolean endedNormally(Object stopReason) {
        return StopReason.MAX_STEPS.id().equals(stopReason) || StopReason.TARGET_REACHED.id().equals(stopReason);
    }

    /** "3000 steps, final accuracy 99.90%" when the folder's summary says its run ended normally, else null. */
    private static String finished(RunLayout layout) throws IOException {
        if (!Files.isRegularFile(layout.summary())) return null;
        Map<String, Object> s = Json.readMap(layout.summary());
        if (!endedNormally(s.get("stop_reason"))) return null;
        Object acc = s.get("final_accuracy");
        return s.get("steps") + " steps" + (acc instanceof Number a
                ? String.format(Locale.ROOT, ", final accuracy %.2f%%", 100 * a.doubleValue()) : "");
    }

    /**
     * The checkpoint to continue from (null for a fresh run), after checking the folder: a fresh run needs a folder
     * without a run or files a run writes (config.json, summary.json), or --force; a resumed one was prepared by
     * {@link #prepareResume}.
     */
    Path checkpoint(Path dir) throws IOException {
        if (resume != null) {
            if (resumeFrom == null && !restart)
                throw new IllegalStateException("--resume given but the resume was not prepared");
            return resumeFrom;
        }
        RunLayout layout = new RunLayout(dir);
        Path parent = dir.toAbsolutePath().normalize().getParent();
        for (Path d : parent == null ? List.of(dir) : List.of(dir, parent))
            if (Files.exists(d.resolve(SettingsFile.NAME)))
                throw usage("--out: '" + d + "' holds a comparison (" + SettingsFile.NAME + "), whose runs `curex "
                        + "compare` keeps; give the run a folder of its own");
        if (!force && layout.holdsRun())
            throw usage("--out: '" + dir + "' already holds a run; use --resume to continue it or --force to replace "
                    + "it");
        for (Path written : List.of(layout.config(), layout.summary()))   // a user's own file of that name
            if (!force && Files.exists(written))
                throw usage("--out: '" + dir + "' already holds " + written.getFileName() + ", which the run would "
                        + "replace; use another --out, or --force to replace it");
        return null;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
