// Backends found through ServiceLoader: names in registration order, open by name, and the error messages.
package curex.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackendsTest {

    @Test
    void namesListTheRegisteredProviders() {
        assertEquals(List.of("reference", "vector"), Backends.names());
        for (BackendProvider p : Backends.providers()) {
            assertEquals(Optional.empty(), p.unavailableReason(), p.name() + " runs here (tests add the module)");
            assertTrue(!p.description().isBlank(), p.name());
        }
    }

    @Test
    void opensByName() {
        try (Backend v = Backends.open("vector", new BackendSettings(3));
             Backend r = Backends.open("reference", BackendSettings.defaults())) {
            assertInstanceOf(VectorBackend.class, v);
            assertEquals(3, ((CpuBackend) v).threads());
            assertEquals("3", v.describe().get("threads"));
            assertInstanceOf(ReferenceBackend.class, r);
            assertEquals("reference", r.name());
            assertEquals(List.of("backend", "threads", "vector width"), List.copyOf(r.describe().keySet()));
            assertEquals("1 floats", r.describe().get("vector width"));
        }
    }

    @Test
    void unknownNamesListWhatIsAvailable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backends.open("x", BackendSettings.defaults()));
        assertEquals("unknown backend 'x'; available: reference, vector", e.getMessage());
    }

    @Test
    void settingsNeedAThread() {
        assertThrows(IllegalArgumentException.class, () -> new BackendSettings(0));
        assertEquals(Runtime.getRuntime().availableProcessors(), BackendSettings.defaults().threads());
    }

    @Test
    void vectorProviderNamesTheMissingModule() {
        assertEquals(Optional.empty(), VectorBackendProvider.unavailableReason(ModuleLayer.boot()));
        String why = VectorBackendProvider.unavailableReason(ModuleLayer.empty()).orElseThrow();
        assertTrue(why.contains("jdk.incubator.vector") && why.contains("--add-modules"), why);
    }

    @Test
    void unavailableBackendsSayWhy() {
        BackendProvider cuda = new BackendProvider() {
            public String name() {
                return "cuda";
            }

            public String description() {
                return "a device that is not here";
            }

            public Optional<String> unavailableReason() {
                return Optional.of("no CUDA device");
            }

            public Backend open(BackendSettings settings) {
                throw new AssertionError("must not be opened");
            }
        };
        List<BackendProvider> all = List.of(new ReferenceBackendProvider(), cuda);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Backends.open(all, "cuda", BackendSettings.defaults()));
        assertEquals("backend 'cuda' is not available here: no CUDA device", e.getMessage());
        IllegalArgumentException u = assertThrows(IllegalArgumentException.class,
                () -> Backends.open(all, "vector", BackendSettings.defaults()));
        assertEquals("unknown backend 'vector'; available: reference, cuda", u.getMessage());
    }
}
