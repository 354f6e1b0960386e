// The three native libraries the backend needs, found and loaded once per process, or why they cannot be.
package curex.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The driver (with cuInit done and at least one device), NVRTC and cuBLAS, loaded once per process (a loaded
 * library stays loaded anyway); {@link #probe} says exactly what is missing and where it was looked for, and
 * never throws.
 */
record CudaLibraries(CudaDriver driver, Nvrtc nvrtc, Cublas cublas) {

    /** Either the loaded libraries or the reason they cannot be used. */
    record Probe(CudaLibraries libraries, String reason) {
        Optional<String> unavailableReason() {
            return Optional.ofNullable(reason);
        }
    }

    private static final class Holder {
        static final Probe PROBE = probe(LibrarySearch.standard());
    }

    /** This process's probe, computed on first use. */
    static Probe probe() {
        return Holder.PROBE;
    }

    /** The libraries of this process; IllegalStateException with the reason when they are not usable. */
    static CudaLibraries load() {
        Probe p = probe();
        if (p.libraries() == null) throw new IllegalStateException("backend 'cuda' is not available here: " + p.reason());
        return p.libraries();
    }

    /** Looks for every library with {@code search}; never throws. */
    static Probe probe(LibrarySearch search) {
        List<String> missing = new ArrayList<>();
        CudaDriver driver = null;
        Nvrtc nvrtc = null;
        Cublas cublas = null;
        try {
            Optional<NativeLibrary> lib = CudaDriver.find(search);
            if (lib.isEmpty()) missing.add("no CUDA driver (" + String.join(", ", CudaDriver.NAMES) + " not found)");
            else {
                driver = new CudaDriver(lib.get());
                int status = driver.initStatus();
                if (status != 0) {
                    missing.add(deviceProblem(driver, status));
                    driver = null;
                } else if (driver.deviceCount() == 0) {
                    missing.add("no CUDA device (the driver in " + driver.where() + " reports none)");
                    driver = null;
                }
            }
        } catch (RuntimeException | LinkageError e) {
            missing.add("the CUDA driver cannot be used: " + e.getMessage());
            driver = null;
        }
        try {
            Optional<NativeLibrary> lib = Nvrtc.find(search);
            if (lib.isEmpty()) missing.add("no NVRTC (" + String.join(" or ", Nvrtc.NAMES) + " not found)");
            else nvrtc = new Nvrtc(lib.get());
        } catch (RuntimeException | LinkageError e) {
            missing.add("NVRTC cannot be used: " + e.getMessage());
        }
        try {
            Optional<NativeLibrary> lib = Cublas.find(search);
            if (lib.isEmpty()) missing.add("no cuBLAS (" + String.join(" or ", Cublas.NAMES) + " not found)");
            else cublas = new Cublas(lib.get());
        } catch (RuntimeException | LinkageError e) {
            missing.add("cuBLAS cannot be used: " + e.getMessage());
        }
        if (missing.isEmpty()) return new Probe(new CudaLibraries(driver, nvrtc, cublas), null);
        return new Probe(null, String.join("; ", missing) + "; searched " + search.describe()
                + " (set " + LibrarySearch.ENV + " to the folder that holds them)");
    }

    private static String deviceProblem(CudaDriver driver, int status) {
        try {
            driver.check("cuInit", status);
            return "cuInit failed";
        } catch (CudaException e) {
            return "no usable CUDA device (" + e.getMessage() + ")";
        }
    }
}
