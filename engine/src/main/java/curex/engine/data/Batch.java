// Host memory for one batch of a task: inputs (features or token ids) and labels, reused from step to step.
package curex.engine.data;

import java.util.Arrays;

/**
 * {@code size} samples: inputs row-major (size, sample...) in {@link #features()} or {@link #tokens()} as the task's
 * input kind says (the other is null), and labels (size, labelsPerSample) as class indices.
 */
public final class Batch {
    private final int size;
    private final int[] sampleShape;
    private final float[] features;
    private final int[] tokens;
    private final int[] labels;

    private Batch(int size, int[] sampleShape, float[] features, int[] tokens, int[] labels) {
        this.size = size;
        this.sampleShape = sampleShape.clone();
        this.features = features;
        this.tokens = tokens;
        this.labels = labels;
    }

    /** An empty batch of {@code size} samples of {@code task}, to be filled by {@link Task#fill}. */
    public static Batch of(Task task, int size) {
        if (size < 1) throw new IllegalArgumentException(task.name() + ": batch size must be >= 1, got " + size);
        long elements = (long) size * task.sampleSize();
        if (elements > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException(task.name() + ": " + size + " samples of " + task.sampleSize()
                    + " elements do not fit an array; use a smaller batch or held-out set");
        boolean tok = task.input() == Task.Input.TOKENS;
        return new Batch(size, task.sampleShape(), tok ? null : new float[(int) elements],
                tok ? new int[(int) elements] : null, new int[Math.multiplyExact(size, task.labelsPerSample())]);
    }

    public int size() {
        return size;
    }

    /** The shape of one sample (a copy). */
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /** The input tensor's shape: (size, sample...). */
    public int[] inputShape() {
        int[] s = new int[sampleShape.length + 1];
        s[0] = size;
        System.arraycopy(sampleShape, 0, s, 1, sampleShape.length);
        return s;
    }

    /** Real-valued inputs (size, sample...), or null for token inputs. Held, not copied. */
    public float[] features() {
        return features;
    }

    /** Token ids (size, sample...), or null for real-valued inputs. Held, not copied. */
    public int[] tokens() {
        return tokens;
    }

    /** Class indices (size, labelsPerSample). Held, not copied. */
    public int[] labels() {
        return labels;
    }

    @Override
    public String toString() {
        return "Batch[" + size + " x " + Arrays.toString(sampleShape) + "]";
    }
}
