// The NVRTC calls that compile our CUDA C kernels at run time (libnvrtc.so.13 or .12).
package curex.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;

/** Bindings to NVRTC; compiling needs no GPU, so tests can use it on any machine that has the library. */
final class Nvrtc {
    /** Preferred first: CUDA 13, then 12. */
    static final List<String> NAMES = List.of("libnvrtc.so.13", "libnvrtc.so.12");

    private final NativeLibrary lib;
    private final MethodHandle version, createProgram, compileProgram, destroyProgram, logSize, log, cubinSize,
            cubin, ptxSize, ptx, errorString, numSupportedArchs, supportedArchs;

    Nvrtc(NativeLibrary lib) {
        this.lib = lib;
        FunctionDescriptor progSize = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
        version = lib.function("nvrtcVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        createProgram = lib.function("nvrtcCreateProgram",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        compileProgram = lib.function("nvrtcCompileProgram",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        destroyProgram = lib.function("nvrtcDestroyProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        logSize = lib.function("nvrtcGetProgramLogSize", progSize);
        log = lib.function("nvrtcGetProgramLog", progSize);
        cubinSize = lib.function("nvrtcGetCUBINSize", progSize);
        cubin = lib.function("nvrtcGetCUBIN", progSize);
        ptxSize = lib.function("nvrtcGetPTXSize", progSize);
        ptx = lib.function("nvrtcGetPTX", progSize);
        errorString = lib.function("nvrtcGetErrorString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        numSupportedArchs = lib.function("nvrtcGetNumSupportedArchs", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        supportedArchs = lib.function("nvrtcGetSupportedArchs", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    static Optional<NativeLibrary> find(LibrarySearch search) {
        return NativeLibrary.openFirst(search.candidates(NAMES), List.of("libnvrtc-builtins"));
    }

    String where() {
        return lib.where();
    }

    private void check(String call, int status) {
        if (status == 0) return;
        String text = null;
        try {
            MemorySegment s = (MemorySegment) errorString.invokeExact(status);
            text = NativeLibrary.cString(s);
        } catch (Throwable ignored) {
            // no text: the number alone
        }
        throw new CudaException(call, status, text, null);
    }

    /** "13.0", the version of the NVRTC library (and of the CUDA toolkit it comes from). */
    String version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment major = a.allocate(JAVA_INT), minor = a.allocate(JAVA_INT);
            check("nvrtcVersion", (int) version.invokeExact(major, minor));
            return major.get(JAVA_INT, 0) + "." + minor.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /** The real architectures this NVRTC can compile to, e.g. [75, 80, 86, 89, 90, 100, 120]. */
    int[] supportedArchitectures() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(JAVA_INT);
            check("nvrtcGetNumSupportedArchs", (int) numSupportedArchs.invokeExact(n));
            MemorySegment archs = a.allocate(JAVA_INT, Math.max(1, n.get(JAVA_INT, 0)));
            check("nvrtcGetSupportedArchs", (int) supportedArchs.invokeExact(archs));
            return archs.asSlice(0, 4L * n.get(JAVA_INT, 0)).toArray(JAVA_INT);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /**
     * Compiles {@code source} (named {@code name} in messages) with {@code options}; returns the CUBIN when
     * {@code cubin}, else NUL-terminated PTX. A compile error throws a CudaException holding NVRTC's log.
     */
    byte[] compile(String name, String source, List<String> options, boolean wantCubin) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment prog = a.allocate(ADDRESS);
            check("nvrtcCreateProgram", (int) createProgram.invokeExact(prog, a.allocateFrom(source),
                    a.allocateFrom(name), 0, MemorySegment.NULL, MemorySegment.NULL));
            MemorySegment p = prog.get(ADDRESS, 0);
            try {
                MemorySegment opts = a.allocate(ADDRESS, Math.max(1, options.size()));
                for (int i = 0; i < options.size(); i++) opts.setAtIndex(ADDRESS, i, a.allocateFrom(options.get(i)));
                int status = (int) compileProgram.invokeExact(p, options.size(), opts);
                if (status != 0) {
                    String log = programLog(a, p);
                    throw new CudaException("NVRTC could not compile " + name + " (" + String.join(" ", options)
                            + "):\n" + log.strip());
                }
                MemorySegment size = a.allocate(JAVA_LONG);
                check(wantCubin ? "nvrtcGetCUBINSize" : "nvrtcGetPTXSize",
                        (int) (wantCubin ? cubinSize : ptxSize).invokeExact(p, size));
                MemorySegment out = a.allocate(Math.max(1, size.get(JAVA_LONG, 0)));
                check(wantCubin ? "nvrtcGetCUBIN" : "nvrtcGetPTX", (int) (wantCubin ? cubin : ptx).invokeExact(p, out));
                return out.toArray(JAVA_BYTE);
            } finally {
                int ignored = (int) destroyProgram.invokeExact(prog);
            }
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    private String programLog(Arena a, MemorySegment p) throws Throwable {
        MemorySegment size = a.allocate(JAVA_LONG);
        if ((int) logSize.invokeExact(p, size) != 0) return "(no log)";
        MemorySegment text = a.allocate(Math.max(1, size.get(JAVA_LONG, 0)));
        if ((int) log.invokeExact(p, text) != 0) return "(no log)";
        return text.getString(0);
    }
}
