// `curex train`: trains a model on a task from its options, writing checkpoints, metrics and a summary.
package curex.cli;

import curex.engine.data.ParitySequence;
import curex.engine.data.SparseParity;
import curex.engine.data.Task;
import curex.engine.io.RunLayout;
import curex.engine.metrics.Progress;
import curex.engine.metrics.RunSummary;
import curex.engine.model.ModelConfig;
import curex.engine.settings.TrainingSettings;
import curex.engine.train.TrainingRun;
import curex.kernels.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Validates the options, prepares the run folder and runs the engine's one training path. Outputs:
 * {@code <out>/model.safetensors}, {@code <out>/checkpoints/step-<N>.safetensors} (with the resume state beside each),
 * {@code <out>/metrics.jsonl}, {@code <out>/summary.json}, {@code <out>/config.json}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, defaultValueProvider = Defaults.Train.class,
        description = "Train a model (the teacher, or a baseline) on a task.")
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    TaskOptions task;

    @Mixin
    ModelOptions model;

    @Mixin
    TrainingOptions training;

    @Mixin
    SeedOption seed;

    @Mixin
    RunFolderOptions folder;

    @Mixin
    BackendOptions backend;

    /** What `curex train` was asked to do, validated; {@code resumeFrom} is null for a fresh run. */
    record Request(Task task, ModelConfig model, TrainingSettings training, long checkpointEvery, int keepCheckpoints,
                   Path out, Path resumeFrom, String backend, int threads, Map<String, String> options) {

        /** config.json: the task, the model, the training, where it runs, and the options as given. */
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(SavedOptions.KEY, options);
            m.put("task", task.toMap());
            m.put("model", model.toMap());
            m.put("training", training.toMap());
            m.put("checkpoint_every", checkpointEvery);
            m.put("out", out.toString());
            m.put("backend", backend);
            m.put("threads", threads);
            return m;
        }
    }

    /** Cross-option checks and defaults; usage errors (exit 2) for anything inconsistent. */
    Request request() throws IOException {
        Task t = task.task();
        ModelConfig m = model.config(t);
        TrainingSettings s = training.settings(seed.value());
        backend.check();
        backend.checkMemory(t, m, s);
        Path dir = dir();
        return new Request(t, m, s, folder.checkpointEvery, folder.keepCheckpoints, dir, folder.checkpoint(dir),
                backend.name(), backend.threads(), SavedOptions.of(spec));
    }

    /** The task's own defaults ({@link Defaults#TRAIN_BY_TASK}) for the options not given on the command line. */
    private void applyTaskDefaults() {
        Map<String, String> all = Defaults.TRAIN_BY_TASK.getOrDefault(task.kind, Map.of());
        SavedOptions.apply(spec, Defaults.forTask(task.kind, all.keySet(),
                spec.commandLine().getParseResult()::hasMatchedOption, training.steps));
    }

    /** --out, or a folder named after the task (built only then: before a resume, the options are not yet the run's). */
    private Path dir() {
        return folder.dir(folder.out != null ? folder.out : Path.of("runs", task.task().id() + "-seed" + seed.value()));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (folder.resuming()) {
            if (!folder.prepareResume(spec, dir(), out)) return Main.OK;
        } else {
            applyTaskDefaults();
        }
        Request r = request();
        folder.checkResumedTask(r.task());
        try (Backend be = backend.open(); Interrupts interrupts = new Interrupts(spec.commandLine().getErr())) {
            if (r.resumeFrom() != null) out.println("resuming from " + r.resumeFrom());
            out.println("training " + r.model().describe() + " on " + r.task().describe() + " with "
                    + r.training().optimizer().kind() + ", " + be.name() + " backend, "
                    + BackendOptions.threadsUsed(be, r.threads()) + " thread(s) -> " + r.out());
            out.flush();
            RunSummary s;
            try (Progress progress = Progress.create("train", r.training().steps(), out, Progress.isInteractive())) {
                s = new TrainingRun(be, r.task(), r.model(), r.training())
                        .output(new RunLayout(r.out())).checkpointEvery(r.checkpointEvery())
                        .keepCheckpoints(r.keepCheckpoints()).settings(r.toMap())
                        .metadata(Map.of("curex.version", VersionProvider.version())).progress(progress, false)
                        .resumeFrom(r.resumeFrom()).stopOn(interrupts.signal()).run();
            }
            if (interrupts.interrupted()) return Main.interrupted(out, s.steps(), "curex train --out " + r.out() + " --resume");
            out.printf(Locale.ROOT, "done: %d steps, held-out accuracy %.2f%% (best %.2f%%), %.1f s, model %s%n",
                    s.steps(), 100 * s.finalAccuracy(), 100 * s.bestAccuracy(), s.elapsedSeconds(),
                    new RunLayout(r.out()).model());
            if (stuckOnParityPlateau(r.task(), s))
                out.println("note: held-out accuracy stayed near chance. Sparse parity is learnt after a plateau whose "
                        + "length depends on the seed (a few hundred to tens of thousands of steps): run longer "
                        + "(--steps) or try another --seed.");
            out.flush();
        }
        return Main.OK;
    }

    /** A parity run that ended without reaching its target and never left chance (two classes: below 60%). */
    static boolean stuckOnParityPlateau(Task task, RunSummary s) {
        boolean parity = task instanceof SparseParity || task instanceof ParitySequence;
        return parity && s.stepsToTarget() == null && s.bestAccuracy() < 0.6;
    }
}
