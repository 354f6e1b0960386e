// `curex distill`: trains a student from a teacher run with one of the four methods and writes the run folder.
package curex.cli;

import curex.engine.checkpoint.ModelCheckpoint;
import curex.engine.data.Task;
import curex.engine.data.Tasks;
import curex.engine.distill.DistillSettings;
import curex.engine.distill.Distillation;
import curex.engine.distill.Method;
import curex.engine.distill.StagePlan;
import curex.engine.io.CheckpointException;
import curex.engine.io.RunLayout;
import curex.engine.io.Safetensors;
import curex.engine.io.Sha256;
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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Outputs: {@code <out>/metrics.jsonl} (train, eval and stage records), {@code <out>/summary.json} (the settings and
 * the result: steps, samples and FLOPs to target, storage, stages, evaluations), {@code <out>/config.json} and
 * {@code <out>/model.safetensors} (the student, readable by `curex eval`).
 */
@Command(name = "distill", mixinStandardHelpOptions = true, sortOptions = false,
        defaultValueProvider = Defaults.Distill.class,
        description = {"Train a student from a teacher run: ce (ground truth only, no teacher), oneshot (KD on the "
                + "final teacher), progressive (KD on the teacher's checkpoints, then the final one) or extract "
                + "(curriculum extraction: projection stages on the final teacher's hidden layers, then KD).",
                "Every method uses the same student, optimizer, budget and data for a given --seed."})
