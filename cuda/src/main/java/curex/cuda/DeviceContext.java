// What every kernel family of the CUDA backend works with: the device, its context, one stream, kernels, memory.
package curex.cuda;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import curex.kernels.Backend;
import curex.kernels.Check;
import curex.kernels.Span;
import java.lang.foreign.MemorySegment;

/**
 * Opens device {@code options.device()}: retains its primary context (shared with cuBLAS, which uses the runtime
 * API), creates one stream, loads the kernel module (compiled by NVRTC, cached on disk), and holds the caching
 * allocator, the host staging segment, a scratch block for partial results and the index-error word. The
 * context is made current on whichever thread calls, before each public operation of the backend.
 */
final class DeviceContext implements AutoCloseable {
    final CudaLibraries libs;
    final CudaDriver driver;
    final int ordinal, device, capability;
    final String deviceName;
    final long totalMemory;
    private final MemorySegment context, stream, module;
    private final Backend owner;
    final DeviceAllocator allocator;
    final KernelLauncher kernels;
    final HostStaging staging = new HostStaging();
    private DeviceAllocator.Block scratch = new DeviceAllocator.Block(0, 0);
    private final DeviceAllocator.Block indexError;
    private Thread current;
    private boolean closed;

    DeviceContext(CudaLibraries libs, CudaOptions options, Backend owner) {
        this.libs = libs;
        this.driver = libs.driver();
        this.owner = owner;
        this.ordinal = options.device();
        int count = driver.deviceCount();
        if (ordinal >= count)
            throw new IllegalArgumentException(CudaOptions.DEVICE + "=" + ordinal + " but there are " + count + " devices");
        device = driver.device(ordinal);
        deviceName = driver.deviceName(device);
        totalMemory = driver.deviceTotalMemory(device);
        capability = 10 * driver.deviceAttribute(CudaDriver.ATTRIBUTE_CC_MAJOR, device)
                + driver.deviceAttribute(CudaDriver.ATTRIBUTE_CC_MINOR, device);
        context = driver.primaryContextRetain(device);
        makeCurrent();
        stream = driver.streamCreate();
        module = driver.moduleLoad(new KernelCompiler(libs.nvrtc(), KernelCache.standard()).image(KernelSource.all(), capability));
        allocator = new DeviceAllocator(driver, this::synchronize);
        kernels = new KernelLauncher(driver, module, stream);
        indexError = allocator.acquire(8);
        resetIndexError();
    }

    MemorySegment stream() {
        return stream;
    }

    /** Makes the context current on the calling thread (once per thread switch). */
    void makeCurrent() {
        if (closed) throw new IllegalStateException("the cuda backend is closed");
        Thread t = Thread.currentThread();
        if (t != current) {
            driver.setCurrent(context);
            current = t;
        }
    }

    /** The device address of a span's first element; rejects buffers of other backends. */
    long ptr(Span s) {
        if (!(s.buffer() instanceof DeviceBuffer db) || db.backend() != owner)
            throw new IllegalArgumentException("the cuda backend cannot use a buffer of backend "
                    + s.buffer().backend().name() + " (or of another cuda backend)");
        return db.pointer() + 4 * s.offset();
    }

    /** The address of a span that may be null: 0 for null. */
    long ptrOrNull(Span s) {
        return s == null ? 0L : ptr(s);
    }

    void synchronize() {
        driver.streamSynchronize(stream);
    }

    /** A device block of at least {@code bytes} for one operation's partial results; reused by the next one. */
    long scratch(long bytes) {
        if (scratch.bytes() < bytes) {
            allocator.release(scratch);
            scratch = allocator.acquire(Math.max(bytes, 4096));
        }
        return scratch.pointer();
    }

    // ---------------------------------------------------------------- host copies

    /** Copies {@code bytes} from host memory to the device and waits, so {@code src} may be reused at once. */
    void upload(MemorySegment src, long dst, long bytes) {
        if (bytes == 0) return;
        driver.copyHostToDevice(dst, src, bytes, stream);
        synchronize();
    }

    /** Copies {@code bytes} from the device to host memory after the kernels issued before, and waits. */
    void download(long src, MemorySegment dst, long bytes) {
        if (bytes == 0) {
            synchronize();
            return;
        }
        driver.copyDeviceToHost(dst, src, bytes, stream);
        synchronize();
    }

    // ---------------------------------------------------------------- index checks

    private void resetIndexError() {
        driver.fill32(indexError.pointer(), -1, 2, stream);
    }

    /**
     * Checks the I32 {@code ids} against [0, limit) on the device (an entry equal to {@code ignore} passes when
     * {@code useIgnore}) and throws the ShapeException the CPU backends throw, naming the first bad entry. This
     * waits for the device: the one synchronisation the index-reading ops make.
     */
    void checkIndices(String op, String name, Span ids, int limit, int ignore, boolean useIgnore) {
        if (ids.length() == 0) return;
        kernels.elements("check_indices", ids.length(), ptr(ids), ids.length(), limit, ignore, useIgnore ? 1 : 0,
                indexError.pointer());
        MemorySegment word = staging.get(8);
        download(indexError.pointer(), word, 8);
        long w = word.get(JAVA_LONG, 0);
        if (w == -1L) return;
        resetIndexError();
        Check.index(op, name, (int) w, limit);   // throws: the value is outside [0, limit)
        throw new IllegalStateException(op + ": index check failed on element " + (w >>> 32));
    }

    @Override
    public void close() {
        if (closed) return;
        makeCurrent();
        try {
            synchronize();
        } finally {
            allocator.close();
            staging.close();
            kernels.close();
            driver.moduleUnload(module);
            driver.streamDestroy(stream);
            driver.primaryContextRelease(device);
            closed = true;
        }
    }

}
