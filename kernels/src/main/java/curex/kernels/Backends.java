// Finds backends by name through java.util.ServiceLoader, so that other modules can add their own.
package curex.kernels;

import java.util.List;
import java.util.ServiceLoader;

/**
 * Lookup of the {@link BackendProvider}s visible to the thread's context class loader, in registration order.
 * Nothing is cached: every call asks a fresh {@link ServiceLoader}.
 */
public final class Backends {
    private Backends() {
    }

    /** Every registered provider, available here or not. */
    public static List<BackendProvider> providers() {
        return ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
    }

    /** The names of every registered backend, e.g. [reference, vector]. */
    public static List<String> names() {
        return providers().stream().map(BackendProvider::name).toList();
    }

    /** The provider of that name; IllegalArgumentException naming the registered ones when there is none. */
    public static BackendProvider provider(String name) {
        return provider(providers(), name);
    }

    static BackendProvider provider(List<BackendProvider> all, String name) {
        return all.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown backend '" + name + "'; available: "
                        + String.join(", ", all.stream().map(BackendProvider::name).toList())));
    }

    /**
     * Opens the backend of that name. IllegalArgumentException for an unknown name, IllegalStateException
     * ("backend 'x' is not available here: reason") for one that cannot run here.
     */
    public static Backend open(String name, BackendSettings settings) {
        return open(providers(), name, settings);
    }

    static Backend open(List<BackendProvider> all, String name, BackendSettings settings) {
        BackendProvider p = provider(all, name);
        p.unavailableReason().ifPresent(why -> {
            throw new IllegalStateException("backend '" + name + "' is not available here: " + why);
        });
        return p.open(settings);
    }
}
