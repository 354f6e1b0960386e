// A buffer in Java heap memory, shared by the CPU backends: a float array (F32) or an int array (I32).
package curex.kernels;

/** Host memory: a float array for {@link DType#F32}, an int array for {@link DType#I32}. Any {@link HostBackend} may use it. */
public final class HostBuffer implements Buffer {
    private final Backend owner;
    private final DType dtype;
    private float[] floats;   // F32
    private int[] ints;       // I32
    private final int length;
    private boolean closed;

    HostBuffer(Backend owner, DType dtype, int length) {
        this.owner = owner;
        this.dtype = dtype;
        this.length = length;
        if (dtype == DType.F32) floats = new float[length];
        else ints = new int[length];
    }

    /** The float array of an F32 buffer; only host backends touch it. */
    float[] floats() {
        check();
        if (floats == null) throw new IllegalArgumentException("an " + dtype + " buffer used as float data");
        return floats;
    }

    /** The int array of an I32 buffer; only host backends touch it. */
    int[] ints() {
        check();
        if (ints == null) throw new IllegalArgumentException("an " + dtype + " buffer used as int data");
        return ints;
    }

    private void check() {
        if (closed) throw new IllegalStateException("buffer used after close");
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
        closed = true;
        floats = null;
        ints = null;
    }
}
