// Library discovery over a fake file system: the order of $CUREX_CUDA_LIB, the loader, toolkits and Python wheels.
package curex.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibrarySearchTest {
    @TempDir
    Path root;

    private Path touch(String relative) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, "not really a library");
    }

    @Test
    void envFolderFirstThenLoaderThenToolkitsNewestFirstThenWheels() throws IOException {
        Path own = touch("opt/mine/libnvrtc.so.12");
        Path cuda13 = touch("usr/local/cuda-13.0/lib64/libnvrtc.so.13");
        Path cuda12 = touch("usr/local/cuda-12.8/targets/x86_64-linux/lib/libnvrtc.so.12");
        Path wheel = touch("usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib/libnvrtc.so.13");
        Path user = touch("home/u/.local/lib/python3.11/site-packages/nvidia/cuda_nvrtc/lib/libnvrtc.so.12");
        Path pyenv = touch("home/u/.pyenv/versions/3.11.7/lib/python3.11/site-packages/nvidia/cu13/lib/libnvrtc.so.13");
        touch("usr/local/cuda-13.0/lib64/libcublas.so.13");   // another library: not a candidate for NVRTC
        LibrarySearch s = LibrarySearch.of(Map.of(LibrarySearch.ENV, root.resolve("opt/mine").toString()), root,
                root.resolve("home/u"));
        List<String> c = s.candidates(Nvrtc.NAMES);
        assertEquals(List.of(own.toString(), "libnvrtc.so.13", "libnvrtc.so.12", cuda13.toString(), cuda12.toString(),
                wheel.toString(), user.toString(), pyenv.toString()), c);
    }

    @Test
    void preferredNameFirstWithinAFolder() throws IOException {
        Path twelve = touch("usr/local/cuda/lib64/libcublas.so.12");
        Path thirteen = touch("usr/local/cuda/lib64/libcublas.so.13");
        LibrarySearch s = LibrarySearch.of(Map.of(), root, root.resolve("home"));
        assertEquals(List.of("libcublas.so.13", "libcublas.so.12", thirteen.toString(), twelve.toString()),
                s.candidates(Cublas.NAMES));
    }

    @Test
    void virtualEnvAndCondaPrefixesAreSearched() throws IOException {
        Path venv = touch("venv/lib/python3.12/site-packages/nvidia/cublas/lib/libcublas.so.12");
        LibrarySearch s = LibrarySearch.of(Map.of("VIRTUAL_ENV", root.resolve("venv").toString()), root, root);
        assertEquals(List.of("libcublas.so.13", "libcublas.so.12", venv.toString()), s.candidates(Cublas.NAMES));
    }

    @Test
    void anEnvListMayNameSeveralFoldersAndMissingFilesAreSkipped() throws IOException {
        Path b = touch("b/libcuda.so.1");
        LibrarySearch s = LibrarySearch.of(Map.of(LibrarySearch.ENV,
                root.resolve("a") + java.io.File.pathSeparator + root.resolve("b")), root, root);
        assertEquals(List.of(b.toString(), "libcuda.so.1"), s.candidates(CudaDriver.NAMES));
    }

    @Test
    void describeNamesTheVariableTheLoaderAndTheFolders() throws IOException {
        touch("usr/local/cuda-13.0/lib64/libnvrtc.so.13");
        String unset = LibrarySearch.of(Map.of(), root, root).describe();
        assertTrue(unset.contains("$CUREX_CUDA_LIB (not set)") && unset.contains("loader")
                && unset.contains(root.resolve("usr/local/cuda-13.0/lib64").toString()), unset);
        String none = LibrarySearch.of(Map.of(LibrarySearch.ENV, "/x"), root.resolve("empty"), root.resolve("empty"))
                .describe();
        assertTrue(none.contains("$CUREX_CUDA_LIB (/x)") && none.contains("no CUDA toolkit"), none);
    }
}
