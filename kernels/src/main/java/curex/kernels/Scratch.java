// Zeroed work arrays kept per calling thread, so that a kernel's partial sums allocate nothing from step to step.
package curex.kernels;

import java.util.Arrays;

/**
 * Per-thread arrays that grow to the largest request and are then reused: a kernel that needs partial sums takes them
 * here instead of allocating. Each slot holds one array; an array stays valid until the same thread asks for the same
 * slot again, so a kernel uses distinct slots for arrays it needs at once and never keeps one past its return.
 */
final class Scratch {
    /** Float slots: column partials of a bias gradient, a LayerNorm's gain and shift partials. */
    static final int PARTIAL = 0, GAIN = 1, SHIFT = 2;
    /**
     * Float slots of attention: a transposed head, score rows, probability rows, score gradients and a key mask row.
     */
    static final int HEAD = 3, SCORES = 4, PROBS = 5, SCORE_GRADS = 6, KEY_MASK = 7;
    /** Float slot of {@link VectorTranspose}: the last rows of a block, zero-padded to eight. */
    static final int TILE = 8;
    /** Float slots of attention over shared rows: one sequence's query, key and value rows. */
    static final int QUERY_ROWS = 9, KEY_ROWS = 10, VALUE_ROWS = 11;
    private static final int FLOAT_SLOTS = 12;

    private static final ThreadLocal<Scratch> MINE = ThreadLocal.withInitial(Scratch::new);

    private final float[][] floats = new float[FLOAT_SLOTS][0];
    private double[] doubles = new double[0];

    private Scratch() {
    }

    /** The calling thread's float array of slot {@code slot}, with its first {@code n} elements zero. */
    static float[] zeroFloats(int slot, int n) {
        Scratch s = MINE.get();
        if (s.floats[slot].length < n) s.floats[slot] = new float[n];
        else Arrays.fill(s.floats[slot], 0, n, 0f);
        return s.floats[slot];
    }

    /** The calling thread's float array of slot {@code slot}, at least {@code n} long, its contents as they were. */
    static float[] floats(int slot, int n) {
        Scratch s = MINE.get();
        if (s.floats[slot].length < n) s.floats[slot] = new float[n];
        return s.floats[slot];
    }

    /** The calling thread's double array, with its first {@code n} elements zero. */
    static double[] zeroDoubles(int n) {
        Scratch s = MINE.get();
        if (s.doubles.length < n) s.doubles = new double[n];
        else Arrays.fill(s.doubles, 0, n, 0.0);
        return s.doubles;
    }
}
