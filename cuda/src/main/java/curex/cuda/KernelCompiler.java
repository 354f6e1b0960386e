// Compiles the kernel program with NVRTC for a device's compute capability, through the on-disk cache.
package curex.cuda;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Chooses the target (the device's own sm_XY when this NVRTC supports it, giving a CUBIN; otherwise PTX for the
 * newest virtual architecture not above the device, which the driver compiles on load), then returns the cached
 * image or compiles one. {@code --fmad=false} keeps a * b + c as two roundings, as Java computes it.
 */
final class KernelCompiler {
    static final List<String> BASE_OPTIONS = List.of("--fmad=false", "--std=c++17");

    private final Nvrtc nvrtc;
    private final KernelCache cache;

    KernelCompiler(Nvrtc nvrtc, KernelCache cache) {
        this.nvrtc = nvrtc;
        this.cache = cache;
    }

    /** "sm_90" when {@code supported} holds the capability, else "compute_XY" for the newest one below it. */
    static String target(int capability, int[] supported) {
        if (Arrays.stream(supported).anyMatch(a -> a == capability)) return "sm_" + capability;
        int best = Arrays.stream(supported).filter(a -> a <= capability).max()
                .orElseThrow(() -> new CudaException("NVRTC supports none of the architectures up to compute capability "
                        + capability / 10 + "." + capability % 10 + " (it supports " + Arrays.toString(supported) + ")"));
        return "compute_" + best;
    }

    /** The image (CUBIN, or NUL-terminated PTX) of {@code source} for compute capability {@code capability}. */
    byte[] image(KernelSource source, int capability) {
        String target = target(capability, nvrtc.supportedArchitectures());
        List<String> options = options(target);
        String file = KernelCache.fileName(source.name(), target,
                KernelCache.key(source.sha256(), target, nvrtc.version(), options));
        return cache.read(file).orElseGet(() -> {
            byte[] image = nvrtc.compile(source.name(), source.text(), options, target.startsWith("sm_"));
            cache.write(file, image);
            return image;
        });
    }

    /** The NVRTC options for {@code target}. */
    static List<String> options(String target) {
        return Stream.concat(Stream.of("--gpu-architecture=" + target), BASE_OPTIONS.stream()).toList();
    }
}
