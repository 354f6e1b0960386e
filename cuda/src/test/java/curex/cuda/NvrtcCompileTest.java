// Compiles every kernel source with NVRTC (no GPU needed) wherever libnvrtc is found; skipped with the reason elsewhere.
package curex.cuda;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CUDA C is otherwise checked only on a GPU; NVRTC compiles without one. Point {@code CUREX_CUDA_LIB} at a
 * folder holding libnvrtc.so.13 or .12 (for example a pip-installed nvidia-cuda-nvrtc wheel's nvidia/cu13/lib).
 */
class NvrtcCompileTest {
    private static Nvrtc nvrtc;

    @BeforeAll
    static void findNvrtc() {
        LibrarySearch search = LibrarySearch.standard();
        Optional<NativeLibrary> lib = Nvrtc.find(search);
        assumeTrue(lib.isPresent(), () -> "no NVRTC (" + String.join(" or ", Nvrtc.NAMES) + ") found; searched "
                + search.describe());
        nvrtc = new Nvrtc(lib.get());
    }

    /** The names of every extern "C" __global__ function in the program. */
    static List<String> kernelNames(String source) {
        Matcher m = Pattern.compile("extern \"C\" __global__ void (\\w+)\\(").matcher(source);
        List<String> names = new ArrayList<>();
        while (m.find()) names.add(m.group(1));
        return names;
    }

    @Test
    void everyKernelCompilesToPtxForHopper() {
        KernelSource source = KernelSource.all();
        byte[] image = nvrtc.compile(source.name(), source.text(), KernelCompiler.options("compute_90"), false);
        String ptx = new String(image, StandardCharsets.US_ASCII);
        List<String> names = kernelNames(source.text());
        assertTrue(names.size() >= 40, "kernels found in the sources: " + names);
        for (String name : names)
            assertTrue(ptx.contains(".entry " + name + "("), "no .entry for " + name + " in the PTX");
    }

    @Test
    void theDeviceTargetCompilesToCubinWhenSupported() {
        int[] archs = nvrtc.supportedArchitectures();
        assertTrue(archs.length > 0);
        String target = KernelCompiler.target(90, archs);
        assertTrue(target.equals("sm_90"), "NVRTC " + nvrtc.version() + " should support sm_90: " + target);
        KernelSource source = KernelSource.all();
        byte[] cubin = nvrtc.compile(source.name(), source.text(), KernelCompiler.options(target), true);
        assertTrue(cubin.length > 1000 && cubin[0] == 0x7f && cubin[1] == 'E', "a CUBIN is an ELF file");
    }

    @Test
    void aCompileErrorCarriesNvrtcsLog() {
        CudaException e = assertThrows(CudaException.class, () -> nvrtc.compile("broken.cu",
                "extern \"C\" __global__ void k(float* x) { x[0] = undefined_name; }",
                KernelCompiler.options("compute_90"), false));
        assertTrue(e.getMessage().contains("broken.cu") && e.getMessage().contains("undefined_name"), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }
}
