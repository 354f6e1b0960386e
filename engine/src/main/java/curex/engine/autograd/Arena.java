// Activation and gradient memory for tapes: a few large buffers handed out in slices, reused from step to step.
package curex.engine.autograd;

import curex.engine.tensor.GradientSource;
import curex.kernels.Backend;
import curex.kernels.Buffer;
import curex.kernels.DType;
import curex.kernels.Span;

import java.util.ArrayList;
import java.util.List;

/**
 * Slices of a few large backend buffers (chunks), handed out in order. A tape takes spans with {@link #take} (floats)
 * or {@link #takeInts}; closing the tape rewinds the arena. The arena keeps a high-water mark of what one pass took:
 * when a pass needed more than the first chunk, the chunks are replaced at the rewind by one chunk that holds the whole
 * pass, so from then on a pass with the same sizes allocates nothing and nothing is freed or reallocated. When a later
 * pass outgrows that chunk too (batches whose length varies), the replacement holds a quarter more than the largest
 * pass, so that a few growing passes do not each reallocate. Slices start
 * at multiples of {@value #ALIGN} elements (64 bytes). Reused memory is not cleared: forward kernels overwrite, and
 * gradients are overwritten (beta 0) or zero-filled on their first contribution.
 *
 * <p>One tape at a time may use an arena; a teacher's forward and a student's step use two arenas.
 */
public final class Arena implements AutoCloseable {
    static final int ALIGN = 16;
    /** The smallest chunk allocated (in elements), so that small passes share one buffer. */
    static final long MIN_CHUNK = 1 << 16;

    private final Backend backend;
    private final Chunks floats = new Chunks(DType.F32);
    private final Chunks ints = new Chunks(DType.I32);
    private final Gradients gradients = new Gradients();
    private boolean busy;
    private long allocations;

    public Arena(Backend backend) {
        if (backend == null) throw new IllegalArgumentException("backend must not be null");
        this.backend = backend;
    }

    public Backend backend() {
        return backend;
    }

    /** The next span of {@code length} floats; contents are whatever the memory held last. */
    public Span take(long length) {
        return floats.take(length);
    }

    /** The next span of {@code length} ints; contents are whatever the memory held last. */
    public Span takeInts(long length) {
        return ints.take(length);
    }

    /**
     * Activation gradients for a tape: a span given back is handed out again, most recently given first, to the next
     * request of its length (so that the memory is still in cache); other requests take new floats.
     */
    public GradientSource gradients() {
        return gradients;
    }

    /** Makes all memory available again, in the same order; consolidates the chunks after a pass that spilled. */
    public void rewind() {
        gradients.free.clear();
        floats.rewind();
        ints.rewind();
    }

    /** Buffers allocated since this arena was made: constant across steps in a steady state. */
    public long allocations() {
        return allocations;
    }

    void acquire() {
        if (busy) throw new IllegalStateException("arena already in use by an open tape; give each tape its own arena");
        busy = true;
        rewind();
    }

    void release() {
        busy = false;
        rewind();
    }

    /** Bytes the arena holds now (float and int chunks): after the first steps, the peak memory of one step's tape. */
    public long bytes() {
        return (floats.elements() + ints.elements()) * Float.BYTES;
    }

    /** Frees every buffer. */
    @Override
    public void close() {
        floats.close();
        ints.close();
    }

    /** The spans given back in this pass, for {@link #gradients()}. */
    private final class Gradients implements GradientSource {
        private final List<Span> free = new ArrayList<>();

        @Override
        public Span take(long length) {
            for (int i = free.size() - 1; i >= 0; i--)
                if (free.get(i).length() == length) return free.remove(i);
            return floats.take(length);
        }

        @Override
        public void give(Span span) {
            free.add(span);
        }
    }

    /** The chunks of one element type, with the cursor of the current pass. */
    private final class Chunks {
        private final DType type;
        private final List<Buffer> chunks = new ArrayList<>();
        private int current;        // chunk the cursor is in
        private long used;          // elements used in the current chunk
        private long pass;          // elements (aligned) taken in this pass
        private long highWater;     // most elements one pass took
        private boolean spilled;    // this pass went beyond the first chunk
        private int consolidations; // times the chunks were replaced by one

        Chunks(DType type) {
            this.type = type;
        }

        Span take(long length) {
            if (length < 0) throw new IllegalArgumentException("negative arena request " + length);
            long need = (Math.max(1, length) + ALIGN - 1) / ALIGN * ALIGN;
            pass += need;
            while (current < chunks.size()) {
                Buffer b = chunks.get(current);
                if (used + need <= b.length()) {
                    Span s = b.span(used, length);
                    used += need;
                    return s;
                }
                current++;
                used = 0;
                spilled = true;
            }
            spilled |= !chunks.isEmpty();
            Buffer b = allocate(Math.max(need, Math.max(MIN_CHUNK, pass)));
            chunks.add(b);
            used = need;
            return b.span(0, length);
        }

        void rewind() {
            highWater = Math.max(highWater, pass);
            if (spilled) {          // replace the chunks by one that holds the whole pass
                for (Buffer b : chunks) b.close();
                chunks.clear();
                // passes that keep growing (batches of varying length) get a quarter of headroom after the first
                long size = consolidations++ == 0 ? highWater : highWater + highWater / 4;
                chunks.add(allocate(Math.max(size, MIN_CHUNK)));
            }
            current = 0;
            used = 0;
            pass = 0;
            spilled = false;
        }

        private Buffer allocate(long length) {
            allocations++;
            return type == DType.I32 ? backend.allocateInts(length) : backend.allocate(length);
        }

        long elements() {
            long n = 0;
            for (Buffer b : chunks) n += b.length();
            return n;
        }

        void close() {
            for (Buffer b : chunks) b.close();
            chunks.clear();
            current = 0;
            used = 0;
            pass = 0;
        }
    }
}
