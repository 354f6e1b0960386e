// The cuBLAS calls behind gemm and batched gemm (libcublas.so.13 or .12), column-major as cuBLAS is.
package curex.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;

/** Bindings to cuBLAS; one handle per backend, bound to the backend's stream. Alpha and beta live on the host. */
final class Cublas {
    static final List<String> NAMES = List.of("libcublas.so.13", "libcublas.so.12");
    /** cublasMath_t: FP32 as written, or TF32 tensor cores for FP32 products. */
    static final int DEFAULT_MATH = 0, TF32_TENSOR_OP_MATH = 3;

    private final NativeLibrary lib;
    private final MethodHandle create, destroy, setStream, getVersion, setMathMode, sgemm, sgemmStridedBatched;
    private final Optional<MethodHandle> statusName, statusString;

    Cublas(NativeLibrary lib) {
        this.lib = lib;
        create = lib.function("cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        destroy = lib.function("cublasDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        setStream = lib.function("cublasSetStream_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        getVersion = lib.function("cublasGetVersion_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        setMathMode = lib.function("cublasSetMathMode", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        sgemm = lib.function("cublasSgemm_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS,
                JAVA_LONG, JAVA_INT));
        sgemmStridedBatched = lib.function("cublasSgemmStridedBatched", FunctionDescriptor.of(JAVA_INT, ADDRESS,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG,
                JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
        statusName = lib.optional("cublasGetStatusName", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        statusString = lib.optional("cublasGetStatusString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    static Optional<NativeLibrary> find(LibrarySearch search) {
        return NativeLibrary.openFirst(search.candidates(NAMES), List.of("libcublasLt"));
    }

    String where() {
        return lib.where();
    }

    void check(String call, int status) {
        if (status != 0) throw new CudaException(call, status, text(statusName, status), text(statusString, status));
    }

    private static String text(Optional<MethodHandle> h, int status) {
        if (h.isEmpty()) return null;
        try {
            MemorySegment s = (MemorySegment) h.get().invokeExact(status);
            return NativeLibrary.cString(s);
        } catch (Throwable t) {
            return null;
        }
    }

    MemorySegment create() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check("cublasCreate_v2", (int) create.invokeExact(out));
            return out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    void destroy(MemorySegment handle) {
        try {
            check("cublasDestroy_v2", (int) destroy.invokeExact(handle));
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    void setStream(MemorySegment handle, MemorySegment stream) {
        try {
            check("cublasSetStream_v2", (int) setStream.invokeExact(handle, stream));
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    void setMathMode(MemorySegment handle, int mode) {
        try {
            check("cublasSetMathMode", (int) setMathMode.invokeExact(handle, mode));
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /** "13.0.2" from cublasGetVersion's major * 10000 + minor * 100 + patch (CUDA 12 and 13). */
    String version(MemorySegment handle) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check("cublasGetVersion_v2", (int) getVersion.invokeExact(handle, out));
            int v = out.get(JAVA_INT, 0);
            return (v / 10000) + "." + (v / 100 % 100) + "." + (v % 100);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /** cublasSgemm_v2 with the column-major arguments of {@code g} (first and second operand as it says); {@code scalars} holds alpha then beta. */
    void sgemm(MemorySegment handle, GemmMapping.ColumnMajor g, MemorySegment scalars, long first, long second, long c) {
        int status;
        try {
            status = (int) sgemm.invokeExact(handle, g.opA(), g.opB(), g.m(), g.n(), g.k(), scalars, first, g.lda(),
                    second, g.ldb(), scalars.asSlice(4), c, g.ldc());
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
        check("cublasSgemm_v2", status);
    }

    /** cublasSgemmStridedBatched; strides in elements. */
    void sgemmStridedBatched(MemorySegment handle, GemmMapping.ColumnMajor g, MemorySegment scalars,
                             long first, long strideFirst, long second, long strideSecond, long c, long strideC, int batch) {
        int status;
        try {
            status = (int) sgemmStridedBatched.invokeExact(handle, g.opA(), g.opB(), g.m(), g.n(), g.k(), scalars,
                    first, g.lda(), strideFirst, second, g.ldb(), strideSecond, scalars.asSlice(4), c, g.ldc(), strideC, batch);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
        check("cublasSgemmStridedBatched", status);
    }

    static final java.lang.foreign.ValueLayout.OfFloat SCALAR = JAVA_FLOAT;
}
