// Launches our kernels by name on the backend's stream, packing Java arguments into cuLaunchKernel's parameter array.
package curex.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * Arguments map to kernel parameters by Java type: {@code Long} to a 64-bit integer or a device pointer
 * ({@code i64}, {@code T*}), {@code Integer} to {@code int}, {@code Float} to {@code float}, {@code Double} to
 * {@code double}. Each gets its own 8-byte slot; cuLaunchKernel copies them, so the slots are reused by the next
 * launch. Not thread-safe, like the backend.
 */
final class KernelLauncher implements AutoCloseable {
    /** Threads per block of the one-dimensional kernels and of the row kernels. */
    static final int BLOCK = 256;
    /** At most this many blocks for grid-stride loops. */
    static final int MAX_BLOCKS = 1 << 16;
    private static final int MAX_ARGS = 32;

    private final CudaDriver driver;
    private final MemorySegment module, stream;
    private final Map<String, MemorySegment> functions = new HashMap<>();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment values = arena.allocate(8L * MAX_ARGS, 8);
    private final MemorySegment pointers = arena.allocate(ADDRESS, MAX_ARGS);

    KernelLauncher(CudaDriver driver, MemorySegment module, MemorySegment stream) {
        this.driver = driver;
        this.module = module;
        this.stream = stream;
        for (int i = 0; i < MAX_ARGS; i++) pointers.setAtIndex(ADDRESS, i, values.asSlice(8L * i, 8));
    }

    /** Blocks of {@link #BLOCK} threads for {@code n} elements, at least 1 and at most {@link #MAX_BLOCKS}. */
    static int blocks(long n) {
        return (int) Math.max(1, Math.min(MAX_BLOCKS, (n + BLOCK - 1) / BLOCK));
    }

    /** One thread per element in a grid-stride loop over {@code n}. */
    void elements(String kernel, long n, Object... args) {
        launch(kernel, blocks(n), 1, BLOCK, args);
    }

    /** One block of {@link #BLOCK} threads per row. */
    void rows(String kernel, int rows, Object... args) {
        if (rows == 0) return;
        launch(kernel, rows, 1, BLOCK, args);
    }

    /** A launch with an explicit grid ({@code gridX} by {@code gridY} blocks of {@code block} threads). */
    void launch(String kernel, int gridX, int gridY, int block, Object... args) {
        if (args.length > MAX_ARGS) throw new IllegalArgumentException(kernel + ": too many arguments");
        for (int i = 0; i < args.length; i++) {
            long at = 8L * i;
            switch (args[i]) {
                case Long v -> values.set(JAVA_LONG, at, v);
                case Integer v -> values.set(JAVA_INT, at, v);
                case Float v -> values.set(JAVA_FLOAT, at, v);
                case Double v -> values.set(JAVA_DOUBLE, at, v);
                default -> throw new IllegalArgumentException(kernel + ": argument " + i + " is a "
                        + args[i].getClass().getSimpleName());
            }
        }
        driver.launch(kernel, function(kernel), gridX, gridY, block, 0, stream, pointers);
    }

    private MemorySegment function(String kernel) {
        MemorySegment f = functions.get(kernel);
        if (f == null) {
            f = driver.moduleFunction(module, kernel);
            functions.put(kernel, f);
        }
        return f;
    }

    @Override
    public void close() {
        arena.close();
    }
}
