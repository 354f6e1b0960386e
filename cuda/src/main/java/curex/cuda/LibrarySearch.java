// Where the CUDA libraries are looked for, in order: $CUREX_CUDA_LIB, the loader's paths, CUDA toolkits, Python wheels.
package curex.cuda;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The places a CUDA library is searched for: first the folders named by {@value #ENV} (a list like PATH), then
 * the system loader's own search (LD_LIBRARY_PATH, the ldconfig cache), then the CUDA toolkits under
 * /usr/local/cuda*, the distribution's library folders, and the {@code nvidia/*}{@code /lib} folders of Python
 * site-packages, where PyTorch's wheels install NVRTC and cuBLAS. Pure over its inputs, so tests pass a fake root.
 */
public record LibrarySearch(List<Path> envFolders, boolean envSet, List<Path> folders) {
    /** Environment variable naming the folder(s) to search first. */
    public static final String ENV = "CUREX_CUDA_LIB";

    /** Folder patterns below the file-system root, in the order they are searched. */
    static final List<String> SYSTEM_PATTERNS = List.of(
            "usr/local/cuda*/lib64", "usr/local/cuda*/targets/x86_64-linux/lib",
            "usr/lib/x86_64-linux-gnu", "usr/lib64", "usr/lib/wsl/lib",
            "usr/local/lib/python3*/dist-packages/nvidia/*/lib", "usr/local/lib/python3*/site-packages/nvidia/*/lib",
            "usr/lib/python3*/dist-packages/nvidia/*/lib", "usr/lib/python3*/site-packages/nvidia/*/lib",
            "opt/conda/lib/python3*/site-packages/nvidia/*/lib");
    /** Folder patterns below the user's home. */
    static final List<String> HOME_PATTERNS = List.of(
            ".local/lib/python3*/site-packages/nvidia/*/lib",
            ".pyenv/versions/*/lib/python3*/site-packages/nvidia/*/lib");
    /** Environment variables naming a Python prefix (a virtual environment, conda, pyenv's root). */
    static final List<String> PYTHON_PREFIXES = List.of("VIRTUAL_ENV", "CONDA_PREFIX");

    public LibrarySearch {
        envFolders = List.copyOf(envFolders);
        folders = List.copyOf(folders);
    }

    /** The search of this process: its environment, the real root, the user's home. */
    public static LibrarySearch standard() {
        return of(System.getenv(), Path.of("/"), Path.of(System.getProperty("user.home", "/root")));
    }

    /** The search for an environment {@code env}, a file-system {@code root} and a {@code home} folder. */
    static LibrarySearch of(Map<String, String> env, Path root, Path home) {
        String named = env.get(ENV);
        List<Path> envFolders = new ArrayList<>();
        if (named != null)
            for (String part : named.split(File.pathSeparator))
                if (!part.isBlank()) envFolders.add(Path.of(part.strip()));
        Set<Path> found = new LinkedHashSet<>();
        for (String prefix : PYTHON_PREFIXES) {
            String p = env.get(prefix);
            if (p != null && !p.isBlank())
                found.addAll(FolderGlob.expand(Path.of(p), "lib/python3*/site-packages/nvidia/*/lib"));
        }
        String pyenv = env.get("PYENV_ROOT");
        if (pyenv != null && !pyenv.isBlank())
            found.addAll(FolderGlob.expand(Path.of(pyenv), "versions/*/lib/python3*/site-packages/nvidia/*/lib"));
        for (String pattern : SYSTEM_PATTERNS) found.addAll(FolderGlob.expand(root, pattern));
        for (String pattern : HOME_PATTERNS) found.addAll(FolderGlob.expand(home, pattern));
        return new LibrarySearch(envFolders, named != null, new ArrayList<>(found));
    }

    /**
     * What to hand to the loader, in order, for a library known by {@code fileNames} (preferred first, e.g.
     * libnvrtc.so.13 then libnvrtc.so.12): existing files in the {@value #ENV} folders, then the bare names (the
     * loader's own search), then existing files in the other folders.
     */
    public List<String> candidates(List<String> fileNames) {
        List<String> out = new ArrayList<>();
        addExisting(out, envFolders, fileNames);
        out.addAll(fileNames);
        addExisting(out, folders, fileNames);
        return out;
    }

    private static void addExisting(List<String> out, List<Path> in, List<String> fileNames) {
        for (Path folder : in)
            for (String name : fileNames) {
                Path p = folder.resolve(name);
                if (Files.isRegularFile(p)) out.add(p.toAbsolutePath().toString());
            }
    }

    /** The places searched, for messages: the variable's value, the loader, the folders found. */
    public String describe() {
        String env = envSet ? "$" + ENV + " (" + String.join(File.pathSeparator, envFolders.stream().map(Path::toString).toList()) + ")"
                : "$" + ENV + " (not set)";
        String others = folders.isEmpty()
                ? "no CUDA toolkit (/usr/local/cuda*/lib64) or Python nvidia/*/lib folder exists"
                : String.join(", ", folders.stream().map(Path::toString).toList());
        return env + ", the system loader's paths, " + others;
    }
}
