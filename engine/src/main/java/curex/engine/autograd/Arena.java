// Activation and gradient memory for tapes, reused from step to step so that a steady state allocates nothing.
package curex.engine.autograd;

import curex.kernels.Backend;
import curex.kernels.Buffer;
import curex.kernels.Span;

import java.util.ArrayList;
import java.util.List;

/**
 * A sequence of backend buffers handed out in order. A tape takes spans with {@link #take}; closing the tape
 * {@link #rewind rewinds} the arena, and the next tape with the same sequence of sizes gets the same buffers back
 * without allocating. A slot that is too small for a new request is replaced by a larger buffer. Reused memory is
 * not cleared: forward kernels overwrite, and gradients are zero-filled or overwritten on first contribution.
 *
 * <p>One tape at a time may use an arena; a teacher's forward and a student's step use two arenas.
 */
public final class Arena implements AutoCloseable {
    private final Backend backend;
    private final List<Buffer> slots = new ArrayList<>();
    private int cursor;
    private boolean busy;
    private long allocations;
    private long allocatedFloats;

    public Arena(Backend backend) {
        if (backend == null) throw new IllegalArgumentException("backend must not be null");
        this.backend = backend;
    }

    public Backend backend() {
        return backend;
    }

    /** The next span of {@code length} floats; contents are whatever the slot held last. */
    public Span take(long length) {
        if (cursor < slots.size()) {
            Buffer b = slots.get(cursor);
            if (b.length() < length) {
                b.close();
                b = allocate(length);
                slots.set(cursor, b);
            }
            cursor++;
            return b.span(0, length);
        }
        Buffer b = allocate(length);
        slots.add(b);
        cursor++;
        return b.span(0, length);
    }

    private Buffer allocate(long length) {
        allocations++;
        allocatedFloats += length;
        return backend.allocate(Math.max(1, length));
    }

    /** Makes every slot available again, in the same order. */
    public void rewind() {
        cursor = 0;
    }

    /** Buffers allocated since this arena was made: constant across steps in a steady state. */
    public long allocations() {
        return allocations;
    }

    /** Floats allocated since this arena was made (replaced slots included). */
    public long allocatedFloats() {
        return allocatedFloats;
    }

    /** Floats currently held. */
    public long heldFloats() {
        long n = 0;
        for (Buffer b : slots) n += b.length();
        return n;
    }

    void acquire() {
        if (busy) throw new IllegalStateException("arena already in use by an open tape; give each tape its own arena");
        busy = true;
        cursor = 0;
    }

    void release() {
        busy = false;
        cursor = 0;
    }

    /** Frees every buffer. */
    @Override
    public void close() {
        for (Buffer b : slots) b.close();
        slots.clear();
        cursor = 0;
    }
}