public final class DistillCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--method", description = "Method: ${COMPLETION-CANDIDATES}. Required, except with --resume, "
            + "which takes the run's own.")
    Method method;

    @Option(names = "--teacher", paramLabel = "DIR",
            description = "Teacher run folder, as `curex train` writes it: model.safetensors (the final teacher) and, "
                    + "for progressive, checkpoints/step-<N>.safetensors. Required except for ce.")
    Path teacher;

    @Mixin
    TaskOptions task;

    @Mixin
    ModelOptions model;

    @Mixin
    TrainingOptions training;

    @Mixin
    SeedOption seed;

    @Mixin
    KdOptions kd;

    @Mixin
    ExtractionOptions extraction;

    @Mixin
    RunFolderOptions folder;

    @Mixin
    BackendOptions backend;

    /** What `curex distill` was asked to do, validated. */
    record Request(Task task, ModelConfig student, TrainingSettings training, DistillSettings distill, Path teacher,
                   String teacherSha256, long checkpointEvery, int keepCheckpoints, Path out, Path resumeFrom,
                   String backend, int threads, Map<String, String> options) {

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(SavedOptions.KEY, options);
            m.put("task", task.toMap());
            m.put("student", student.toMap());
            m.put("training", training.toMap());
            m.put("distill", distill.toMap());
            m.put("teacher", teacher == null ? null : teacher.toString());
            m.put("checkpoint_every", checkpointEvery);
            m.put("out", out.toString());
            m.put("backend", backend);
            m.put("threads", threads);
            return m;
        }
    }

    /** Cross-option checks, the task from the teacher, the output folder; usage errors (exit 2) otherwise. */
    Request request() throws IOException {
        if (method == null) throw methodRequired();
        if (method.needsTeacher() && teacher == null)
            throw usage("--teacher: " + method.id() + " distils from a teacher; give the folder of a trained teacher run");
        // kept absolute, as --corpus is, so that the run's saved options find the teacher again from another folder
        if (teacher != null) teacher = teacher.toAbsolutePath().normalize();
        Map<String, String> teacherMeta = teacher == null ? null : teacherMetadata();
        Task t = task.task(teacherMeta == null ? null : teacherTask(teacherMeta), "the teacher in '" + teacher + "'");
        if (!folder.resuming())   // a resumed run has its own options, defaults included, from config.json
            SavedOptions.apply(spec, Defaults.forTask(TaskOptions.Kind.of(t), Defaults.DISTILL_FROM_TASK,
                    spec.commandLine().getParseResult()::hasMatchedOption, training.steps));
        ModelConfig student = model.config(t);
        TrainingSettings s = training.settings(seed.value());
        DistillSettings d;
        try {
            d = extraction.applyTo(kd.applyTo(DistillSettings.builder().method(method))).build();
        } catch (IllegalArgumentException e) {   // the options' values that only the whole set can check
            throw usage(SettingOptions.prefixed(e, null));
        }
        backend.check();
        ModelConfig teacherModel = teacherMeta == null ? null : teacherConfig(teacherMeta);
        if (method == Method.EXTRACT && teacherModel != null) {
            try {   // stages, layer map and budget against the two models: option errors, before anything runs
                StagePlan.extraction(d, student, teacherModel, s.steps());
            } catch (IllegalArgumentException e) {   // a teacher without hidden layers names no option of this run
                throw usage(SettingOptions.prefixed(e, null));
            }
        }
        backend.checkMemory(t, student, s, teacherModel);
        Path dir = dir();
        return new Request(t, student, s, d, teacher, teacher == null ? null : Sha256.of(new RunLayout(teacher).model()),
                folder.checkpointEvery, folder.keepCheckpoints, dir,
                folder.checkpoint(dir), backend.name(), backend.threads(), SavedOptions.of(spec));
    }

    /** --out, or a folder named after the method (a resumed run without --method needs --out). */
    private Path dir() {
        if (method == null && folder.out == null) throw methodRequired();
        return folder.dir(method == null ? folder.out
                : Path.of("runs", "distill-" + method.id() + "-seed" + seed.value()));
    }

    private ParameterException methodRequired() {
        return usage("--method: required: one of " + String.join(", ", Arrays.stream(Method.values()).map(Method::id)
                .toList()) + (folder.resuming() ? " (or --out with --resume, to continue the run there with its own)"
                : ""));
    }

    /** The metadata of the teacher's final model, after checking that --teacher is a run folder holding one. */
    private Map<String, String> teacherMetadata() throws IOException {
        RunLayout run = new RunLayout(teacher);
        if (Files.isRegularFile(teacher))
            throw usage("--teacher: '" + teacher + "' is a file; give the teacher's run folder (the one that holds "
                    + "model.safetensors and, for progressive, checkpoints/)");
        if (!Files.isDirectory(teacher)) throw usage("--teacher: no such folder '" + teacher + "'");
        if (!Files.isRegularFile(run.model()))
            throw usage("--teacher: '" + teacher + "' has no model.safetensors (the final teacher); train the "
                    + "teacher with curex train --out " + teacher);
        return Safetensors.readMetadata(run.model());
    }

    /** The task recorded in the teacher's final model ({@code meta}), or null when its metadata names none. */
    private Task teacherTask(Map<String, String> meta) {
        if (!meta.containsKey(Tasks.KEY)) return null;
        try {
            return task.recorded(meta, "the teacher in '" + teacher + "'");
        } catch (IllegalArgumentException e) {
            throw usage("--teacher: " + new RunLayout(teacher).model() + ": " + e.getMessage());
        }
    }

    /** The model config in the teacher's final model ({@code meta}). */
    private ModelConfig teacherConfig(Map<String, String> meta) {
        try {
            return ModelCheckpoint.config(new RunLayout(teacher).model(), meta);
        } catch (CheckpointException e) {
            throw usage("--teacher: " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (folder.resuming() && !folder.prepareResume(spec, dir(), out)) return Main.OK;
        Request r = request();
        folder.checkResumedTask(r.task());
        if (r.teacher() != null) folder.checkResumedEntry(TEACHER_KEY, r.teacherSha256(), "--teacher",
                "the teacher's model.safetensors changed since the run started");
        TrainingRun run;
        try (Backend be = backend.open(); Interrupts interrupts = new Interrupts(spec.commandLine().getErr())) {
            run = new TrainingRun(be, r.task(), r.student(), r.training())
                    .method(new Distillation(r.distill(), r.teacher())).output(new RunLayout(r.out()))
                    .checkpointEvery(r.checkpointEvery()).keepCheckpoints(r.keepCheckpoints()).settings(r.toMap())
                    .metadata(metadata(r)).resumeFrom(r.resumeFrom())
                    .stopOn(interrupts.signal());
            run.validate();
            out.println("distilling with " + method.id() + " on " + r.task().describe() + ", student "
                    + r.student().describe() + ", " + r.training().steps() + " steps, " + be.name() + " backend, "
                    + BackendOptions.threadsUsed(be, r.threads()) + " thread(s)"
                    + (r.teacher() == null ? "" : ", teacher " + r.teacher()) + " -> "
                    + r.out());
            if (r.teacher() != null) teacherNotes(r.teacher(), out);
            out.flush();
            RunSummary result;
            try (Progress progress = Progress.create(method.id(), r.training().steps(), out, Progress.isInteractive())) {
                result = run.progress(progress, true).run();
            }
            if (interrupts.interrupted())
                return Main.interrupted(out, result.steps(), "curex distill --out " + r.out() + " --resume");
            out.println(done(result, r.out()));
            out.flush();
        }
        return Main.OK;
    }

    /**
     * Notes on a teacher that may not be what the user meant: a run that did not end normally (its summary says it
     * was interrupted, say), and, for progressive distillation, one that kept a single checkpoint (the curriculum
     * then has one intermediate teacher at most, and the run is close to one-shot distillation).
     */
    private void teacherNotes(Path teacher, PrintWriter out) throws IOException {
        RunLayout run = new RunLayout(teacher);
        if (Files.isRegularFile(run.summary())) {
            Map<String, Object> s = curex.engine.io.Json.readMap(run.summary());
            Object reason = s.get("stop_reason");
            if (reason != null && !RunFolderOptions.endedNormally(reason)) {
                Map<String, String> saved = Files.isRegularFile(run.config()) ? SavedOptions.read(run.config()) : null;
                String command = saved == null ? "train" : RunFolderOptions.commandOf(saved);
                out.println("note: the teacher's run stopped at step " + s.get("steps") + " (" + reason + "), before "
                        + "the end of its budget; its model.safetensors is the teacher as it was then (to finish it "
                        + "first: curex " + command + " --out " + teacher + " --resume)");
            }
        }
        if (method == Method.PROGRESSIVE && run.checkpointFiles().size() < 2)
            out.println("note: the teacher kept " + run.checkpointFiles().size() + " checkpoint(s), so progressive "
                    + "distillation has no earlier teachers to start from and runs much like oneshot (train the "
                    + "teacher with --checkpoint-every and --keep-checkpoints all)");
    }

    /** The checkpoint metadata entry holding the SHA-256 of the teacher's model.safetensors. */
    static final String TEACHER_KEY = "distill.teacher_sha256";

    /** Entries of every checkpoint's metadata: the version and, with a teacher, its final model's SHA-256. */
    private static Map<String, String> metadata(Request r) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("curex.version", VersionProvider.version());
        if (r.teacherSha256() != null) m.put(TEACHER_KEY, r.teacherSha256());
        return m;
    }

    static String done(RunSummary r, Path dir) {
        String target = r.reachedTarget()
                ? String.format(Locale.ROOT, "target %.2f%% reached at step %d (student %.3g FLOPs, teacher %.3g FLOPs)",
                100 * r.targetAccuracy(), r.stepsToTarget(), (double) r.trainFlopsToTarget(), (double) r.teacherFlopsToTarget())
                : String.format(Locale.ROOT, "target %.2f%% not reached", 100 * r.targetAccuracy());
        return String.format(Locale.ROOT, "done: %d steps, final accuracy %.2f%% (best %.2f%%), %s, teacher storage "
                        + "%d bytes, %.1f s -> %s", r.steps(), 100 * r.finalAccuracy(), 100 * r.bestAccuracy(), target,
                r.storageBytes(), r.elapsedSeconds(), dir);
    }
}
