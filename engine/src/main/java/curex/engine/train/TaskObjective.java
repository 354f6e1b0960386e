// Cross-entropy of a model on a task's training batches: what `train`, the teachers and the `ce` baseline minimise.
package curex.engine.train;

import curex.engine.autograd.Tape;
import curex.engine.data.Batch;
import curex.engine.data.Task;
import curex.engine.loss.Losses;
import curex.engine.model.Model;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;

/**
 * Samples batch {@code step} of the task's stream {@code seed} into reused host arrays and device tensors, runs the
 * model and returns the mean cross-entropy against the labels (positions labelled with the task's ignore index do not
 * count). Distillation objectives reuse its batches through {@link #sample}, {@link #input()} and {@link #labels()}.
 * The input needs no gradient, so the first layer's dX is never computed.
 */
public final class TaskObjective implements Objective {
    private final Model model;
    private final Task task;
    private final long seed;
    private final Batch host;
    private final Tensor xAll;   // (B, longest sample...): features (F32) or token ids (I32)
    private final Tensor yAll;   // (B * longest labelsPerSample) class indices (I32)
    private Tensor x;            // (B, sample...): the current batch's view of xAll
    private Tensor y;            // (B * labelsPerSample): the current batch's view of yAll
    private final Positions labelled;   // masked LM: the rows of (B * T) that carry a label; else null
    private final Positions real;       // padded token tasks: the rows of (B * T) that are not padding; else null
    private boolean closed;

    public TaskObjective(Backend backend, Model model, Task task, int batchSize, long seed) {
        this.model = model;
        this.task = task;
        this.seed = seed;
        this.host = Batch.of(task, batchSize);
        this.xAll = task.input() == Task.Input.TOKENS ? Tensor.ints(backend, host.tokens().length)
                : Tensor.zeros(backend, host.features().length);
        this.yAll = Tensor.ints(backend, host.labels().length);
        this.x = xAll;
        this.y = yAll;
        int capacity = host.labels().length;
        this.labelled = task.readout() == Task.Readout.TOKENS ? new Positions(backend, capacity, true) : null;
        this.real = task.input() == Task.Input.TOKENS && task.padToken() >= 0
                ? new Positions(backend, host.tokens().length, false) : null;
    }

    /**
     * Row indices into a (B * T) matrix, chosen per batch: a host array and the device tensor of its first n, and
     * (when kept) the values found there.
     */
    private static final class Positions implements AutoCloseable {
        private final int[] host;
        private final int[] kept;     // null when the values are not kept
        private final Tensor all;     // (capacity) I32
        private final Tensor values;  // (capacity) I32: values[i] at the kept indices; null when not kept
        private Tensor current;       // (n): the current batch's rows; null until asked for
        private Tensor currentValues; // (n): the values at them

        Positions(Backend backend, int capacity, boolean keepValues) {
            this.host = new int[capacity];
            this.all = Tensor.ints(backend, capacity);
            this.kept = keepValues ? new int[capacity] : null;
            this.values = keepValues ? Tensor.ints(backend, capacity) : null;
        }

        /** Keeps the indices i < count where values[i] != skip, in order, and (when kept) the values there. */
        Tensor select(int[] values, int count, int skip) {
            int n = 0;
            for (int i = 0; i < count; i++) {
                if (values[i] == skip) continue;
                if (kept != null) kept[n] = values[i];
                host[n++] = i;
            }
            current = all.slice0(0, n);
            all.backend().copyFromHost(host, 0, current.span());
            if (kept != null) {
                currentValues = this.values.slice0(0, n);
                all.backend().copyFromHost(kept, 0, currentValues.span());
            }
            return current;
        }

        @Override
        public void close() {
            all.close();
            if (values != null) values.close();
        }
    }

    /** A device tensor shaped for {@code batch}'s inputs (F32 features or I32 tokens), holding them. */
    public static Tensor inputTensor(Backend backend, Batch batch) {
        Tensor t = batch.tokens() != null ? Tensor.ints(backend, batch.inputShape())
                : Tensor.zeros(backend, batch.inputShape());
        copyInputs(batch, t);
        return t;
    }

    /** Copies {@code batch}'s current inputs into {@code into}, a contiguous tensor of exactly that many elements. */
    static void copyInputs(Batch batch, Tensor into) {
        if (batch.tokens() != null) into.backend().copyFromHost(batch.tokens(), 0, into.span());
        else into.backend().copyFromHost(batch.features(), 0, into.span());
    }

    /** Loads batch {@code step} into {@link #input()} and {@link #labels()}. */
    public void sample(long step) {
        task.fill(seed, step, host);
        x = xAll.slice0(0, host.inputCount()).reshape(host.inputShape());
        y = yAll.slice0(0, host.labelCount());
        copyInputs(host, x);
        y.backend().copyFromHost(host.labels(), 0, y.span());
        if (labelled != null) labelled.current = null;     // chosen when asked: plain training never asks
        if (real != null) real.current = null;
    }

    /**
     * Masked LM: the rows of the current batch's (B * T) outputs that carry a label (where KD reads the teacher), an
     * I32 tensor; null for tasks with one label per sample.
     */
    public Tensor labelledRows() {
        if (labelled == null) return null;
        return labelled.current != null ? labelled.current
                : labelled.select(host.labels(), host.labelCount(), task.ignoreIndex());
    }

    /**
     * Padded token tasks: the rows of the current batch's (B * T) positions that are real tokens (what a projection
     * stage compares), an I32 tensor; null when nothing is ever padded.
     */
    public Tensor realRows() {
        if (real == null) return null;
        return real.current != null ? real.current : real.select(host.tokens(), host.inputCount(), task.padToken());
    }

    /**
     * Masked LM: the model's logits at the labelled rows only (n, vocab), the rows the loss reads; else its logits
     * at every readout row. A batch without a labelled row gives every row's (the loss then counts none).
     */
    public Tensor readoutLogits(Tape tape) {
        return model.forward(tape, x, someLabelled() ? labelledRows() : null);
    }

    /** The labels that go with {@link #readoutLogits}, (rows) I32. */
    public Tensor readoutLabels() {
        return someLabelled() ? labelled.currentValues : y;
    }

    private boolean someLabelled() {
        Tensor rows = labelledRows();
        return rows != null && rows.dim(0) > 0;
    }

    @Override
    public Tensor loss(Tape tape, long step) {
        sample(step);
        return Losses.crossEntropy(tape, readoutLogits(tape), readoutLabels(), task.ignoreIndex());
    }

    /** The device tensor holding the current batch's inputs (B, sample...). */
    public Tensor input() {
        return x;
    }

    /** The device tensor holding the current batch's labels (B * labelsPerSample). */
    public Tensor labels() {
        return y;
    }

    public Task task() {
        return task;
    }

    public Model model() {
        return model;
    }

    @Override
    public int batchSize() {
        return host.size();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        xAll.close();
        yAll.close();
        if (labelled != null) labelled.close();
        if (real != null) real.close();
    }
}
