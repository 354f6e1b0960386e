// What the CUDA backend decides without a GPU: error messages, size classes, cache keys, compile targets, options.
package curex.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PureLogicTest {

    @Test
    void errorsNameTheCallAndTheCudaError() {
        assertEquals("cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (out of memory)",
                new CudaException("cuMemAlloc_v2", 2, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory").getMessage());
        assertEquals("cublasSgemm_v2 failed: error 7", CudaException.format("cublasSgemm_v2", 7, null, null));
        assertEquals("nvrtcCompileProgram failed: NVRTC_ERROR_COMPILATION",
                CudaException.format("nvrtcCompileProgram", 6, "NVRTC_ERROR_COMPILATION", "NVRTC_ERROR_COMPILATION"));
        CudaException e = new CudaException("cuInit", 100, "CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected");
        assertEquals("cuInit", e.call());
        assertEquals(100, e.status());
    }

    @Test
    void sizeClassesArePowersOfTwoThenEighths() {
        assertEquals(0, DeviceAllocator.sizeClass(0));
        assertEquals(512, DeviceAllocator.sizeClass(1));
        assertEquals(512, DeviceAllocator.sizeClass(512));
        assertEquals(1024, DeviceAllocator.sizeClass(513));
        assertEquals(1 << 20, DeviceAllocator.sizeClass((1 << 20) - 5));
        assertEquals((1 << 20) + (1 << 17), DeviceAllocator.sizeClass((1 << 20) + 1));
        for (long bytes = 1; bytes < (1L << 34); bytes = bytes * 3 + 7) {
            long c = DeviceAllocator.sizeClass(bytes);
            assertTrue(c >= bytes && (bytes <= 512 || c < 2 * bytes), bytes + " -> " + c);
            if (bytes > (1 << 20)) assertTrue(c - bytes <= bytes / 8 + 1, bytes + " -> " + c);
            assertEquals(c, DeviceAllocator.sizeClass(c), "a class is its own class");
        }
    }

    @Test
    void cacheKeysChangeWithSourceArchitectureNvrtcAndOptions() {
        List<String> opts = KernelCompiler.options("sm_90");
        String k = KernelCache.key("abc", "sm_90", "13.0", opts);
        assertEquals(32, k.length());
        assertEquals(k, KernelCache.key("abc", "sm_90", "13.0", opts));
        assertNotEquals(k, KernelCache.key("abd", "sm_90", "13.0", opts));
        assertNotEquals(k, KernelCache.key("abc", "sm_80", "13.0", opts));
        assertNotEquals(k, KernelCache.key("abc", "sm_90", "12.8", opts));
        assertNotEquals(k, KernelCache.key("abc", "sm_90", "13.0", List.of("--fmad=true")));
        assertEquals("curex_kernels-sm_90-" + k + ".cubin", KernelCache.fileName("curex_kernels.cu", "sm_90", k));
        assertEquals("curex_kernels-compute_90-" + k + ".ptx", KernelCache.fileName("curex_kernels.cu", "compute_90", k));
    }

    @Test
    void cacheFolderFollowsTheEnvironment(@TempDir Path home) {
        assertEquals(home.resolve(".cache/curex/cuda"), KernelCache.defaultFolder(Map.of(), home));
        assertEquals(Path.of("/x/curex/cuda"), KernelCache.defaultFolder(Map.of("XDG_CACHE_HOME", "/x"), home));
        assertEquals(Path.of("/own"), KernelCache.defaultFolder(Map.of(KernelCache.ENV, "/own", "XDG_CACHE_HOME", "/x"), home));
        KernelCache cache = new KernelCache(home.resolve("c"));
        assertTrue(cache.read("f.cubin").isEmpty());
        cache.write("f.cubin", new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, cache.read("f.cubin").orElseThrow());
    }

    @Test
    void theSourceHashCoversEveryFamily() {
        KernelSource s = KernelSource.all();
        for (String f : KernelSource.FAMILIES) assertTrue(s.text().contains("#line 1 \"" + f + "\""), f);
        assertEquals(64, s.sha256().length());
        assertEquals(s.sha256(), KernelSource.all().sha256());
    }

    @Test
    void compileTargetIsTheDeviceOrTheNewestVirtualBelowIt() {
        int[] supported = {75, 80, 86, 89, 90, 100, 120};
        assertEquals("sm_90", KernelCompiler.target(90, supported));
        assertEquals("compute_90", KernelCompiler.target(91, supported));
        assertEquals("compute_120", KernelCompiler.target(121, supported));
        assertThrows(CudaException.class, () -> KernelCompiler.target(70, supported));
        assertTrue(KernelCompiler.options("sm_90").contains("--fmad=false"));
    }

    @Test
    void optionsComeFromSystemProperties() {
        assertEquals(CudaOptions.defaults(), new CudaOptions(false, 0));
        String before = System.getProperty(CudaOptions.TF32);
        try {
            System.setProperty(CudaOptions.TF32, "true");
            assertTrue(CudaOptions.fromSystemProperties().tf32());
        } finally {
            if (before == null) System.clearProperty(CudaOptions.TF32);
            else System.setProperty(CudaOptions.TF32, before);
        }
        assertThrows(IllegalArgumentException.class, () -> new CudaOptions(false, -1));
    }

    @Test
    void blockCountsDependOnTheLengthOnly() {
        assertEquals(1, KernelLauncher.blocks(0));
        assertEquals(1, KernelLauncher.blocks(256));
        assertEquals(2, KernelLauncher.blocks(257));
        assertEquals(KernelLauncher.MAX_BLOCKS, KernelLauncher.blocks(Long.MAX_VALUE / 2));
        assertEquals(CudaReductions.MAX_PARTIALS, CudaReductions.partials(1L << 40));
    }
}
