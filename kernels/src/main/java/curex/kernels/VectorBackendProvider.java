// Registers the SIMD CPU backend with ServiceLoader under the name "vector", if the Vector API module is present.
package curex.kernels;

import java.util.Optional;

/**
 * Provides {@link VectorBackend}. It needs the incubating {@code jdk.incubator.vector} module, which the JVM loads
 * only when asked ({@code --add-modules jdk.incubator.vector}); without it the provider reports the missing
 * module instead of failing with a LinkageError. This class itself touches no Vector API type.
 */
public final class VectorBackendProvider implements BackendProvider {
    static final String MODULE = "jdk.incubator.vector";

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public String description() {
        return "SIMD kernels on the JDK Vector API, multi-threaded; results independent of the thread count";
    }

    @Override
    public Optional<String> unavailableReason() {
        return unavailableReason(ModuleLayer.boot());
    }

    /** Why the backend cannot run in a JVM whose modules are those of {@code layer}, if it cannot. */
    static Optional<String> unavailableReason(ModuleLayer layer) {
        if (layer.findModule(MODULE).isPresent()) return Optional.empty();
        return Optional.of("the " + MODULE + " module is not loaded; start the JVM with --add-modules " + MODULE);
    }

    @Override
    public Backend open(BackendSettings settings) {
        unavailableReason().ifPresent(why -> {
            throw new IllegalStateException("backend 'vector' is not available here: " + why);
        });
        return new VectorBackend(settings.threads());
    }
}
