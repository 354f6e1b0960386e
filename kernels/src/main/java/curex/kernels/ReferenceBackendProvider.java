// Registers the scalar reference backend with ServiceLoader under the name "reference".
package curex.kernels;

import java.util.Optional;

/** Provides {@link ReferenceBackend}; always available, single-threaded whatever the settings say. */
public final class ReferenceBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public String description() {
        return "scalar loops in double precision, one thread: the oracle the other backends are tested against";
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public Backend open(BackendSettings settings) {
        return new ReferenceBackend();
    }
}
