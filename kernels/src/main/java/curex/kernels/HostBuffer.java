// A buffer in Java heap memory, shared by the CPU backends.
package curex.kernels;

/** Host memory: a float array. Any {@link HostBackend} may operate on it. */
public final class HostBuffer implements Buffer {
    private final Backend owner;
    private float[] data;

    HostBuffer(Backend owner, int length) {
        this.owner = owner;
        this.data = new float[length];
    }

    /** The backing array; only host backends touch it. */
    float[] data() {
        if (data == null) throw new IllegalStateException("buffer used after close");
        return data;
    }

    @Override
    public long length() {
        return data == null ? 0 : data.length;
    }

    @Override
    public Backend backend() {
        return owner;
    }

    @Override
    public void close() {
        data = null;
    }
}
