// Creates compute backends by name for the command line.
package curex.cli;

import curex.kernels.Backend;
import curex.kernels.ReferenceBackend;
import curex.kernels.VectorBackend;

/** The backends a user can choose with {@code --backend}. */
public final class Backends {
    private Backends() {
    }

    /** Backend names as typed on the command line. */
    public enum Kind {
        vector, reference
    }

    /** A new backend of {@code kind} with {@code threads} workers (the reference backend is single-threaded). */
    public static Backend create(Kind kind, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        return switch (kind) {
            case reference -> new ReferenceBackend();
            case vector -> {
                try {
                    yield new VectorBackend(threads);
                } catch (LinkageError e) {
                    throw new IllegalStateException("the vector backend needs the JDK Vector API; launch java with "
                            + "--add-modules jdk.incubator.vector, or use --backend reference", e);
                }
            }
        };
    }
}
