// The provider on any machine: registered as "cuda", cheap to ask, and precise about what is missing.
package curex.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import curex.kernels.BackendSettings;
import curex.kernels.Backends;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CudaProviderTest {

    @Test
    void registeredThroughServiceLoader() {
        assertTrue(Backends.names().contains("cuda"), Backends.names().toString());
        assertEquals("cuda", Backends.provider("cuda").name());
    }

    @Test
    void aMachineWithoutTheLibrariesSaysWhatIsMissingAndWhere(@TempDir Path empty) {
        LibrarySearch nowhere = LibrarySearch.of(Map.of(LibrarySearch.ENV, empty.toString()), empty, empty);
        CudaLibraries.Probe p = CudaLibraries.probe(nowhere);
        if (p.libraries() != null) return;   // the loader's own paths hold everything (a GPU machine)
        String why = p.reason();
        assertTrue(why.contains(LibrarySearch.ENV) && why.contains("loader"), why);
        assertTrue(why.contains("libcuda.so.1") || why.contains("libnvrtc") || why.contains("libcublas"), why);
    }

    @Test
    void unavailableHereMeansOpenFailsWithTheReason() {
        CudaBackendProvider provider = new CudaBackendProvider();
        Optional<String> why = provider.unavailableReason();
        assertEquals(why, provider.unavailableReason(), "asking twice gives the same answer");
        if (why.isEmpty()) return;   // a GPU machine: the GPU tests cover it
        assertTrue(why.get().contains("CUDA driver") || why.get().contains("device") || why.get().contains("NVRTC")
                || why.get().contains("cuBLAS"), why.get());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Backends.open("cuda", new BackendSettings(1)));
        assertTrue(e.getMessage().startsWith("backend 'cuda' is not available here: "), e.getMessage());
    }
}
