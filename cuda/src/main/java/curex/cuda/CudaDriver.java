// The CUDA driver API calls curex makes (libcuda.so.1), each status checked and turned into a CudaException.
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

/**
 * Bindings to the driver API. Handles (contexts, streams, modules, functions, events) are {@link MemorySegment}
 * addresses, device pointers are longs. Every wrapper checks the status and throws a {@link CudaException}
 * such as "cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (out of memory)".
 */
final class CudaDriver {
    /** The driver library, under its one ABI name. */
    static final List<String> NAMES = List.of("libcuda.so.1");
    static final int ATTRIBUTE_CC_MAJOR = 75, ATTRIBUTE_CC_MINOR = 76;

    private static final FunctionDescriptor STATUS_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor STATUS_PTR = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    private static final FunctionDescriptor STATUS_PTR_INT = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT);

    private final NativeLibrary lib;
    private final MethodHandle init, driverGetVersion, deviceGetCount, deviceGet, deviceGetName, deviceTotalMem,
            deviceGetAttribute, primaryCtxRetain, primaryCtxRelease, ctxSetCurrent, memGetInfo, memAlloc, memFree,
            memcpyHtoD, memcpyDtoH, memcpyDtoD, memsetD32, streamCreate, streamSynchronize, streamDestroy,
            eventCreate, eventRecord, eventSynchronize, eventElapsedTime, eventDestroy, moduleLoadData,
            moduleGetFunction, moduleUnload, launchKernel, getErrorName, getErrorString;

    CudaDriver(NativeLibrary lib) {
        this.lib = lib;
        init = lib.function("cuInit", STATUS_INT);
        driverGetVersion = lib.function("cuDriverGetVersion", STATUS_PTR);
        deviceGetCount = lib.function("cuDeviceGetCount", STATUS_PTR);
        deviceGet = lib.function("cuDeviceGet", STATUS_PTR_INT);
        deviceGetName = lib.function("cuDeviceGetName", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        deviceTotalMem = lib.function("cuDeviceTotalMem_v2", STATUS_PTR_INT);
        deviceGetAttribute = lib.function("cuDeviceGetAttribute",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        primaryCtxRetain = lib.function("cuDevicePrimaryCtxRetain", STATUS_PTR_INT);
        primaryCtxRelease = lib.function("cuDevicePrimaryCtxRelease_v2", STATUS_INT);
        ctxSetCurrent = lib.function("cuCtxSetCurrent", STATUS_PTR);
        memGetInfo = lib.function("cuMemGetInfo_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        memAlloc = lib.function("cuMemAlloc_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        memFree = lib.function("cuMemFree_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        memcpyHtoD = lib.function("cuMemcpyHtoDAsync_v2",
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS));
        memcpyDtoH = lib.function("cuMemcpyDtoHAsync_v2",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
        memcpyDtoD = lib.function("cuMemcpyDtoDAsync_v2",
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS));
        memsetD32 = lib.function("cuMemsetD32Async",
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS));
        streamCreate = lib.function("cuStreamCreate", STATUS_PTR_INT);
        streamSynchronize = lib.function("cuStreamSynchronize", STATUS_PTR);
        streamDestroy = lib.function("cuStreamDestroy_v2", STATUS_PTR);
        eventCreate = lib.function("cuEventCreate", STATUS_PTR_INT);
        eventRecord = lib.function("cuEventRecord", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        eventSynchronize = lib.function("cuEventSynchronize", STATUS_PTR);
        FunctionDescriptor elapsed = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        eventElapsedTime = lib.optional("cuEventElapsedTime_v2", elapsed)
                .orElseGet(() -> lib.function("cuEventElapsedTime", elapsed));
        eventDestroy = lib.function("cuEventDestroy_v2", STATUS_PTR);
        moduleLoadData = lib.function("cuModuleLoadData", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        moduleGetFunction = lib.function("cuModuleGetFunction",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        moduleUnload = lib.function("cuModuleUnload", STATUS_PTR);
        launchKernel = lib.function("cuLaunchKernel", FunctionDescriptor.of(JAVA_INT, ADDRESS,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        getErrorName = lib.function("cuGetErrorName", STATUS_INT_PTR);
        getErrorString = lib.function("cuGetErrorString", STATUS_INT_PTR);
    }

    private static final FunctionDescriptor STATUS_INT_PTR = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS);

    /** The driver library found by {@code search}, if any. */
    static Optional<NativeLibrary> find(LibrarySearch search) {
        return NativeLibrary.openFirst(search.candidates(NAMES));
    }

    String where() {
        return lib.where();
    }

    // ---------------------------------------------------------------- status

    /** Throws a CudaException for a status other than CUDA_SUCCESS. */
    void check(String call, int status) {
        if (status != 0) throw new CudaException(call, status, errorText(getErrorName, status), errorText(getErrorString, status));
    }

    private static String errorText(MethodHandle h, int status) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            if ((int) h.invokeExact(status, out) != 0) return null;
            MemorySegment s = out.get(ADDRESS, 0);
            return NativeLibrary.cString(s);
        } catch (Throwable t) {
            return null;
        }
    }

    // ---------------------------------------------------------------- devices and contexts

    /** cuInit(0); its raw status, for the availability probe. */
    int initStatus() {
        try {
            return (int) init.invokeExact(0);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    void init() {
        check("cuInit", initStatus());
    }

    int driverVersion() {
        return intOut("cuDriverGetVersion", driverGetVersion);
    }

    int deviceCount() {
        return intOut("cuDeviceGetCount", deviceGetCount);
    }

    private int intOut(String call, MethodHandle h) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check(call, (int) h.invokeExact(out));
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    int device(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check("cuDeviceGet", (int) deviceGet.invokeExact(out, ordinal));
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    String deviceName(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(256);
            check("cuDeviceGetName", (int) deviceGetName.invokeExact(out, 256, device));
            return out.getString(0);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    long deviceTotalMemory(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            check("cuDeviceTotalMem_v2", (int) deviceTotalMem.invokeExact(out, device));
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    int deviceAttribute(int attribute, int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check("cuDeviceGetAttribute", (int) deviceGetAttribute.invokeExact(out, attribute, device));
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    MemorySegment primaryContextRetain(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check("cuDevicePrimaryCtxRetain", (int) primaryCtxRetain.invokeExact(out, device));
            return out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    void primaryContextRelease(int device) {
        try {
            check("cuDevicePrimaryCtxRelease_v2", (int) primaryCtxRelease.invokeExact(device));
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    void setCurrent(MemorySegment context) {
        try {
            check("cuCtxSetCurrent", (int) ctxSetCurrent.invokeExact(context));
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /** {free, total} device memory in bytes, for the current context. */
    long[] memoryInfo() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment free = a.allocate(JAVA_LONG), total = a.allocate(JAVA_LONG);
            check("cuMemGetInfo_v2", (int) memGetInfo.invokeExact(free, total));
            return new long[] {free.get(JAVA_LONG, 0), total.get(JAVA_LONG, 0)};
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    // ---------------------------------------------------------------- memory

    /** cuMemAlloc_v2's raw status with the pointer written to {@code out}; the allocator retries on OOM. */
    int memAllocStatus(MemorySegment out, long bytes) {
        try {
            return (int) memAlloc.invokeExact(out, bytes);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    void memFree(long pointer) {
        try {
            check("cuMemFree_v2", (int) memFree.invokeExact(pointer));
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    void copyHostToDevice(long dst, MemorySegment src, long bytes, MemorySegment stream) {
        try {
            check("cuMemcpyHtoDAsync_v2", (int) memcpyHtoD.invokeExact(dst, src, bytes, stream));
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    void copyDeviceToHost(MemorySegment dst, long src, long bytes, MemorySegment stream) {
        try {
            check("cuMemcpyDtoHAsync_v2", (int) memcpyDtoH.invokeExact(dst, src, bytes, stream));
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    void copyDeviceToDevice(long dst, long src, long bytes, MemorySegment stream) {
        try {
            check("cuMemcpyDtoDAsync_v2", (int) memcpyDtoD.invokeExact(dst, src, bytes, stream));
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /** Sets {@code count} 32-bit words from {@code dst} to {@code bits}. */
    void fill32(long dst, int bits, long count, MemorySegment stream) {
        try {
            check("cuMemsetD32Async", (int) memsetD32.invokeExact(dst, bits, count, stream));
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    // ---------------------------------------------------------------- streams and events

    MemorySegment streamCreate() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check("cuStreamCreate", (int) streamCreate.invokeExact(out, 0));
            return out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    void streamSynchronize(MemorySegment stream) {
        try {
            check("cuStreamSynchronize", (int) streamSynchronize.invokeExact(stream));
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    void streamDestroy(MemorySegment stream) {
        try {
            check("cuStreamDestroy_v2", (int) streamDestroy.invokeExact(stream));
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    MemorySegment eventCreate() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check("cuEventCreate", (int) eventCreate.invokeExact(out, 0));
            return out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    void eventRecord(MemorySegment event, MemorySegment stream) {
        try {
            check("cuEventRecord", (int) eventRecord.invokeExact(event, stream));
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    void eventSynchronize(MemorySegment event) {
        try {
            check("cuEventSynchronize", (int) eventSynchronize.invokeExact(event));
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /** Milliseconds between two recorded events. */
    float eventElapsedMillis(MemorySegment start, MemorySegment end) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_FLOAT);
            check("cuEventElapsedTime", (int) eventElapsedTime.invokeExact(out, start, end));
            return out.get(JAVA_FLOAT, 0);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    void eventDestroy(MemorySegment event) {
        try {
            check("cuEventDestroy_v2", (int) eventDestroy.invokeExact(event));
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    // ---------------------------------------------------------------- modules and launches

    /** Loads a CUBIN or PTX image (PTX must end with a NUL byte). */
    MemorySegment moduleLoad(byte[] image) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment data = a.allocate(image.length + 1L, 16);
            MemorySegment.copy(image, 0, data, JAVA_BYTE_LAYOUT, 0, image.length);
            MemorySegment out = a.allocate(ADDRESS);
            check("cuModuleLoadData", (int) moduleLoadData.invokeExact(out, data));
            return out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    private static final java.lang.foreign.ValueLayout.OfByte JAVA_BYTE_LAYOUT = java.lang.foreign.ValueLayout.JAVA_BYTE;

    MemorySegment moduleFunction(MemorySegment module, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check("cuModuleGetFunction(" + name + ")",
                    (int) moduleGetFunction.invokeExact(out, module, a.allocateFrom(name)));
            return out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    void moduleUnload(MemorySegment module) {
        try {
            check("cuModuleUnload", (int) moduleUnload.invokeExact(module));
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /** cuLaunchKernel with a 2-D grid and a 1-D block; {@code params} is the array of pointers to the arguments. */
    void launch(String kernel, MemorySegment function, int gridX, int gridY, int block, int sharedBytes,
                MemorySegment stream, MemorySegment params) {
        int status;
        try {
            status = (int) launchKernel.invokeExact(function, gridX, gridY, 1, block, 1, 1, sharedBytes, stream,
                    params, MemorySegment.NULL);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
        if (status != 0) check("cuLaunchKernel(" + kernel + ")", status);
    }
}
