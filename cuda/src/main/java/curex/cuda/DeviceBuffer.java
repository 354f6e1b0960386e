// A buffer in GPU memory: a block of the backend's allocator, as an opaque handle for the code above the backend.
package curex.cuda;

import curex.kernels.Backend;
import curex.kernels.Buffer;
import curex.kernels.DType;

/** Device memory of one {@link CudaBackend}; {@link #close} hands the block back to the backend's allocator. */
final class DeviceBuffer implements Buffer {
    private final CudaBackend owner;
    private final DType dtype;
    private final long length;
    private final DeviceAllocator.Block block;
    private boolean closed;

    DeviceBuffer(CudaBackend owner, DType dtype, long length, DeviceAllocator.Block block) {
        this.owner = owner;
        this.dtype = dtype;
        this.length = length;
        this.block = block;
    }

    /** The device address of element 0. */
    long pointer() {
        if (closed) throw new IllegalStateException("buffer used after close");
        return block.pointer();
    }

    @Override
    public long length() {
        return closed ? 0 : length;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public Backend backend() {
        return owner;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        owner.release(block);
    }
}
