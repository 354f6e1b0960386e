// Fixed-size splits of index ranges and rows, run inline or on the worker pool; a split never depends on threads.
package curex.kernels;

/**
 * Splits work into pieces whose boundaries depend only on the sizes, so that per-piece partial results (and
 * therefore every reduction) are the same whatever the thread count. Small inputs run inline on the caller.
 */
final class Chunks {
    /** Elements per piece of an elementwise kernel. */
    static final int ELEMENTS = 1 << 14;
    /** Elements per partial sum of a reduction. */
    static final int REDUCE = 1 << 12;
    /** Below this many elements a cheap (memory-bound) kernel stays on the calling thread. */
    static final int PARALLEL_CHEAP = 1 << 17;
    /** Below this many elements a heavy kernel (exp, sqrt, per-row passes) stays on the calling thread. */
    static final int PARALLEL_HEAVY = 1 << 15;
    /** Target elements per row group. */
    static final int ROW_GROUP = 1 << 13;

    private Chunks() {
    }

    /** Work on {@code [from, to)}, piece number {@code piece}. */
    interface Body {
        void run(int piece, int from, int to);
    }

    /** Number of pieces of {@code size} covering {@code n} elements. */
    static int count(int n, int size) {
        return (int) (((long) n + size - 1) / size);
    }

    /** Runs body over pieces {@code [p * size, min(n, (p + 1) * size))}, on the pool (if any) when {@code parallel}. */
    static void run(WorkerPool pool, int n, int size, boolean parallel, Body body) {
        int pieces = count(n, size);
        if (pool == null || !parallel || pool.threads() == 1 || pieces <= 1) {
            for (int p = 0; p < pieces; p++) body.run(p, p * size, (int) Math.min(n, (long) p * size + size));
        } else {
            pool.parallelFor(pieces, p -> body.run(p, p * size, (int) Math.min(n, (long) p * size + size)));
        }
    }

    /** Elementwise kernel over n elements: pieces of {@link #ELEMENTS}, parallel above the given threshold. */
    static void elements(WorkerPool pool, int n, boolean heavy, Body body) {
        run(pool, n, ELEMENTS, n >= (heavy ? PARALLEL_HEAVY : PARALLEL_CHEAP), body);
    }

    /** Rows per group for a (rows, cols) kernel: about {@link #ROW_GROUP} elements, at least one row. */
    static int rowsPerGroup(int cols) {
        return Math.max(1, ROW_GROUP / Math.max(1, cols));
    }

    /** Row kernel over groups of rows {@code [from, to)}; parallel when the matrix is large. */
    static void rows(WorkerPool pool, int rows, int cols, Body body) {
        run(pool, rows, rowsPerGroup(cols), (long) rows * cols >= PARALLEL_HEAVY, body);
    }
}
