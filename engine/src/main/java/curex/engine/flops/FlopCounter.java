// Counts the floating-point work of matrix products (2*M*N*K each) for one execution context.
package curex.engine.flops;

/**
 * A running total of FLOPs. Every matrix product that an {@link curex.engine.tensor.ExecContext} runs adds
 * {@code 2 * M * N * K} (times the batch for batched products), forward and backward alike; elementwise work is
 * not counted. Not thread-safe: one driver thread per context.
 */
public final class FlopCounter {
    private long total;
    private long products;

    /** Adds one (m x k)(k x n) product. */
    public void addProduct(long m, long n, long k) {
        total += 2L * m * n * k;
        products++;
    }

    /** Adds {@code batch} products of (m x k)(k x n). */
    public void addProducts(long batch, long m, long n, long k) {
        total += 2L * m * n * k * batch;
        products += batch;
    }

    /** Adds {@code flops} of products run elsewhere on this context's behalf (outputs reused from a memo). */
    public void add(long flops) {
        if (flops < 0) throw new IllegalArgumentException("flop count must be >= 0, got " + flops);
        total += flops;
    }

    /** FLOPs counted so far. */
    public long total() {
        return total;
    }

    /** Number of matrix products counted so far. */
    public long products() {
        return products;
    }

    /** Sets the total (for a resumed run); the product count restarts at 0. */
    public void restore(long flops) {
        if (flops < 0) throw new IllegalArgumentException("flop count must be >= 0, got " + flops);
        total = flops;
        products = 0;
    }

    public void reset() {
        restore(0);
    }

    @Override
    public String toString() {
        return "FlopCounter[" + total + " flops in " + products + " products]";
    }
}
