// `curex distill`: trains a student from a teacher run with one of the four methods and writes the run folder.
package curex.cli;

import curex.engine.compare.DistillJob;
import curex.engine.data.SparseParity;
import curex.engine.distill.DistillResult;
import curex.engine.distill.DistillSettings;
import curex.engine.distill.Method;
import curex.engine.distill.StudentTraining;
import curex.engine.io.RunLayout;
import curex.engine.metrics.Progress;
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
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Outputs: {@code <out>/metrics.jsonl} (train, eval and stage records), {@code <out>/summary.json} (the settings and
 * every field of the result: steps, samples and FLOPs to target, storage, stages, evaluations),
 * {@code <out>/config.json} and {@code <out>/model.safetensors} (the student, readable by `curex eval`).
 */
@Command(name = "distill", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a student from a teacher run: ce (ground truth only, no teacher), oneshot (KD on the "
                + "final teacher), progressive (KD on the teacher's checkpoints, then the final one) or extract "
                + "(curriculum extraction: projection stages on the final teacher's hidden layers, then KD).",
                "Every method uses the same student, optimizer, budget and data for a given --seed."})
public final class DistillCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--method", required = true, description = "Method: ${COMPLETION-CANDIDATES}.")
    DistillChoices.MethodName method;

    @Option(names = "--teacher", paramLabel = "DIR",
            description = "Teacher run folder, as `curex train` writes it: model.safetensors (the final teacher) and, "
                    + "for progressive, checkpoints/step-<N>.safetensors. Required except for ce.")
    Path teacher;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: runs/distill-<method>-seed<seed>).")
    Path out;

    @Option(names = "--force", description = "Replace the outputs of a run already in --out.")
    boolean force;

    @Option(names = "--task", defaultValue = "parity", description = "Task: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Choices.Task task;

    @Option(names = "--n", converter = Converters.PositiveInt.class,
            description = "Parity: input bits (default: the teacher's, from its metadata; " + Defaults.N + " without a teacher).")
    Integer n;

    @Option(names = "--k", converter = Converters.PositiveInt.class,
            description = "Parity: support size (default: the teacher's, from its metadata; " + Defaults.K + " without a teacher).")
    Integer k;

    @Mixin
    StudentOptions student;

    @Mixin
    OptimizerOptions optimizer;

    @Mixin
    KdOptions kd;

    @Mixin
    ExtractionOptions extraction;

    @Mixin
    BackendOptions backendOptions;

    /** Cross-option checks, the task sizes from the teacher, the output folder; usage errors (exit 2) otherwise. */
    DistillRequest settings() throws IOException {
        Method m = method.engine();
        if (m.needsTeacher() && teacher == null)
            throw usage("--teacher: " + m.id() + " distils from a teacher; give the folder of a trained teacher run");
        int nn, kk;
        if (teacher != null) {
            TeacherInfo t;
            try {
                t = TeacherInfo.read(teacher);
            } catch (IllegalArgumentException e) {
                throw usage("--teacher: " + e.getMessage());
            }
            nn = fromTeacher("--n", n, t.n(), t);
            if (t.k() == null && k == null)
                throw usage("--k: the teacher's metadata (" + t.model() + ") has no parity.k; give --k");
            kk = t.k() == null ? k : fromTeacher("--k", k, t.k(), t);
        } else {
            nn = n != null ? n : Integer.parseInt(Defaults.N);
            kk = k != null ? k : Integer.parseInt(Defaults.K);
        }
        if (kk > nn) throw usage("--k: must be <= --n (" + nn + "), got " + kk);
        String warmup = optimizer.checkWarmup(student.steps);
        if (warmup != null) throw usage(warmup);
        StudentTraining training;
        DistillSettings distill;
        try {
            training = student.training(optimizer);
            distill = extraction.applyTo(kd.applyTo(DistillSettings.builder().method(m))).build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        Path dir = out != null ? out : Path.of("runs", "distill-" + m.id() + "-seed" + student.seed);
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw usage("--out: '" + dir + "' exists and is not a folder");
        if (!force && new RunLayout(dir).holdsRun())
            throw usage("--out: '" + dir + "' already holds a run; use --force to replace it");
        return new DistillRequest(nn, kk, training, distill, teacher, dir, backendOptions.kind(), backendOptions.threads());
    }

    private int fromTeacher(String option, Integer given, int teachers, TeacherInfo t) {
        if (given != null && given != teachers)
            throw usage(option + ": the teacher in '" + t.dir() + "' was trained on parity " + option.substring(2) + "="
                    + teachers + ", but " + option + " is " + given + "; omit " + option + " to use the teacher's");
        return teachers;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws Exception {
        DistillRequest r = settings();
        Method m = r.distill().method();
        if (m == Method.PROGRESSIVE && !TeacherInfo.read(r.teacher()).checkpoints())
            throw new IllegalArgumentException("progressive needs the teacher's checkpoints, but "
                    + new RunLayout(r.teacher()).checkpoints() + " has no step-<N>.safetensors; train the teacher "
                    + "with --checkpoint-every, or use oneshot or extract");
        PrintWriter out = spec.commandLine().getOut();
        SparseParity parity = new SparseParity(r.n(), r.k());
        try (Backend backend = Backends.create(r.backend(), r.threads())) {
            out.println("distilling with " + m.id() + " on parity(n=" + r.n() + ", k=" + r.k() + "), student "
                    + r.training().toMap().get("hidden") + ", " + r.training().steps() + " steps, " + backend.name()
                    + " backend, " + backend.threads() + " thread(s)" + (r.teacher() == null ? "" : ", teacher " + r.teacher())
                    + " -> " + r.out());
            out.flush();
            DistillResult result;
            try (Progress progress = Progress.create(m.id(), r.training().steps(), out, Progress.isInteractive())) {
                result = DistillJob.run(backend, parity, r.training(), r.distill(), r.teacher(), new RunLayout(r.out()),
                        r.toMap(), progress, true);
            }
            out.println(done(result, r.out()));
            out.flush();
        }
        return Main.OK;
    }

    static String done(DistillResult r, Path dir) {
        String target = r.reachedTarget()
                ? String.format(Locale.ROOT, "target %.2f%% reached at step %d (student %.3g FLOPs, teacher %.3g FLOPs)",
                100 * r.targetAccuracy(), r.stepsToTarget(), (double) r.studentFlopsToTarget(), (double) r.teacherFlopsToTarget())
                : String.format(Locale.ROOT, "target %.2f%% not reached", 100 * r.targetAccuracy());
        return String.format(Locale.ROOT, "done: %d steps, final accuracy %.2f%% (best %.2f%%), %s, teacher storage "
                        + "%d bytes, %.1f s -> %s", r.steps(), 100 * r.finalAccuracy(), 100 * r.bestAccuracy(), target,
                r.storageBytes(), r.elapsedSeconds(), dir);
    }
}
