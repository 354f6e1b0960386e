// Memory management and random fills shared by the CPU backends, which all keep buffers on the Java heap.
package curex.kernels;

/** Base of the CPU backends: heap buffers, host copies and counter-based random fills. */
public abstract class HostBackend implements Backend {

    /** The array behind a span's buffer; rejects buffers of non-host backends. */
    protected static float[] data(Span s) {
        if (!(s.buffer() instanceof HostBuffer hb))
            throw new IllegalArgumentException("a host backend cannot use a buffer of backend "
                    + s.buffer().backend().name());
        return hb.data();
    }

    @Override
    public Buffer allocate(long length) {
        if (length < 0 || length > Integer.MAX_VALUE - 8)
            throw new ShapeException("allocate: " + length + " floats does not fit a host buffer");
        return new HostBuffer(this, (int) length);
    }

    @Override
    public void copyFromHost(float[] src, int srcOffset, Span dst) {
        if (srcOffset < 0 || srcOffset + dst.length() > src.length)
            throw new ShapeException("copyFromHost: " + dst.length() + " floats from offset " + srcOffset
                    + " of a host array of " + src.length);
        System.arraycopy(src, srcOffset, data(dst), dst.intOffset(), dst.intLength());
    }

    @Override
    public void copyToHost(Span src, float[] dst, int dstOffset) {
        if (dstOffset < 0 || dstOffset + src.length() > dst.length)
            throw new ShapeException("copyToHost: " + src.length() + " floats to offset " + dstOffset
                    + " of a host array of " + dst.length);
        System.arraycopy(data(src), src.intOffset(), dst, dstOffset, src.intLength());
    }

    @Override
    public void copy(Span src, Span dst) {
        Check.same("copy", "src", src, "dst", dst);
        System.arraycopy(data(src), src.intOffset(), data(dst), dst.intOffset(), src.intLength());
    }

    @Override
    public void fill(Span dst, float value) {
        int o = dst.intOffset();
        java.util.Arrays.fill(data(dst), o, o + dst.intLength(), value);
    }

    @Override
    public void fillUniform(Span dst, float lo, float hi, long seed) {
        float[] d = data(dst);
        int o = dst.intOffset();
        for (int i = 0; i < dst.intLength(); i++) d[o + i] = lo + (hi - lo) * CounterRng.uniform(seed, i);
    }

    @Override
    public void fillNormal(Span dst, float mean, float std, long seed) {
        float[] d = data(dst);
        int o = dst.intOffset();
        for (int i = 0; i < dst.intLength(); i++) d[o + i] = mean + std * CounterRng.normal(seed, i);
    }
}
