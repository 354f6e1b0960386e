// Compiled kernels on disk, keyed by source hash, target architecture, NVRTC version and options.
package curex.cuda;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A folder of compiled images: {@code $CUREX_CUDA_CACHE}, else {@code $XDG_CACHE_HOME/curex/cuda}, else
 * {@code ~/.cache/curex/cuda}. A file's name holds the architecture and the key, so a changed source, another
 * GPU or another NVRTC compiles anew. Writes go through a temporary file and a rename; a cache that cannot be
 * written is skipped (the kernels are compiled every time instead).
 */
record KernelCache(Path folder) {
    static final String ENV = "CUREX_CUDA_CACHE";

    static KernelCache standard() {
        return new KernelCache(defaultFolder(System.getenv(), Path.of(System.getProperty("user.home", "."))));
    }

    static Path defaultFolder(Map<String, String> env, Path home) {
        String own = env.get(ENV);
        if (own != null && !own.isBlank()) return Path.of(own);
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".cache");
        return base.resolve("curex").resolve("cuda");
    }

    /** 32 hex digits of SHA-256 over the source hash, the target, the NVRTC version and the options. */
    static String key(String sourceSha256, String target, String nvrtcVersion, List<String> options) {
        return KernelSource.sha256(sourceSha256 + "\n" + target + "\n" + nvrtcVersion + "\n" + String.join(" ", options))
                .substring(0, 32);
    }

    /** "curex_kernels-sm_90-KEY.cubin" (or .ptx for a virtual target such as compute_90). */
    static String fileName(String program, String target, String key) {
        String stem = program.endsWith(".cu") ? program.substring(0, program.length() - 3) : program;
        return stem + "-" + target + "-" + key + (target.startsWith("sm_") ? ".cubin" : ".ptx");
    }

    Optional<byte[]> read(String fileName) {
        try {
            Path p = folder.resolve(fileName);
            return Files.isRegularFile(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    void write(String fileName, byte[] image) {
        try {
            Files.createDirectories(folder);
            Path tmp = Files.createTempFile(folder, fileName, ".tmp");
            Files.write(tmp, image);
            try {
                Files.move(tmp, folder.resolve(fileName), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, folder.resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | SecurityException e) {
            // an unwritable cache only costs a compile next time
        }
    }
}
