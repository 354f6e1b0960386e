// The sequence of teachers progressive KD distils from: the teacher run's checkpoints by step, then its final model.
package curex.engine.distill;

import curex.engine.autograd.Arena;
import curex.engine.data.Task;
import curex.engine.flops.FlopCounter;
import curex.engine.io.RunLayout;
import curex.engine.tensor.ExecContext;
import curex.kernels.Backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The checkpoints {@code <run>/checkpoints/step-<N>.safetensors} sorted by N. At student step s the student distils
 * from the first checkpoint whose N >= s * speed, and from {@code <run>/model.safetensors} once s * speed passes the
 * last checkpoint. Teachers load lazily and only the current one is held; all share one context (FLOP counter) and
 * arena. Storage is the summed size of every file read, each set of weights counted once (the final model is the
 * same weights as the checkpoint of the teacher's last step, and is not counted again).
 */
public final class ProgressiveTeachers implements TeacherSource, AutoCloseable {
    private final RunLayout run;
    private final double speed;
    private final long[] steps;        // sorted checkpoint steps
    private final Path[] files;        // checkpoint files, same order
    private final ExecContext ctx;
    private final Arena arena;
    private final Task task;
    private final Set<Path> read = new LinkedHashSet<>();
    private final Set<String> weights = new java.util.HashSet<>();   // digests of the weights read: each counted once
    private long storageBytes;
    private TeacherModel current;
    private Path currentFile;

    private ProgressiveTeachers(RunLayout run, double speed, List<Path> sorted, Backend backend, Task task) {
        this.run = run;
        this.speed = speed;
        this.steps = sorted.stream().mapToLong(p -> RunLayout.stepOf(p).orElseThrow()).toArray();
        this.files = sorted.toArray(Path[]::new);
        this.ctx = new ExecContext(backend);
        this.arena = new Arena(backend);
        this.task = task;
    }

    /**
     * Lists the checkpoints of teacher run {@code runDir}. Fails naming the folder when there are none. The teachers
     * must fit {@code task} (checked as each one loads).
     */
    public static ProgressiveTeachers open(Path runDir, double speed, Backend backend, Task task) throws IOException {
        if (!(speed > 0) || !Double.isFinite(speed))
            throw new IllegalArgumentException("progressive checkpoint speed must be a finite number > 0, got " + speed);
        RunLayout run = new RunLayout(runDir);
        List<Path> sorted = run.checkpointFiles();
        if (sorted.isEmpty())
            throw new IllegalArgumentException("progressive needs the teacher's checkpoints: " + run.checkpoints()
                    + " has no step-<N>.safetensors; train the teacher with --checkpoint-every");
        return new ProgressiveTeachers(run, speed, sorted, backend, task);
    }

    /** The file student step {@code step} distils from (pure; loads nothing). */
    public Path fileFor(long step) {
        int i = indexFor(step);
        return i < steps.length ? files[i] : run.model();
    }

    @Override
    public String label(long step) {
        int i = indexFor(step);
        return i < steps.length ? "step-" + steps[i] : FINAL;
    }

    /** Index of the first checkpoint whose step >= step * speed; steps.length for the final model. */
    private int indexFor(long step) {
        if (step < 0) throw new IllegalArgumentException("student step must be >= 0, got " + step);
        double teacherStep = step * speed;
        int lo = 0, hi = steps.length;    // first index with steps[i] >= teacherStep
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (steps[mid] >= teacherStep) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /** The teacher for student step {@code step}, loading it (and dropping the previous one) when it changes. */
    @Override
    public TeacherModel at(long step) {
        Path file = fileFor(step);
        if (!file.equals(currentFile)) {
            if (current != null) current.close();
            current = null;
            currentFile = null;
            try {
                if (!Files.isRegularFile(file))
                    throw new IllegalArgumentException("teacher run " + run.dir() + " has no " + file.getFileName()
                            + " (the final teacher that progressive KD ends with)");
                TeacherModel t = TeacherModel.load(file, ctx, arena);
                try {
                    t.checkTask(task);
                } catch (RuntimeException e) {
                    t.close();
                    throw e;
                }
                current = t;
                currentFile = file;
                if (read.add(file) && weights.add(t.weightsDigest())) storageBytes += t.fileBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return current;
    }

    /** Checkpoint steps, ascending. */
    public long[] checkpointSteps() {
        return steps.clone();
    }

    /** Files read so far, in order. */
    public List<Path> filesRead() {
        return List.copyOf(read);
    }

    /** Summed size of the files read so far, counting identical weights once. */
    public long storageBytes() {
        return storageBytes;
    }

    public double speed() {
        return speed;
    }

    public FlopCounter flops() {
        return ctx.flops();
    }

    @Override
    public void close() {
        if (current != null) current.close();
        current = null;
        currentFile = null;
        arena.close();
    }
}
