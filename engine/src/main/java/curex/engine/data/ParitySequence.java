// Sparse parity as a token sequence for transformers: n bits as tokens 0/1, then a CLS token read for the label.
package curex.engine.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The samples of {@link SparseParity} (n, k) with the same seed streams, written as tokens {@code (1 - x_i) / 2} in
 * {0, 1} for i = 1..n followed by {@link #CLS}: sequences of n + 1 tokens over a vocabulary of 3, one label per
 * sample, read at the last position. Nothing is padded.
 */
public final class ParitySequence implements Task {
    public static final String NAME = "parity-tf";
    /** The token a classifier reads its logits at. */
    public static final int CLS = 2;

    private final SparseParity parity;

    public ParitySequence(int n, int k) {
        this.parity = new SparseParity(n, k);
    }

    /** Rebuilds parity-tf(n, k) from checkpoint metadata written by {@link #metadata()}. */
    static ParitySequence fromMetadata(Map<String, String> meta) {
        SparseParity p = SparseParity.fromMetadata(meta);
        return new ParitySequence(p.n(), p.k());
    }

    public int n() {
        return parity.n();
    }

    public int k() {
        return parity.k();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int[] sampleShape() {
        return new int[]{parity.n() + 1};
    }

    @Override
    public Input input() {
        return Input.TOKENS;
    }

    @Override
    public int vocabulary() {
        return 3;
    }

    @Override
    public int classes() {
        return 2;
    }

    @Override
    public Readout readout() {
        return Readout.SAMPLE;
    }

    @Override
    public void fill(long seed, long step, Batch into) {
        fill(SparseParity.trainKey(seed, step), into);
    }

    @Override
    public Batch heldOut(long seed, int count) {
        Batch b = Batch.of(this, count);
        fill(SparseParity.heldOutKey(seed), b);
        return b;
    }

    private void fill(long key, Batch b) {
        int len = parity.n() + 1;
        int[] tokens = b.tokens(), y = b.labels();
        if (tokens == null || b.length() != len)
            throw new IllegalArgumentException(NAME + ": a batch of " + b.size() + " x " + len + " tokens is needed, got "
                    + b);
        for (int r = 0; r < b.size(); r++) {
            y[r] = parity.drawRow(key, r, null, tokens, r * len);
            tokens[r * len + len - 1] = CLS;
        }
    }

    @Override
    public Map<String, String> metadata() {
        Map<String, String> m = parity.metadata();
        m.put(Tasks.KEY, NAME);
        return m;
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>(parity.toMap());
        m.put("name", NAME);
        return m;
    }

    @Override
    public String describe() {
        return NAME + "(n=" + parity.n() + ", k=" + parity.k() + ")";
    }

    @Override
    public String id() {
        return NAME + "-n" + parity.n() + "-k" + parity.k();
    }
}
