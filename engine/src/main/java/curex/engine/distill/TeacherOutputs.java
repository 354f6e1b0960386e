// The teacher's KD targets on a step's batch, kept so that other runs distilling the same teacher on it reuse them.
package curex.engine.distill;

import curex.engine.autograd.Tape;
import curex.engine.tensor.Tensor;
import curex.kernels.DType;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The runs of one seed in a comparison see the same batch at the same step, and one-shot KD, progressive KD's final
 * phase and extraction's KD phase all ask the final teacher for its logits on it. The first run to ask computes them
 * and records them here (up to {@code maxBytes}); a later run with the same teacher (file and weights), step, inputs
 * and readout rows gets a copy instead. The copy is bit for bit what it would have computed (the teacher's forward is
 * deterministic), and its teacher FLOPs are counted as if it had run the forward, so a run's results and counts do
 * not depend on what ran before it; only its wall time does. Thread-safe: lanes of a comparison share one.
 */
public final class TeacherOutputs {
    private final long maxBytes;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong reused = new AtomicLong();

    private record Key(String teacher, long step) {
    }

    private record Entry(int[] inputs, int[] readout, int[] shape, float[] values, long flops) {
        long bytes() {
            return 4L * (inputs.length + (readout == null ? 0 : readout.length) + values.length) + 64;
        }
    }

    /** Keeps at most {@code maxBytes} of targets (and the inputs they are checked against). */
    public TeacherOutputs(long maxBytes) {
        if (maxBytes < 0) throw new IllegalArgumentException("memo size must be >= 0, got " + maxBytes);
        this.maxBytes = maxBytes;
    }

    /** One of {@code shares} memos that may be alive at once, together at most an eighth of the heap and 1 GiB. */
    public static TeacherOutputs sized(int shares) {
        if (shares < 1) throw new IllegalArgumentException("shares must be >= 1, got " + shares);
        return new TeacherOutputs(Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 8) / shares);
    }

    /**
     * The teacher's targets at {@code step} for inputs {@code x} and readout rows {@code readout} (null: every row),
     * on the teacher's tape {@code t}: recorded ones when they match, else {@code compute}'s (then recorded).
     */
    Tensor targets(Tape t, TeacherModel teacher, long step, Tensor x, Tensor readout, Supplier<Tensor> compute) {
        Key key = new Key(teacher.identity(), step);
        int[] inputs = bits(x);
        int[] rows = readout == null ? null : readout.intsToHost();
        Entry e = entries.get(key);
        if (e != null && Arrays.equals(e.inputs, inputs) && Arrays.equals(e.readout, rows)) {
            Tensor out = t.output(false, e.shape);
            out.copyFromHost(e.values);
            teacher.flops().add(e.flops);
            reused.incrementAndGet();
            return out;
        }
        long before = teacher.flops().total();
        Tensor out = compute.get();
        if (e == null) {
            Entry made = new Entry(inputs, rows, out.shape(), out.toHost(), teacher.flops().total() - before);
            if (bytes.addAndGet(made.bytes()) <= maxBytes && entries.putIfAbsent(key, made) == null) return out;
            bytes.addAndGet(-made.bytes());
        }
        return out;
    }

    /** The inputs' elements as bits: token ids as they are, features as their float bits. */
    private static int[] bits(Tensor x) {
        if (x.dtype() == DType.I32) return x.intsToHost();
        float[] v = x.toHost();
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
        return b;
    }

    /** Targets served from the memo so far. */
    public long reused() {
        return reused.get();
    }

    /** Targets recorded. */
    public int size() {
        return entries.size();
    }
}
