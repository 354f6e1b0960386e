// Service interface through which java.util.ServiceLoader finds backends, including ones in other modules.
package curex.kernels;

import java.util.Optional;

/**
 * A kind of backend, registered in {@code META-INF/services/curex.kernels.BackendProvider}. Implementations
 * need a public no-argument constructor and must be cheap to construct and to ask about: loading a provider must
 * not load its backend's native or incubator dependencies, so that {@link #unavailableReason} can report them.
 */
public interface BackendProvider {

    /** The name users select the backend by, e.g. "vector"; unique among providers. */
    String name();

    /** One line saying what the backend is. */
    String description();

    /** Empty when the backend can be opened here; otherwise why not (a missing module, no device). */
    Optional<String> unavailableReason();

    /**
     * Whether the backend computes on this machine's processors (a CPU backend), so that runs made side by side on
     * backends of their own share the processors; false for a device backend.
     */
    default boolean computesOnHost() {
        return true;
    }

    /** A new backend; fails with IllegalStateException when {@link #unavailableReason} is not empty. */
    Backend open(BackendSettings settings);
}
