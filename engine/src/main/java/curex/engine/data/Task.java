// A learning task: batches as a pure function of (seed, step), a fixed held-out set, and what a model reads and predicts.
package curex.engine.data;

import java.util.Map;

/**
 * What every layer above the models needs to know of a task. Training batch {@code step} of stream {@code seed} is a
 * pure function of the two, so a resumed run sees exactly the data it would have seen and every method given the same
 * seed sees the same batches; the held-out set comes from a stream disjoint from training. A sample is an array of
 * {@link #sampleShape()} features or token ids ({@link #input()}); labels are class indices in [0, {@link #classes()})
 * at the task's {@link #readout()} positions. A token task whose sequences vary in length pads each batch to its
 * longest sequence with {@link #padToken()} ({@link Batch#length()}); {@link #sampleShape()} is then the longest
 * sequence the task can produce.
 */
public interface Task {

    /** What a sample holds. */
    enum Input { FEATURES, TOKENS }

    /** Where a sample carries labels. */
    enum Readout {
        /** One label per sample: an MLP's output row, a sequence model's last position. */
        SAMPLE,
        /** One label per position; positions whose label is {@link #ignoreIndex()} carry none (masked LM). */
        TOKENS
    }

    /** Short name, as recorded in checkpoints' metadata: "parity". */
    String name();

    /** Shape of one sample: {n} features for parity, {T} tokens for a sequence. */
    int[] sampleShape();

    Input input();

    /** Number of output classes (a vocabulary for token-level tasks). */
    int classes();

    Readout readout();

    /** The label of a position without one; -1 (no class) where every position counts. */
    default int ignoreIndex() {
        return -1;
    }

    /** Token ids run over [0, vocabulary) for {@link Input#TOKENS} tasks; 0 for real-valued inputs. */
    default int vocabulary() {
        return 0;
    }

    /** The id that pads a sequence to its batch's length (attention ignores it), or -1 where nothing is padded. */
    default int padToken() {
        return -1;
    }

    /** Elements per sample (the longest, for a task whose sequences vary in length). */
    default int sampleSize() {
        int n = 1;
        for (int d : sampleShape()) n = Math.multiplyExact(n, d);
        return n;
    }

    /** Labels per sample: 1, or the (longest) sample's length for {@link Readout#TOKENS}. */
    default int labelsPerSample() {
        return readout() == Readout.SAMPLE ? 1 : sampleSize();
    }

    /** Fills {@code into} with training batch {@code step} of stream {@code seed}. */
    void fill(long seed, long step, Batch into);

    /** A new batch holding training batch {@code step} of stream {@code seed}. */
    default Batch batch(long seed, long step, int size) {
        Batch b = Batch.of(this, size);
        fill(seed, step, b);
        return b;
    }

    /** The fixed evaluation set of stream {@code seed}: {@code count} samples apart from training. */
    Batch heldOut(long seed, int count);

    /** The task as checkpoints record it in their metadata (name and sizes), read back by {@link Tasks#fromMetadata}. */
    Map<String, String> metadata();

    /** The task as config.json records it. */
    Map<String, Object> toMap();

    /** "parity(n=40, k=6)". */
    String describe();

    /** A name for folders and files: "parity-n40-k6". */
    String id();
}
