// A block of device or host memory owned by a backend: callers treat it as an opaque handle.
package curex.kernels;

/**
 * Memory that a {@link Backend} allocated, on the host or on a device, holding elements of one {@link DType}.
 * Code above the backend never reads it directly: host data moves in and out through
 * {@link Backend#copyFromHost} and {@link Backend#copyToHost}.
 */
public interface Buffer extends AutoCloseable {

    /** Number of elements. */
    long length();

    /** The type of every element. */
    DType dtype();

    /** The backend that allocated this buffer and the only one that may operate on it. */
    Backend backend();

    /** A view of {@code length} elements starting at {@code offset}. */
    default Span span(long offset, long length) {
        return new Span(this, offset, length);
    }

    /** A view of the whole buffer. */
    default Span all() {
        return new Span(this, 0, length());
    }

    /** Releases the memory; the buffer must not be used afterwards. Idempotent. */
    @Override
    void close();
}
