// The sparse parity task: x uniform in {-1,+1}^n, label 1 iff the product of k support coordinates is -1.
package curex.engine.data;

import curex.kernels.CounterRng;

import java.util.Arrays;

/**
 * Sparse parity (n, k). Every sample is a pure function of (seed, step, row), drawn with {@link CounterRng}, so a
 * resumed run sees exactly the data it would have seen, and every method trained with the same seed sees the
 * same batches. Training batches and the held-out set come from two separate streams of the seed.
 * Labels are class indices 0 or 1 stored as floats.
 */
public final class SparseParity {
    /** Size of the held-out evaluation set unless a caller asks otherwise. */
    public static final int DEFAULT_HELD_OUT = 4096;
    private static final long TRAIN_STREAM = 0x747261696E5F7631L;    // stream tags keep the two streams apart
    private static final long HELD_OUT_STREAM = 0x68656C646F75745FL;
    private static final long SUPPORT_STREAM = 0x737570706F72745FL;

    private final int n;
    private final int k;
    private final int[] support;     // (k) sorted coordinate indices
    private final int words;         // 64-bit random words per sample

    /** Parity of the first {@code k} of {@code n} coordinates, the published setting. */
    public SparseParity(int n, int k) {
        this(n, k, firstK(n, k));
    }

    private SparseParity(int n, int k, int[] support) {
        this.n = n;
        this.k = k;
        this.support = support;
        this.words = (n + 63) / 64;
    }

    /** Parity of a random k-subset of the n coordinates, chosen from {@code supportSeed}. */
    public static SparseParity withRandomSupport(int n, int k, long supportSeed) {
        validate(n, k);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        for (int i = 0; i < k; i++) {  // partial Fisher-Yates
            int j = i + (int) Math.floorMod(CounterRng.bits(supportSeed ^ SUPPORT_STREAM, i), (long) (n - i));
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] s = Arrays.copyOf(idx, k);
        Arrays.sort(s);
        return new SparseParity(n, k, s);
    }

    private static int[] firstK(int n, int k) {
        validate(n, k);
        int[] s = new int[k];
        for (int i = 0; i < k; i++) s[i] = i;
        return s;
    }

    private static void validate(int n, int k) {
        if (n < 1) throw new IllegalArgumentException("sparse parity: n must be >= 1, got " + n);
        if (k < 1 || k > n)
            throw new IllegalArgumentException("sparse parity: k must satisfy 1 <= k <= n (n = " + n + "), got " + k);
    }

    public int n() {
        return n;
    }

    public int k() {
        return k;
    }

    /** The support coordinates, sorted (a copy). */
    public int[] support() {
        return support.clone();
    }

    /** Number of classes (2). */
    public int classes() {
        return 2;
    }

    /**
     * Fills training batch {@code step} of run {@code seed}: {@code x} (batchSize, n) in {-1, +1} and {@code y}
     * (batchSize) in {0, 1}. A pure function of (seed, step) for rows 0..batchSize-1: row r is the same for any
     * batch size larger than r. Writes only the first batchSize*n / batchSize entries.
     */
    public void batch(long seed, long step, int batchSize, float[] x, float[] y) {
        if (step < 0) throw new IllegalArgumentException("sparse parity: step must be >= 0, got " + step);
        fill(CounterRng.bits(CounterRng.bits(seed, TRAIN_STREAM), step), batchSize, x, y);
    }

    /** A new training batch {@code step} of run {@code seed} (see {@link #batch(long, long, int, float[], float[])}). */
    public LabeledBatch batch(long seed, long step, int batchSize) {
        checkSize(batchSize);
        float[] x = new float[batchSize * n], y = new float[batchSize];
        batch(seed, step, batchSize, x, y);
        return new LabeledBatch(batchSize, n, x, y);
    }

    /** The fixed evaluation set of run {@code seed}: {@code count} samples from a stream disjoint from training. */
    public LabeledBatch heldOut(long seed, int count) {
        checkSize(count);
        float[] x = new float[count * n], y = new float[count];
        fill(CounterRng.bits(seed, HELD_OUT_STREAM), count, x, y);
        return new LabeledBatch(count, n, x, y);
    }

    /** {@link #heldOut(long, int)} of {@link #DEFAULT_HELD_OUT} samples. */
    public LabeledBatch heldOut(long seed) {
        return heldOut(seed, DEFAULT_HELD_OUT);
    }

    /** The label (0 or 1) of the sample in {@code x[offset .. offset + n)}: 1 iff the support product is -1. */
    public int label(float[] x, int offset) {
        int negatives = 0;
        for (int c : support) if (x[offset + c] < 0) negatives++;
        return negatives & 1;
    }

    private void checkSize(int rows) {
        if (rows < 1) throw new IllegalArgumentException("sparse parity: batch size must be >= 1, got " + rows);
        if ((long) rows * n > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("sparse parity: " + rows + " samples of " + n + " features do not fit an array");
    }

    private void fill(long key, int rows, float[] x, float[] y) {
        checkSize(rows);
        if (x.length < (long) rows * n || y.length < rows)
            throw new IllegalArgumentException("sparse parity: need x of >= " + (long) rows * n + " and y of >= " + rows
                    + " floats, got " + x.length + " and " + y.length);
        for (int r = 0; r < rows; r++) {
            int base = r * n;
            for (int w = 0; w < words; w++) {
                long bits = CounterRng.bits(key, (long) r * words + w);
                int end = Math.min(n, (w + 1) * 64);
                for (int c = w * 64; c < end; c++, bits >>>= 1) x[base + c] = (bits & 1) != 0 ? -1f : 1f;
            }
            y[r] = label(x, base);
        }
    }

    @Override
    public String toString() {
        return "SparseParity(n=" + n + ", k=" + k + ", support=" + Arrays.toString(support) + ")";
    }
}
