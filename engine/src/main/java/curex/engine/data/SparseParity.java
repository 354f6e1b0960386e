// The sparse parity task: x uniform in {-1,+1}^n, label 1 iff the product of k support coordinates is -1.
package curex.engine.data;

import curex.kernels.CounterRng;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sparse parity (n, k). Every sample is a pure function of (seed, step, row), drawn with {@link CounterRng}, so a
 * resumed run sees exactly the data it would have seen, and every method trained with the same seed sees the
 * same batches. Training batches and the held-out set come from two separate streams of the seed.
 * Inputs are n features in {-1, +1}; the label (0 or 1) is one class per sample.
 */
public final class SparseParity implements Task {
    public static final String NAME = "parity";
    public static final String KEY_N = "parity.n";
    public static final String KEY_K = "parity.k";
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
    @Override
    public int classes() {
        return 2;
    }

    /** Rebuilds parity(n, k) from checkpoint metadata written by {@link #metadata()}. */
    static SparseParity fromMetadata(Map<String, String> meta) {
        return new SparseParity(intEntry(meta, KEY_N), intEntry(meta, KEY_K));
    }

    private static int intEntry(Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) throw new IllegalArgumentException("parity metadata lacks '" + key + "'");
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parity metadata '" + key + "' is not an integer: '" + v + "'");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int[] sampleShape() {
        return new int[]{n};
    }

    @Override
    public Input input() {
        return Input.FEATURES;
    }

    @Override
    public Readout readout() {
        return Readout.SAMPLE;
    }

    /**
     * Training batch {@code step} of stream {@code seed}: features (size, n) in {-1, +1} and labels (size) in {0, 1}.
     * Row r is the same for any batch larger than r.
     */
    @Override
    public void fill(long seed, long step, Batch into) {
        fill(trainKey(seed, step), into);
    }

    @Override
    public Batch heldOut(long seed, int count) {
        Batch b = Batch.of(this, count);
        fill(heldOutKey(seed), b);
        return b;
    }

    /** {@link #heldOut(long, int)} of {@link #DEFAULT_HELD_OUT} samples. */
    public Batch heldOut(long seed) {
        return heldOut(seed, DEFAULT_HELD_OUT);
    }

    @Override
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Tasks.KEY, NAME);
        m.put(KEY_N, Integer.toString(n));
        m.put(KEY_K, Integer.toString(k));
        return m;
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", NAME);
        m.put("n", n);
        m.put("k", k);
        return m;
    }

    @Override
    public String describe() {
        return "parity(n=" + n + ", k=" + k + ")";
    }

    @Override
    public String id() {
        return NAME + "-n" + n + "-k" + k;
    }

    /** The label (0 or 1) of the sample in {@code x[offset .. offset + n)}: 1 iff the support product is -1. */
    public int label(float[] x, int offset) {
        int negatives = 0;
        for (int c : support) if (x[offset + c] < 0) negatives++;
        return negatives & 1;
    }

    private void fill(long key, Batch b) {
        float[] x = b.features();
        int[] y = b.labels();
        if (x == null || x.length != (long) b.size() * n)
            throw new IllegalArgumentException("sparse parity: a batch of " + b.size() + " x " + n + " features is needed, got "
                    + b);
        for (int r = 0; r < b.size(); r++) y[r] = drawRow(key, r, x, null, r * n);
    }

    /** The key of training batch {@code step} of stream {@code seed}. */
    static long trainKey(long seed, long step) {
        if (step < 0) throw new IllegalArgumentException("sparse parity: step must be >= 0, got " + step);
        return CounterRng.bits(CounterRng.bits(seed, TRAIN_STREAM), step);
    }

    /** The key of the held-out set of stream {@code seed}. */
    static long heldOutKey(long seed) {
        return CounterRng.bits(seed, HELD_OUT_STREAM);
    }

    /**
     * Draws row {@code r} of the batch with key {@code key} into {@code features[base..base+n)} as +-1, or into
     * {@code tokens[base..base+n)} as (1 - x) / 2 in {0, 1} (the other array null), and returns its label.
     */
    int drawRow(long key, int r, float[] features, int[] tokens, int base) {
        int negatives = 0;
        for (int w = 0, s = 0; w < words; w++) {
            long bits = CounterRng.bits(key, (long) r * words + w);
            int end = Math.min(n, (w + 1) * 64);
            for (int c = w * 64; c < end; c++, bits >>>= 1) {
                boolean negative = (bits & 1) != 0;
                if (features != null) features[base + c] = negative ? -1f : 1f;
                else tokens[base + c] = negative ? 1 : 0;
                if (s < k && support[s] == c) {
                    if (negative) negatives++;
                    s++;
                }
            }
        }
        return negatives & 1;
    }

    @Override
    public String toString() {
        return "SparseParity(n=" + n + ", k=" + k + ", support=" + Arrays.toString(support) + ")";
    }
}
