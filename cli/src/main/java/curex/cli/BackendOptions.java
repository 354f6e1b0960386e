// Options shared by commands that compute: which backend and how many threads.
package curex.cli;

import curex.engine.data.Task;
import curex.engine.model.ModelConfig;
import curex.engine.model.ModelFamily;
import curex.engine.settings.TrainingSettings;
import curex.engine.train.MemoryEstimate;
import curex.kernels.Backend;
import curex.kernels.BackendSettings;
import curex.kernels.Backends;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.Iterator;
import java.util.Optional;

/** {@code --backend} and {@code --threads}, mixed into commands; backends are found through ServiceLoader. */
public final class BackendOptions {
    /** Threads beyond this many times the processors only slow a run down (and each one holds a stack). */
    static final int MAX_THREADS_PER_PROCESSOR = 4;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "vector", completionCandidates = Names.class,
            description = "Compute backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--threads", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Worker threads (default: the number of available processors).")
    Integer threads;

    /** The backend names found at run time. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Backends.names().iterator();
        }
    }

    public String name() {
        return backend;
    }

    /** Why the chosen (registered) backend cannot run here, if it cannot. */
    Optional<String> unavailableReason() {
        return Backends.provider(backend).unavailableReason();
    }

    /** The requested thread count, or the number of available processors. */
    public int threads() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    /**
     * Usage errors (exit 2) for an unknown backend, one that cannot run here (no GPU, say: the provider's reason),
     * or an unreasonable thread count, before anything runs.
     */
    void check() {
        if (!Backends.names().contains(backend))
            throw new ParameterException(spec.commandLine(), "--backend: unknown backend '" + backend + "'; the backends are "
                    + String.join(", ", Backends.names()));
        unavailableReason().ifPresent(why -> {
            throw new ParameterException(spec.commandLine(), "--backend: backend '" + backend
                    + "' is not available here: " + why);
        });
        int limit = MAX_THREADS_PER_PROCESSOR * Runtime.getRuntime().availableProcessors();
        if (threads() > limit)
            throw new ParameterException(spec.commandLine(), "--threads: " + threads() + " is more than "
                    + MAX_THREADS_PER_PROCESSOR + " per available processor (" + limit + " here); more threads than "
                    + "processors only slow a run down");
    }

    /**
     * A usage error when a run of {@code model} on {@code task} with {@code training} cannot fit in the memory this
     * process may use (the CPU backends keep everything on the Java heap), checked before anything is allocated.
     */
    void checkMemory(Task task, ModelConfig model, TrainingSettings training) {
        checkMemory(task, model, training, null);
    }

    /** {@link #checkMemory(Task, ModelConfig, TrainingSettings)} of a student distilled from {@code teacher}, or null. */
    void checkMemory(Task task, ModelConfig model, TrainingSettings training, ModelConfig teacher) {
        long need = teacher == null ? MemoryEstimate.bytes(task, model, training)
                : MemoryEstimate.bytes(task, model, training, teacher);
        long have = Runtime.getRuntime().maxMemory();
        if (need > have)
            throw new ParameterException(spec.commandLine(), "training " + model.describe() + " on " + task.describe()
                    + (teacher == null ? "" : " from a " + teacher.describe() + " teacher")
                    + " with batch " + training.batch() + " needs at least " + MemoryEstimate.format(need)
                    + " of memory, but java may use " + MemoryEstimate.format(have) + "; use a smaller model ("
                    + (model.family() == ModelFamily.TRANSFORMER ? "--d-model, --layers" : "--hidden, --n")
                    + "), --batch or --eval-size, or give java more memory (CUREX_JAVA_OPTS=-Xmx<size> with ./curex)");
    }

    /** The worker threads {@code be} computes with: its own count on a CPU backend (the reference one has one). */
    static int threadsUsed(Backend be, int asked) {
        return be instanceof curex.kernels.CpuBackend cpu ? cpu.threads() : asked;
    }

    /** Whether the chosen backend computes on this machine's processors (a CPU backend). */
    boolean computesOnHost() {
        return Backends.provider(backend).computesOnHost();
    }

    /** Creates the backend; the caller closes it. */
    public Backend open() {
        return open(threads());
    }

    /** Creates the backend with {@code threads} worker threads (a share of {@link #threads()}); the caller closes it. */
    Backend open(int threads) {
        check();
        return Backends.open(backend, new BackendSettings(threads));
    }
}
