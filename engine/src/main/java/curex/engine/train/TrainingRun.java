// The one training path: a model on a task with an optimizer and objective, recorded, checkpointed and resumable.
package curex.engine.train;

import curex.engine.checkpoint.ModelCheckpoint;
import curex.engine.checkpoint.TrainingCheckpoint;
import curex.engine.data.Task;
import curex.engine.io.Json;
import curex.engine.io.RunLayout;
import curex.engine.io.RunLock;
import curex.engine.metrics.EvalPoint;
import curex.engine.metrics.MetricsLog;
import curex.engine.metrics.Progress;
import curex.engine.metrics.RunRecorder;
import curex.engine.metrics.RunSummary;
import curex.engine.model.Model;
import curex.engine.model.ModelConfig;
import curex.engine.optim.Optimizer;
import curex.engine.settings.Lineage;
import curex.engine.settings.OptimizerSettings;
import curex.engine.settings.TrainingSettings;
import curex.engine.tensor.ExecContext;
import curex.kernels.Backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Used by `curex train`, by a comparison's teachers and by every distillation method (through a {@link RunMethod}):
 * <pre>
 * RunSummary s = new TrainingRun(backend, task, modelConfig, training)
 *         .method(distillation)                 // optional: KD, extraction, ...; default: cross-entropy
 *         .output(new RunLayout(dir))           // optional: config.json, metrics.jsonl, checkpoints, model, summary
 *         .checkpointEvery(100)
 *         .run();
 * </pre>
 * The model is initialised from a stream of the training seed, batches and held-out set come from another
 * ({@link Lineage}: a teacher's streams differ from a student's). Everything is validated before the folder is
 * touched; while the run writes it, the folder is locked
 * ({@link RunLock}). A fresh run into a folder first removes what an earlier run left there ({@link RunLayout#clear()}:
 * callers decide whether that is allowed), and if it fails, removes what it wrote, so that the corrected command can run
 * again. {@link #resumeFrom} continues from a step checkpoint, bit for bit (the objective's stage and adapters
 * included). Step checkpoints keep the resume state of the newest two; {@link #keepCheckpoints} thins the model
 * snapshots too.
 */
public final class TrainingRun {
    /** The checkpoint metadata entry naming the seed streams the model was trained on (teacher or student). */
    public static final String KEY_LINEAGE = "lineage";

    private final Backend backend;
    private final Task task;
    private final ModelConfig modelConfig;
    private final TrainingSettings training;
    private RunMethod method;
    private String role = "train";
    private Lineage lineage = Lineage.TEACHER;
    private RunLayout out;
    private long checkpointEvery;
    private Map<String, String> metadata = Map.of();
    private Map<String, Object> settings = Map.of();
    private Progress progress;
    private boolean stageMessages;
    private Path resumeFrom;
    private int keepCheckpoints;
    private StopSignal stop = new StopSignal();
    private final List<TrainingListener> listeners = new java.util.ArrayList<>();

    public TrainingRun(Backend backend, Task task, ModelConfig modelConfig, TrainingSettings training) {
        if (backend == null || task == null || modelConfig == null || training == null)
            throw new IllegalArgumentException("backend, task, model and training settings must all be given");
        this.backend = backend;
        this.task = task;
        this.modelConfig = modelConfig;
        this.training = training;
    }

    /**
     * What the steps minimise; null (default): the task's cross-entropy. Sets the role to the method's, and the seed
     * streams to a student's ({@link Lineage}).
     */
    public TrainingRun method(RunMethod m) {
        this.method = m;
        if (m != null) {
            this.role = m.role();
            this.lineage = Lineage.STUDENT;
        }
        return this;
    }

    /** Which streams of the seed the run draws from: a teacher's (default) or a student's. */
    public TrainingRun lineage(Lineage l) {
        this.lineage = l;
        return this;
    }

    /** "train" (default), "teacher", or a method's name, as summaries record it. */
    public TrainingRun role(String r) {
        this.role = r;
        return this;
    }

    /** The run folder; without one nothing is written. */
    public TrainingRun output(RunLayout layout) {
        this.out = layout;
        return this;
    }

    /** Save a step checkpoint every {@code every} steps and at the end (0: none). */
    public TrainingRun checkpointEvery(long every) {
        if (every < 0) throw new IllegalArgumentException("checkpoint interval must be >= 0, got " + every);
        this.checkpointEvery = every;
        return this;
    }

    /** Entries every checkpoint's metadata holds besides the task and the model config (role, method, version). */
    public TrainingRun metadata(Map<String, String> m) {
        this.metadata = new LinkedHashMap<>(m);
        return this;
    }

    /** What the run was asked to do, written to config.json and recorded in summary.json. */
    public TrainingRun settings(Map<String, Object> s) {
        this.settings = new LinkedHashMap<>(s);
        return this;
    }

    /** A progress display; with {@code stageMessages} a line when each stage ends. */
    public TrainingRun progress(Progress p, boolean withStageMessages) {
        this.progress = p;
        this.stageMessages = withStageMessages;
        return this;
    }

    /** Continue from this step checkpoint of the run folder (its state file beside it). */
    public TrainingRun resumeFrom(Path checkpoint) {
        this.resumeFrom = checkpoint;
        return this;
    }

    /**
     * Keep only the newest {@code n} model snapshots in checkpoints/ (0, the default: all of them, as progressive
     * distillation from this run needs). The resume state is kept for the newest two checkpoints either way.
     */
    public TrainingRun keepCheckpoints(int n) {
        if (n < 0) throw new IllegalArgumentException("checkpoints to keep must be >= 0 (0: all), got " + n);
        this.keepCheckpoints = n;
        return this;
    }

    /** Stop after the step in progress when {@code signal} is raised, saving a checkpoint and the summary. */
    public TrainingRun stopOn(StopSignal signal) {
        this.stop = signal;
        return this;
    }

    /** Also told of every step, evaluation and the end (after the run's own recorder). */
    public TrainingRun listener(TrainingListener l) {
        listeners.add(l);
        return this;
    }

    public Task task() {
        return task;
    }

    public ModelConfig modelConfig() {
        return modelConfig;
    }

    public TrainingSettings training() {
        return training;
    }

    /** Checks the settings against the model, task and method before anything is created. */
    public void validate() throws IOException {
        modelConfig.checkTask(task);
        if (method != null) method.validate(task, modelConfig, training);
    }

    /** Trains as configured; everything it allocates is freed before it returns. */
    public RunSummary run() throws IOException {
        validate();
        if (out == null) return train();
        boolean created = !Files.exists(out.dir());
        Files.createDirectories(out.dir());
        try (RunLock _ = RunLock.acquire(out.dir())) {
            try {
                return train();
            } catch (IOException | RuntimeException | Error e) {
                if (resumeFrom == null && !keepsCheckpoints(e)) removeOutputs(created, e);
                throw e;
            }
        }
    }

    /**
     * Whether a fresh run that failed with {@code e} keeps what it wrote: when it ran out of memory after saving a
     * checkpoint, which it continues from with --resume given more memory (its settings were not at fault).
     */
    private boolean keepsCheckpoints(Throwable e) {
        try {
            return e instanceof OutOfMemoryError && out.latestCheckpoint().isPresent();
        } catch (IOException | RuntimeException listing) {
            e.addSuppressed(listing);
            return false;
        }
    }

    /** After a fresh run failed: what it wrote goes, so that the corrected command can run in the same folder. */
    private void removeOutputs(boolean createdFolder, Throwable failure) {
        try {
            out.clear();
            if (createdFolder) {
                Files.deleteIfExists(out.checkpoints());
                Files.deleteIfExists(out.dir().resolve(RunLock.FILE));
                Files.deleteIfExists(out.dir());
            }
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private RunSummary train() throws IOException {
        long startNanos = System.nanoTime();
        if (out != null) prepareFolder();
        OptimizerSettings o = training.optimizer();
        Map<String, String> meta = checkpointMetadata();
        long dataSeed = lineage.dataSeed(training.seed());
        try (Model model = modelConfig.create(backend, lineage.initSeed(training.seed()));
             Optimizer optimizer = o.kind().create(model.parameters(), o);
             TrainStep step = new TrainStep(new ExecContext(backend), optimizer, (float) o.clip());
             TaskObjective data = new TaskObjective(backend, model, task, training.batch(), dataSeed);
             HeldOutAccuracy evaluator = HeldOutAccuracy.onHeldOut(backend, model, task,
                     task.heldOut(dataSeed, training.eval().size()));
             Objective objective = method == null ? data : method.objective(model, optimizer, data, training)) {
            long setupTeacherFlops = objective.teacherFlops() == null ? 0 : objective.teacherFlops().total();
            TrainState start = new TrainState(0, 0, 0, setupTeacherFlops, 0);
            List<Map<String, Object>> kept = List.of();
            if (resumeFrom != null) {
                TrainingCheckpoint.Restored r = TrainingCheckpoint.restore(resumeFrom, model, optimizer);
                objective.restoreState(r.objective());
                start = r.state();
                if (out != null && Files.exists(out.metrics())) {
                    MetricsLog.keepUpTo(out.metrics(), start.step());
                    kept = MetricsLog.readAll(out.metrics());
                }
            }
            TrainState end;
            RunRecorder recorder;
            try (MetricsLog metrics = out == null ? null : MetricsLog.open(out.metrics(), resumeFrom != null)) {
                RunRecorder.Checkpointer save = out == null ? null : s -> {
                    TrainingCheckpoint.save(out.checkpoint(s.step()), model, optimizer, s, meta, objective.saveState());
                    thinCheckpoints();
                };
                long evalEvery = training.eval().intervalFor(training.steps());
                recorder = new RunRecorder(metrics, progress, stageMessages, Math.max(1, Math.min(100, evalEvery / 10)),
                        save, checkpointEvery, objective::storageBytes);
                recorder.replay(kept);
                Trainer trainer = new Trainer(step, objective, o.schedule().schedule((float) o.lr(), o.warmup(),
                        training.steps()), training.steps())
                        .evaluateEvery(evalEvery, evaluator)
                        .evaluateAtStart(resumeFrom == null)
                        .stopOn(stop)
                        .listener(recorder);
                listeners.forEach(trainer::listener);
                if (training.eval().stopAtTarget()) trainer.stopAtAccuracy(training.eval().target());
                end = trainer.run(start);
            }
            long modelBytes = 0;
            if (out != null) {
                ModelCheckpoint.save(out.model(), model, meta);
                modelBytes = Files.size(out.model());
            }
            RunSummary summary = summary(recorder, end, objective, setupTeacherFlops, modelBytes,
                    (System.nanoTime() - startNanos) / 1e9);
            if (out != null) summary.write(out.summary());
            return summary;
        }
    }

    /**
     * Keeps the resume state of the newest two checkpoints only, and the newest {@code keepCheckpoints} snapshots; a
     * snapshot goes with its resume state, which nothing could resume from without it.
     */
    private void thinCheckpoints() throws IOException {
        List<Path> files = out.checkpointFiles();
        for (int i = 0; i < files.size() - 2; i++) Files.deleteIfExists(TrainingCheckpoint.stateFile(files.get(i)));
        if (keepCheckpoints > 0)
            for (int i = 0; i < files.size() - keepCheckpoints; i++) {
                Files.deleteIfExists(TrainingCheckpoint.stateFile(files.get(i)));
                Files.deleteIfExists(files.get(i));
            }
    }

    /** A fresh run: removes an earlier run's outputs and writes config.json; a resumed one keeps both. */
    private void prepareFolder() throws IOException {
        Files.createDirectories(out.dir());
        if (resumeFrom != null) return;
        out.clear();
        Json.writeAtomic(out.config(), settings);
    }

    /** The task, the run's role and seed, and the caller's entries; the model adds its config when saved. */
    private Map<String, String> checkpointMetadata() {
        Map<String, String> m = new LinkedHashMap<>(task.metadata());
        m.put("seed", Long.toString(training.seed()));
        m.put(KEY_LINEAGE, lineage.name().toLowerCase(java.util.Locale.ROOT));
        m.put("role", role);
        m.putAll(metadata);
        return m;
    }

    private RunSummary summary(RunRecorder rec, TrainState end, Objective objective, long setupTeacherFlops,
                               long modelBytes, double elapsed) throws IOException {
        double target = training.eval().target();
        EvalPoint hit = rec.firstReaching(target);
        double wall = end.wallNanos() / 1e9;
        int checkpoints = out == null ? 0 : out.checkpointFiles().size();
        long checkpointBytes = out == null ? 0 : out.checkpointBytes();
        return new RunSummary(role, task.name(), modelConfig.describe(), objective.teacher(), target,
                hit == null ? null : hit.step(), hit == null ? null : hit.samples(),
                hit == null ? null : hit.trainFlops(), hit == null ? null : hit.teacherFlops(),
                hit == null ? null : hit.storageBytes(),
                end.step(), end.samples(), rec.lastAccuracy(), rec.bestAccuracy(), rec.lastEvalLoss(), wall,
                wall > 0 ? end.step() / wall : Double.NaN, elapsed, end.flops(), end.teacherFlops(), setupTeacherFlops,
                objective.storageBytes(), checkpoints, checkpointBytes, modelBytes,
                rec.stopReason() == null ? null : rec.stopReason().id(),
                resumeFrom == null ? null : resumeFrom.toString(), rec.stages(), rec.evals(), settings);
    }
}
