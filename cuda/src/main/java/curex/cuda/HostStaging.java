// Native host memory through which array copies pass on their way to and from the device.
package curex.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One growable off-heap segment. Java arrays cannot be handed to the driver, so a copy goes array -> staging ->
 * device (or back); the backend waits for the copy before the segment is reused.
 */
final class HostStaging implements AutoCloseable {
    private Arena arena;
    private MemorySegment segment = MemorySegment.NULL;

    /** A segment of at least {@code bytes} (its contents are not kept across calls). */
    MemorySegment get(long bytes) {
        if (segment.byteSize() < bytes) {
            if (arena != null) arena.close();
            arena = Arena.ofShared();
            segment = arena.allocate(Math.max(bytes, 1 << 16), 64);
        }
        return segment;
    }

    @Override
    public void close() {
        if (arena != null) arena.close();
        arena = null;
        segment = MemorySegment.NULL;
    }
}
