// Host memory for one batch of a task: inputs (features or token ids) and labels, reused from step to step.
package curex.engine.data;

import java.util.Arrays;

/**
 * {@code size} samples: inputs row-major (size, sample...) in {@link #features()} or {@link #tokens()} as the task's
 * input kind says (the other is null), and labels (size, labelsPerSample) as class indices. A batch of token
 * sequences holds them padded to {@link #length()} positions, packed: sample r's tokens are
 * {@code tokens[r * length .. (r + 1) * length)}, and with per-token labels so are its labels. The arrays are sized
 * for the task's longest sample; only the first {@link #inputCount()} and {@link #labelCount()} entries are the batch.
 */
public final class Batch {
    private final int size;
    private final int[] sampleShape;
    private final boolean tokenLabels;
    private final float[] features;
    private final int[] tokens;
    private final int[] labels;
    private int length;

    private Batch(int size, int[] sampleShape, boolean tokenLabels, float[] features, int[] tokens, int[] labels) {
        this.size = size;
        this.sampleShape = sampleShape.clone();
        this.tokenLabels = tokenLabels;
        this.features = features;
        this.tokens = tokens;
        this.labels = labels;
        this.length = sampleShape.length == 0 ? 1 : sampleShape[sampleShape.length - 1];
    }

    /** An empty batch of {@code size} samples of {@code task}, to be filled by {@link Task#fill}. */
    public static Batch of(Task task, int size) {
        if (size < 1) throw new IllegalArgumentException(task.name() + ": batch size must be >= 1, got " + size);
        long elements = (long) size * task.sampleSize();
        if (elements > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException(task.name() + ": " + size + " samples of " + task.sampleSize()
                    + " elements do not fit an array; use a smaller batch or held-out set");
        boolean tok = task.input() == Task.Input.TOKENS;
        return new Batch(size, task.sampleShape(), task.readout() == Task.Readout.TOKENS,
                tok ? null : new float[(int) elements], tok ? new int[(int) elements] : null,
                new int[Math.multiplyExact(size, task.labelsPerSample())]);
    }

    public int size() {
        return size;
    }

    /** The shape of one sample as the batch holds it now: the task's, with the last dimension {@link #length()}. */
    public int[] sampleShape() {
        int[] s = sampleShape.clone();
        if (s.length > 0) s[s.length - 1] = length;
        return s;
    }

    /** Positions per sample (a sequence's padded length; a feature vector's size), the task's longest by default. */
    public int length() {
        return length;
    }

    /** Sets the padded length of the contents (token batches only), at most the task's longest sample. */
    public void setLength(int length) {
        int max = sampleShape.length == 0 ? 1 : sampleShape[sampleShape.length - 1];
        if (tokens == null || sampleShape.length != 1)
            throw new IllegalStateException("only a batch of token sequences has a variable length");
        if (length < 1 || length > max)
            throw new IllegalArgumentException("a sequence length of " + length + " does not fit a batch of sequences"
                    + " of at most " + max + " tokens");
        this.length = length;
    }

    /** The input tensor's shape: (size, sample...), the last dimension {@link #length()}. */
    public int[] inputShape() {
        int[] s = sampleShape();
        int[] out = new int[s.length + 1];
        out[0] = size;
        System.arraycopy(s, 0, out, 1, s.length);
        return out;
    }

    /** Input elements the batch holds now: size times the sample's current size. */
    public int inputCount() {
        int n = size;
        for (int d : sampleShape()) n *= d;
        return n;
    }

    /** Labels per sample now: 1, or {@link #length()} for per-token labels. */
    public int labelsPerSample() {
        return tokenLabels ? length : 1;
    }

    /** Labels the batch holds now: size times {@link #labelsPerSample()}. */
    public int labelCount() {
        return size * labelsPerSample();
    }

    /** Real-valued inputs (size, sample...), or null for token inputs. Held, not copied. */
    public float[] features() {
        return features;
    }

    /** Token ids (size, length), or null for real-valued inputs. Held, not copied. */
    public int[] tokens() {
        return tokens;
    }

    /** Class indices (size, labelsPerSample). Held, not copied. */
    public int[] labels() {
        return labels;
    }

    @Override
    public String toString() {
        return "Batch[" + size + " x " + Arrays.toString(sampleShape()) + "]";
    }
}
