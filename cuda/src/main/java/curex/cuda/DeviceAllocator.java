// A caching device allocator: freed blocks go to free lists by size class, so a steady training step makes no cuMemAlloc.
package curex.cuda;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Device memory in size classes ({@link #sizeClass}): a released block waits in its class's free list for the
 * next request of that class. All work runs on one stream in issue order, so a block released while kernels
 * that use it are still queued can be handed out at once: the next user's kernels run after them. When
 * cuMemAlloc reports out-of-memory, the cached blocks are returned to the driver and the allocation retried.
 */
final class DeviceAllocator implements AutoCloseable {
    /** One allocation from the driver. */
    record Block(long pointer, long bytes) {
    }

    private static final int OUT_OF_MEMORY = 2;   // CUDA_ERROR_OUT_OF_MEMORY

    private final CudaDriver driver;
    private final Runnable synchronize;
    private final Map<Long, ArrayDeque<Block>> free = new HashMap<>();
    private final Set<Block> live = new HashSet<>();
    private final MemorySegment out = Arena.global().allocate(JAVA_LONG);   // 8 bytes for cuMemAlloc's result
    private long driverAllocations, reservedBytes;
    private boolean closed;

    /** {@code synchronize} waits for the stream, before blocks go back to the driver. */
    DeviceAllocator(CudaDriver driver, Runnable synchronize) {
        this.driver = driver;
        this.synchronize = synchronize;
    }

    /**
     * The size class of a request: 0 for 0 bytes; powers of two from 512 bytes up to 1 MiB; above, multiples of
     * an eighth of the power of two below (at most 12.5% unused).
     */
    static long sizeClass(long bytes) {
        if (bytes <= 0) return 0;
        if (bytes <= 512) return 512;
        if (bytes <= (1 << 20)) return Long.highestOneBit(bytes - 1) << 1;
        long step = Long.highestOneBit(bytes) >> 3;
        return (bytes + step - 1) / step * step;
    }

    /** A block of at least {@code bytes}; a null pointer block for 0 bytes. */
    Block acquire(long bytes) {
        if (closed) throw new IllegalStateException("the cuda backend is closed");
        long size = sizeClass(bytes);
        if (size == 0) return new Block(0, 0);
        ArrayDeque<Block> list = free.get(size);
        Block b = list == null ? null : list.poll();
        if (b == null) b = allocate(size);
        live.add(b);
        return b;
    }

    private Block allocate(long size) {
        int status = driver.memAllocStatus(out, size);
        if (status == OUT_OF_MEMORY) {
            releaseCached();
            status = driver.memAllocStatus(out, size);
        }
        driver.check("cuMemAlloc_v2(" + size + " bytes)", status);
        driverAllocations++;
        reservedBytes += size;
        return new Block(out.get(JAVA_LONG, 0), size);
    }

    /** Returns a block to its free list (a no-op once the allocator is closed). */
    void release(Block b) {
        if (closed || b.bytes() == 0 || !live.remove(b)) return;
        free.computeIfAbsent(b.bytes(), k -> new ArrayDeque<>()).push(b);
    }

    /** Gives every cached (free) block back to the driver. */
    void releaseCached() {
        synchronize.run();
        for (ArrayDeque<Block> list : free.values())
            for (Block b : list) {
                driver.memFree(b.pointer());
                reservedBytes -= b.bytes();
            }
        free.clear();
    }

    /** How many times cuMemAlloc was called. */
    long driverAllocations() {
        return driverAllocations;
    }

    /** Bytes held from the driver, in use or cached. */
    long reservedBytes() {
        return reservedBytes;
    }

    /** Frees every block, in use or cached. */
    @Override
    public void close() {
        if (closed) return;
        releaseCached();
        for (Block b : live) driver.memFree(b.pointer());
        live.clear();
        reservedBytes = 0;
        closed = true;
    }
}
