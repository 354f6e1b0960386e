// One shared library opened through java.lang.foreign, and downcall handles to its functions.
package curex.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A loaded library (it stays loaded for the life of the process, as the CUDA libraries expect). */
final class NativeLibrary {
    private static final Linker LINKER = Linker.nativeLinker();
    private final SymbolLookup lookup;
    private final String where;

    private NativeLibrary(SymbolLookup lookup, String where) {
        this.lookup = lookup;
        this.where = where;
    }

    /** The first of {@code candidates} (paths or bare names) the loader can open; empty when none can. */
    static Optional<NativeLibrary> openFirst(List<String> candidates) {
        return openFirst(candidates, List.of());
    }

    /**
     * As {@link #openFirst(List)}, but for a candidate that is a path, first loads the files of its folder whose
     * names start with one of {@code companions} (libnvrtc-builtins.so.13.0 beside libnvrtc.so.13, say): the
     * library opens them by bare name, which the loader finds only once they are loaded, when their folder is
     * not on its path (as in Python wheels).
     */
    static Optional<NativeLibrary> openFirst(List<String> candidates, List<String> companions) {
        for (String c : candidates) {
            try {
                if (c.contains("/")) loadCompanions(Path.of(c).getParent(), companions);
                return Optional.of(new NativeLibrary(SymbolLookup.libraryLookup(c, Arena.global()), c));
            } catch (IllegalArgumentException | IllegalCallerException e) {
                // not loadable from there: try the next candidate
            }
        }
        return Optional.empty();
    }

    private static void loadCompanions(Path folder, List<String> prefixes) {
        if (folder == null || prefixes.isEmpty()) return;
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (prefixes.stream().anyMatch(name::startsWith) && name.contains(".so") && !name.contains(".alt.")) {
                    try {
                        SymbolLookup.libraryLookup(f, Arena.global());
                    } catch (IllegalArgumentException e) {
                        // a companion that does not load: the library will say what it misses
                    }
                }
            }
        } catch (IOException | SecurityException e) {
            // unreadable folder: nothing to preload
        }
    }

    /** The path or name it was opened from. */
    String where() {
        return where;
    }

    /** The function {@code symbol}; a CudaException naming the library when it lacks it. */
    MethodHandle function(String symbol, FunctionDescriptor descriptor) {
        return optional(symbol, descriptor).orElseThrow(() ->
                new CudaException(where + " has no function " + symbol + " (a library too old for curex?)"));
    }

    /** The function {@code symbol}, if the library has it. */
    Optional<MethodHandle> optional(String symbol, FunctionDescriptor descriptor) {
        return lookup.find(symbol).map(address -> LINKER.downcallHandle(address, descriptor));
    }

    /** The exception to throw for what a downcall threw: runtime exceptions and errors as they are. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    /** The NUL-terminated string a library function returned, or null for a null pointer. */
    static String cString(MemorySegment s) {
        return s.equals(MemorySegment.NULL) ? null : s.reinterpret(4096).getString(0);
    }
}
