// The four ways a student learns, as the objective of a training run: ce, one-shot KD, progressive KD, extraction.
package curex.engine.distill;

import curex.engine.checkpoint.ModelCheckpoint;
import curex.engine.data.Task;
import curex.engine.io.RunLayout;
import curex.engine.io.Safetensors;
import curex.engine.model.Model;
import curex.engine.model.ModelConfig;
import curex.engine.optim.Optimizer;
import curex.engine.settings.TrainingSettings;
import curex.engine.train.Objective;
import curex.engine.train.ParamGroup;
import curex.engine.train.RunMethod;
import curex.engine.train.TaskObjective;
import curex.kernels.Backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link RunMethod} for {@link curex.engine.train.TrainingRun}, so that every method trains the same student with
 * the same optimizer, global learning-rate schedule, budget and data (batch s of the task's stream of the run's seed)
 * and is recorded, checkpointed and summarised as any run is:
 * <pre>
 * RunSummary r = new TrainingRun(backend, task, studentConfig, training)
 *         .method(new Distillation(DistillSettings.of(Method.EXTRACT), teacherRunDir))
 *         .run();
 * </pre>
 * Stages run in order inside the one loop (projection stages, then KD for the remaining steps); each trains its own
 * groups (student layers 1..j plus the stage's adapter, or all student parameters). {@code teacherRun} is the folder a
 * teacher's training run wrote: {@code model.safetensors} and, for progressive, {@code checkpoints/}.
 */
public final class Distillation implements RunMethod {
    private final DistillSettings settings;
    private final Path teacherRun;
    private TeacherOutputs shared;

    /** {@code teacherRun} may be null for {@code ce}. */
    public Distillation(DistillSettings settings, Path teacherRun) {
        if (settings == null) throw new IllegalArgumentException("distillation settings must be given");
        this.settings = settings;
        this.teacherRun = teacherRun;
    }

    /**
     * KD steps take the teacher's targets from {@code memo} when another run recorded them for the same teacher and
     * batch, and record theirs in it: the same results, fewer teacher forwards (see {@link TeacherOutputs}).
     */
    public Distillation sharing(TeacherOutputs memo) {
        this.shared = memo;
        return this;
    }

    public DistillSettings settings() {
        return settings;
    }

    @Override
    public String role() {
        return settings.method().id();
    }

    @Override
    public void validate(Task task, ModelConfig student, TrainingSettings training) throws IOException {
        Method m = settings.method();
        if (!m.needsTeacher()) return;
        RunLayout run = teacherLayout();
        if (m == Method.PROGRESSIVE) {
            List<Path> checkpoints = run.checkpointFiles();
            if (checkpoints.isEmpty())
                throw new IllegalArgumentException("progressive needs the teacher's checkpoints: " + run.checkpoints()
                        + " has no step-<N>.safetensors; train the teacher with --checkpoint-every");
            for (Path c : checkpoints) teacherConfig(c, task);   // headers only: a truncated one fails here, not mid-run
        }
        ModelConfig teacher = teacherConfig(run.model(), task);
        if (m == Method.EXTRACT) StagePlan.extraction(settings, student, teacher, training.steps());
    }

    /** The teacher run's layout, after checking that the folder and its final model exist. */
    private RunLayout teacherLayout() {
        Method m = settings.method();
        if (teacherRun == null)
            throw new IllegalArgumentException(m.id() + " needs a teacher: give the folder of a trained teacher run");
        RunLayout layout = new RunLayout(teacherRun);
        if (!Files.isDirectory(teacherRun))
            throw new IllegalArgumentException("teacher run folder " + teacherRun + " does not exist");
        if (!Files.isRegularFile(layout.model()))
            throw new IllegalArgumentException("teacher run " + teacherRun + " has no model.safetensors (the final "
                    + "teacher); train the teacher to the end with curex train --out " + teacherRun);
        return layout;
    }

    /** The config a teacher file records, checked against the task, naming the file when it does not fit. */
    private static ModelConfig teacherConfig(Path file, Task task) throws IOException {
        ModelConfig c = ModelCheckpoint.config(file, Safetensors.readMetadata(file));
        try {
            c.checkTask(task);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("teacher " + file + " " + e.getMessage());
        }
        return c;
    }

    @Override
    public Objective objective(Model student, Optimizer optimizer, TaskObjective data, TrainingSettings training)
            throws IOException {
        Method m = settings.method();
        Backend be = student.parameters().backend();
        Task task = data.task();
        List<ParamGroup> all = List.of(ParamGroup.all(optimizer));
        List<AutoCloseable> teachers = new ArrayList<>();
        try {
            return switch (m) {
                case CE -> new StageController(List.of(Stage.of("ce", data, all)), data.batchSize(), null, () -> 0L,
                        null, teachers);
                case ONESHOT, EXTRACT -> {
                    TeacherModel teacher = keep(teachers, TeacherModel.load(teacherLayout().model(), be));
                    teacher.checkTask(task);
                    List<Stage> stages = m == Method.EXTRACT
                            ? ExtractionStages.build(settings, training, task, teacher, student,
                            optimizer, data, shared)
                            : List.of(Stage.of("kd", new KdObjective(data, student, TeacherSource.fixed(teacher), settings,
                            shared),
                            all));
                    yield new StageController(stages, data.batchSize(), teacher.flops(), teacher::fileBytes,
                            teacher.file().toString(), teachers);
                }
                case PROGRESSIVE -> {
                    ProgressiveTeachers ps = keep(teachers, ProgressiveTeachers.open(teacherLayout().dir(),
                            settings.speed(), be, task));
                    ps.at(0);    // step 0's teacher, loaded now so that a bad file fails before training
                    Stage stage = new Stage(s -> "kd@" + ps.label(s), new KdObjective(data, student, ps, settings, shared), all,
                            Stage.End.never(), null, List.of());
                    yield new StageController(List.of(stage), data.batchSize(), ps.flops(), ps::storageBytes,
                            teacherRun.toString(), teachers);
                }
            };
        } catch (IOException | RuntimeException e) {
            for (AutoCloseable c : teachers) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static <T extends AutoCloseable> T keep(List<AutoCloseable> open, T resource) {
        open.add(resource);
        return resource;
    }
}
