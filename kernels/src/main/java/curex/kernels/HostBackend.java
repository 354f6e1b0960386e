// Memory management, host transfers and random fills shared by the CPU backends, which keep buffers on the heap.
package curex.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of the CPU backends: F32 buffers are float arrays, I32 buffers int arrays (both {@link HostBuffer}s); copies are array copies, every kernel returns when it is done, so
 * {@link #synchronize} has nothing to wait for. Random fills are counter-based ({@link CounterRng}).
 */
public abstract class HostBackend extends CheckedBackend implements CpuBackend {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    /** The float array behind an F32 span's buffer; rejects buffers of non-host backends. */
    protected static float[] data(Span s) {
        if (!(s.buffer() instanceof HostBuffer hb) || s.dtype() != DType.F32)
            throw new IllegalArgumentException("a host backend cannot use a " + s.dtype() + " buffer of backend "
                    + s.buffer().backend().name() + " as float data");
        return hb.floats();
    }

    /** The int array behind an I32 span's buffer; rejects buffers of non-host backends. */
    protected static int[] ints(Span s) {
        if (!(s.buffer() instanceof HostBuffer hb) || s.dtype() != DType.I32)
            throw new IllegalArgumentException("a host backend cannot use a " + s.dtype() + " buffer of backend "
                    + s.buffer().backend().name() + " as int data");
        return hb.ints();
    }

    /**
     * What a backward kernel adds its contribution to: 0 for {@code beta == 0} (old ignored), the old value for
     * {@code beta == 1}, else {@code beta * old} rounded to float.
     */
    static float prior(float beta, float old) {
        return beta == 0 ? 0f : beta == 1 ? old : beta * old;
    }

    /** backend, threads and vector width. */
    @Override
    public Map<String, String> describe() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("backend", name());
        facts.put("threads", Integer.toString(threads()));
        facts.put("vector width", vectorWidth() + " floats");
        return Collections.unmodifiableMap(facts);
    }

    @Override
    public void synchronize() {
        // kernels of a host backend are done when they return
    }

    // ---------------------------------------------------------------- attention over shared rows

    @Override
    public final void attentionOfRows(Span rows, int tableRows, Span q, Span k, Span v, Span mask, int batch, int seq,
                                      int heads, int headDim, float scale, Span probs, Span out) {
        OpChecks.attentionOfRows(rows, tableRows, q, k, v, mask, batch, seq, heads, headDim, scale, probs, out);
        doAttentionOfRows(indexes("attentionOfRows", "row", rows, tableRows), q, k, v, mask, batch, seq, heads,
                headDim, scale, probs, out);
    }

    @Override
    public final void attentionOfRowsBackward(Span rows, int tableRows, Span q, Span k, Span v, Span probs,
                                              Span dOut, int batch, int seq, int heads, int headDim, float scale,
                                              float beta, Span dQ, Span dK, Span dV) {
        OpChecks.attentionOfRowsBackward(rows, tableRows, q, k, v, probs, dOut, batch, seq, heads, headDim, scale, dQ,
                dK, dV);
        beta("attentionOfRowsBackward", beta);
        if (dQ == null && dK == null && dV == null) return;
        doAttentionOfRowsBackward(indexes("attentionOfRowsBackward", "row", rows, tableRows), q, k, v, probs, dOut,
                batch, seq, heads, headDim, scale, beta, dQ, dK, dV);
    }

    /** The values of an I32 span (ids, rows), each checked to be an index in [0, limit), on the calling thread. */
    protected static int[] indexes(String op, String name, Span ids, int limit) {
        int[] all = ints(ids), index = new int[ids.intLength()];
        for (int i = 0; i < index.length; i++) index[i] = Check.index(op, name, all[ids.intOffset() + i], limit);
        return index;
    }

    /** {@link #attentionOfRows} on checked arguments: by default the rows gathered into copies, then attention. */
    protected void doAttentionOfRows(int[] rows, Span q, Span k, Span v, Span mask, int batch, int seq, int heads,
                                     int headDim, float scale, Span probs, Span out) {
        int d = heads * headDim;
        try (Buffer gq = gathered(rows, q, d); Buffer gk = gathered(rows, k, d); Buffer gv = gathered(rows, v, d)) {
            doAttention(gq.all(), gk.all(), gv.all(), mask, batch, seq, seq, heads, headDim, scale, probs, out);
        }
    }

    /** {@link #attentionOfRowsBackward} on checked arguments: by default the rows gathered, then the backward. */
    protected void doAttentionOfRowsBackward(int[] rows, Span q, Span k, Span v, Span probs, Span dOut, int batch,
                                             int seq, int heads, int headDim, float scale, float beta, Span dQ,
                                             Span dK, Span dV) {
        int d = heads * headDim;
        try (Buffer gq = gathered(rows, q, d); Buffer gk = gathered(rows, k, d); Buffer gv = gathered(rows, v, d)) {
            doAttentionBackward(gq.all(), gk.all(), gv.all(), probs, dOut, batch, seq, seq, heads, headDim, scale, beta,
                    dQ, dK, dV);
        }
    }

    /** A new buffer holding row {@code rows[i]} of table (.., d) as its row i. */
    private Buffer gathered(int[] rows, Span table, int d) {
        Buffer out = allocate((long) rows.length * d);
        float[] src = data(table), dst = data(out.all());
        for (int i = 0; i < rows.length; i++)
            System.arraycopy(src, table.intOffset() + rows[i] * d, dst, i * d, d);
        return out;
    }

    // ---------------------------------------------------------------- memory

    @Override
    protected Buffer doAllocate(long length) {
        return new HostBuffer(this, DType.F32, hostLength("allocate", length));
    }

    @Override
    protected Buffer doAllocateInts(long length) {
        return new HostBuffer(this, DType.I32, hostLength("allocateInts", length));
    }

    private static int hostLength(String op, long length) {
        if (length > Integer.MAX_VALUE - 8)
            throw new ShapeException(op + ": " + length + " elements do not fit a host buffer");
        return (int) length;
    }

    @Override
    protected void doCopyFromHost(float[] src, int srcOffset, Span dst) {
        System.arraycopy(src, srcOffset, data(dst), dst.intOffset(), dst.intLength());
    }

    @Override
    protected void doCopyFromHost(int[] src, int srcOffset, Span dst) {
        System.arraycopy(src, srcOffset, ints(dst), dst.intOffset(), dst.intLength());
    }

    @Override
    protected void doCopyFromHost(MemorySegment src, long srcByteOffset, Span dst) {
        if (dst.dtype() == DType.F32)
            MemorySegment.copy(src, FLOAT, srcByteOffset, data(dst), dst.intOffset(), dst.intLength());
        else MemorySegment.copy(src, INT, srcByteOffset, ints(dst), dst.intOffset(), dst.intLength());
    }

    @Override
    protected void doCopyToHost(Span src, float[] dst, int dstOffset) {
        System.arraycopy(data(src), src.intOffset(), dst, dstOffset, src.intLength());
    }

    @Override
    protected void doCopyToHost(Span src, int[] dst, int dstOffset) {
        System.arraycopy(ints(src), src.intOffset(), dst, dstOffset, src.intLength());
    }

    @Override
    protected void doCopyToHost(Span src, MemorySegment dst, long dstByteOffset) {
        if (src.dtype() == DType.F32)
            MemorySegment.copy(data(src), src.intOffset(), dst, FLOAT, dstByteOffset, src.intLength());
        else MemorySegment.copy(ints(src), src.intOffset(), dst, INT, dstByteOffset, src.intLength());
    }

    @Override
    protected void doCopy(Span src, Span dst) {
        if (src.dtype() == DType.F32)
            System.arraycopy(data(src), src.intOffset(), data(dst), dst.intOffset(), src.intLength());
        else System.arraycopy(ints(src), src.intOffset(), ints(dst), dst.intOffset(), src.intLength());
    }

    @Override
    protected void doFill(Span dst, float value) {
        int o = dst.intOffset();
        Arrays.fill(data(dst), o, o + dst.intLength(), value);
    }

    @Override
    protected void doFillUniform(Span dst, float lo, float hi, long seed) {
        float[] d = data(dst);
        int o = dst.intOffset();
        for (int i = 0; i < dst.intLength(); i++) d[o + i] = lo + (hi - lo) * CounterRng.uniform(seed, i);
    }

    @Override
    protected void doFillNormal(Span dst, float mean, float std, long seed) {
        float[] d = data(dst);
        int o = dst.intOffset();
        for (int i = 0; i < dst.intLength(); i++) d[o + i] = mean + std * CounterRng.normal(seed, i);
    }
}
