// One distillation run end to end: builds student, teacher(s) and stages, trains within the budget, returns the result.
package curex.engine.distill;

import curex.engine.data.LabeledBatch;
import curex.engine.data.SparseParity;
import curex.engine.flops.FlopCounter;
import curex.engine.io.RunLayout;
import curex.engine.nn.Mlp;
import curex.engine.nn.MlpConfig;
import curex.engine.optim.Optimizer;
import curex.engine.tensor.ExecContext;
import curex.engine.train.ClassificationObjective;
import curex.engine.train.ClassifierAccuracy;
import curex.engine.train.ParamGroup;
import curex.engine.train.TrainState;
import curex.engine.train.TrainStep;
import curex.engine.train.Trainer;
import curex.kernels.Backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Runs one method on sparse parity with the engine's {@link Trainer}:
 * <pre>
 * DistillResult r = new DistillRun(backend, new SparseParity(n, k), training, DistillSettings.of(Method.EXTRACT))
 *         .teacher(teacherRunDir)          // the folder `curex train` wrote (model.safetensors, checkpoints/)
 *         .listener(recorder)              // e.g. a DistillRecorder writing metrics.jsonl and summary.json
 *         .run();
 * </pre>
 * Every method uses the same student (initialised from the seed), optimizer, global learning-rate schedule, budget
 * and data: batch s of the task for the run's seed, so methods see identical data in identical order. Stages run in
 * order inside the one loop (projection stages, then KD for the remaining steps); each stage trains its own groups
 * (student layers 1..j plus the stage's adapter, or all student parameters). The held-out set is evaluated at step 0,
 * every {@code evalEvery} steps and at the end.
 */
public final class DistillRun {
    private final Backend backend;
    private final SparseParity task;
    private final StudentTraining training;
    private final DistillSettings settings;
    private final List<DistillListener> listeners = new ArrayList<>();
    private Path teacherRun;

    public DistillRun(Backend backend, SparseParity task, StudentTraining training, DistillSettings settings) {
        if (backend == null || task == null || training == null || settings == null)
            throw new IllegalArgumentException("backend, task, training and distillation settings must all be given");
        this.backend = backend;
        this.task = task;
        this.training = training;
        this.settings = settings;
    }

    /** The teacher's run folder: {@code model.safetensors} and, for progressive, {@code checkpoints/}. */
    public DistillRun teacher(Path teacherRunDir) {
        this.teacherRun = teacherRunDir;
        return this;
    }

    public DistillRun listener(DistillListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Trains the student as configured; everything it allocates is freed before it returns. */
    public DistillResult run() throws IOException {
        Method method = settings.method();
        RunLayout teacherLayout = checkTeacherRun(method);
        long startNanos = System.nanoTime();
        int batch = training.batch(), n = task.n();
        long seed = training.seed();
        List<AutoCloseable> open = new ArrayList<>();
        Throwable failure = null;
        try {
            Mlp student = keep(open, Mlp.create(backend,
                    new MlpConfig(training.widths(n, task.classes()), training.activation()), seed));
            Optimizer opt = keep(open, StudentOptim.optimizer(training, student.parameters()));
            TrainStep step = keep(open, new TrainStep(new ExecContext(backend), opt, (float) training.clip()));
            ClassificationObjective data = keep(open, new ClassificationObjective(backend, student,
                    (s, x, y) -> task.batch(seed, s, batch, x, y), batch, n));
            LabeledBatch held = task.heldOut(seed, training.evalSize());
            ClassifierAccuracy evaluator = keep(open, ClassifierAccuracy.onHeldOut(backend, student, held));

            List<Stage> stages;
            FlopCounter teacherFlops = null;
            LongSupplier storage = () -> 0L;
            String teacherName = null;
            switch (method) {
                case CE -> stages = List.of(Stage.of("ce", data, List.of(ParamGroup.all(opt))));
                case ONESHOT, EXTRACT -> {
                    TeacherModel teacher = keep(open, TeacherModel.load(teacherLayout.model(), backend));
                    teacher.checkTask(n, task.classes());
                    teacherFlops = teacher.flops();
                    storage = teacher::fileBytes;
                    teacherName = teacher.file().toString();
                    stages = method == Method.EXTRACT
                            ? ExtractionStages.build(settings, training, task, teacher, student, opt, data)
                            : List.of(Stage.of("kd", new KdObjective(data, student, TeacherSource.fixed(teacher), settings),
                            List.of(ParamGroup.all(opt))));
                }
                case PROGRESSIVE -> {
                    ProgressiveTeachers teachers = keep(open, ProgressiveTeachers.open(teacherLayout.dir(),
                            settings.speed(), backend, n, task.classes()));
                    teachers.at(0);    // step 0's teacher, loaded now so that a bad file fails before training
                    teacherFlops = teachers.flops();
                    storage = teachers::storageBytes;
                    teacherName = teacherLayout.dir().toString();
                    stages = List.of(new Stage(s -> "kd@" + teachers.label(s),
                            new KdObjective(data, student, teachers, settings), List.of(ParamGroup.all(opt)),
                            StageEnd.never(), List.of()));
                }
                default -> throw new IllegalStateException("unhandled method " + method);
            }
            long setupTeacherFlops = teacherFlops == null ? 0 : teacherFlops.total();
            StageController controller = keep(open, new StageController(stages, batch, listeners));
            long evalEvery = training.evalEvery() > 0 ? training.evalEvery() : training.steps();
            Trainer trainer = new Trainer(step, controller, StudentOptim.schedule(training), training.steps())
                    .trainableGroups(controller::groups)
                    .evaluateEvery(evalEvery, evaluator)
                    .evaluateAtStart(true)
                    .listener(controller);
            if (teacherFlops != null) trainer.teacherFlops(teacherFlops);
            if (training.stopAtTarget()) trainer.stopAtAccuracy(training.targetAccuracy());
            TrainState end = trainer.run(new TrainState(0, 0, 0, setupTeacherFlops, 0));
            DistillResult result = result(controller, end, student.config(), teacherName, setupTeacherFlops,
                    storage.getAsLong(), (System.nanoTime() - startNanos) / 1e9);
            for (DistillListener l : listeners) l.onFinish(result, student);
            return result;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            closeAll(open, failure);
        }
    }

    private RunLayout checkTeacherRun(Method method) {
        if (!method.needsTeacher()) return null;
        if (teacherRun == null)
            throw new IllegalArgumentException(method.id() + " needs a teacher: give the folder of a trained teacher run");
        RunLayout layout = new RunLayout(teacherRun);
        if (!Files.isDirectory(teacherRun))
            throw new IllegalArgumentException("teacher run folder " + teacherRun + " does not exist");
        if (!Files.isRegularFile(layout.model()))
            throw new IllegalArgumentException("teacher run " + teacherRun + " has no model.safetensors (the final "
                    + "teacher); train the teacher to the end with curex train --out " + teacherRun);
        return layout;
    }

    private DistillResult result(StageController c, TrainState end, MlpConfig student, String teacher,
                                 long setupTeacherFlops, long storage, double elapsed) {
        List<EvalPoint> evals = c.evals();
        double target = training.targetAccuracy();
        EvalPoint hit = evals.stream().filter(p -> p.accuracy() >= target).findFirst().orElse(null);
        double best = evals.stream().mapToDouble(EvalPoint::accuracy).max().orElse(Double.NaN);
        double last = evals.isEmpty() ? Double.NaN : evals.getLast().accuracy();
        double wall = end.wallNanos() / 1e9;
        return new DistillResult(settings.method().id(), student.toString(), teacher, target,
                hit == null ? null : hit.step(), hit == null ? null : hit.samples(),
                hit == null ? null : hit.studentFlops(), hit == null ? null : hit.teacherFlops(),
                end.step(), end.samples(), last, best, wall, wall > 0 ? end.step() / wall : Double.NaN, elapsed,
                end.flops(), end.teacherFlops(), setupTeacherFlops, storage, c.stopReason(), c.summaries(), evals);
    }

    private static <T extends AutoCloseable> T keep(List<AutoCloseable> open, T resource) {
        open.add(resource);
        return resource;
    }

    private static void closeAll(List<AutoCloseable> open, Throwable failure) throws IOException {
        Exception first = null;
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                if (failure != null) failure.addSuppressed(e);
                else if (first == null) first = e;
            }
        }
        if (first instanceof IOException io) throw io;
        if (first instanceof RuntimeException re) throw re;
        if (first != null) throw new IllegalStateException(first);
    }

    public Backend backend() {
        return backend;
    }

    public SparseParity task() {
        return task;
    }

    public StudentTraining training() {
        return training;
    }

    public DistillSettings settings() {
        return settings;
    }
}
