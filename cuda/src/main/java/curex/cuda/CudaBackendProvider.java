// Registers the CUDA backend with ServiceLoader under the name "cuda"; says exactly what is missing when it cannot run.
package curex.cuda;

import curex.kernels.Backend;
import curex.kernels.BackendProvider;
import curex.kernels.BackendSettings;
import java.util.Optional;

/**
 * Provides {@link CudaBackend}. Constructing it loads nothing; {@link #unavailableReason} looks for the driver,
 * a device, NVRTC and cuBLAS once per process (see {@link LibrarySearch}) and never throws. The thread count of
 * the settings is ignored; {@link CudaOptions} come from system properties.
 */
public final class CudaBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public boolean computesOnHost() {
        return false;
    }

    @Override
    public String description() {
        return "NVIDIA GPU through the CUDA driver: NVRTC-compiled kernels, cuBLAS FP32 products";
    }

    @Override
    public Optional<String> unavailableReason() {
        try {
            return CudaLibraries.probe().unavailableReason();
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("CUDA could not be probed: " + e);
        }
    }

    @Override
    public Backend open(BackendSettings settings) {
        unavailableReason().ifPresent(why -> {
            throw new IllegalStateException("backend 'cuda' is not available here: " + why);
        });
        return new CudaBackend(CudaOptions.fromSystemProperties());
    }
}
