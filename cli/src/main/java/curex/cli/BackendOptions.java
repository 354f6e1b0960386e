// Options shared by commands that compute: which backend and how many threads.
package curex.cli;

import curex.kernels.Backend;
import picocli.CommandLine.Option;

/** {@code --backend} and {@code --threads}, mixed into commands. */
public final class BackendOptions {

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "vector",
            description = "Compute backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Backends.Kind backend;

    @Option(names = "--threads", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Worker threads (default: the number of available processors).")
    Integer threads;

    public Backends.Kind kind() {
        return backend;
    }

    /** The requested thread count, or the number of available processors. */
    public int threads() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** Creates the backend; the caller closes it. */
    public Backend open() {
        return Backends.create(backend, threads());
    }
}
