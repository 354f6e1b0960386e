// A contiguous run of elements inside a backend buffer: the unit every kernel reads and writes.
package curex.kernels;

/**
 * A view {@code [offset, offset + length)} of a {@link Buffer}. Kernels take spans so that callers can pass
 * slices of a larger buffer (a layer's weights inside a model's flat parameter buffer, one batch of many).
 */
public record Span(Buffer buffer, long offset, long length) {

    public Span {
        if (buffer == null) throw new IllegalArgumentException("span over a null buffer");
        if (offset < 0 || length < 0 || offset + length > buffer.length())
            throw new IllegalArgumentException("span [" + offset + ", " + (offset + length)
                    + ") does not fit a buffer of " + buffer.length() + " elements");
    }

    /** The element type, that of the buffer. */
    public DType dtype() {
        return buffer.dtype();
    }

    /** A sub-view {@code [from, from + len)} relative to this span. */
    public Span slice(long from, long len) {
        if (from < 0 || len < 0 || from + len > length)
            throw new IllegalArgumentException("slice [" + from + ", " + (from + len)
                    + ") does not fit a span of " + length + " elements");
        return new Span(buffer, offset + from, len);
    }

    /** Offset as an int, for host backends that index Java arrays. */
    public int intOffset() {
        return Math.toIntExact(offset);
    }

    /** Length as an int, for host backends that index Java arrays. */
    public int intLength() {
        return Math.toIntExact(length);
    }
}
