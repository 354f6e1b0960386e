// Held-out accuracy (argmax of logits vs labels) and cross-entropy of a model on a task, in no-grad chunks.
package curex.engine.train;

import curex.engine.autograd.Arena;
import curex.engine.autograd.Tape;
import curex.engine.data.Batch;
import curex.engine.data.Task;
import curex.engine.loss.Losses;
import curex.engine.model.Model;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;

/**
 * Evaluates a model on a fixed set of the task in chunks of {@code chunk} samples, so memory stays bounded for wide
 * models: accuracy and mean cross-entropy over the labelled positions (those not labelled with the task's ignore
 * index). The set is copied to the backend once. Uses its own arena and its own context, so evaluation FLOPs are not
 * charged to training.
 */
public final class HeldOutAccuracy implements Evaluator, AutoCloseable {
    /** Samples per evaluation chunk where the caller has no reason to choose another. */
    public static final int DEFAULT_CHUNK = 1024;

    private final ExecContext ctx;
    private final Model model;
    private final Task task;
    private final Tensor x;       // (N, sample...)
    private final Tensor y;       // (N * labelsPerSample)
    private final int[] labels;
    private final int labelsPerSample;
    private final int chunk;
    private final Arena arena;

    public HeldOutAccuracy(ExecContext ctx, Model model, Task task, Batch held, int chunk) {
        this.ctx = ctx;
        this.model = model;
        this.task = task;
        this.labels = java.util.Arrays.copyOf(held.labels(), held.labelCount());
        this.labelsPerSample = held.labelsPerSample();
        this.chunk = Math.max(1, chunk);
        Backend be = ctx.backend();
        this.x = TaskObjective.inputTensor(be, held);
        this.y = Tensor.fromHost(be, labels, labels.length);
        this.arena = new Arena(be);
    }

    /** Accuracy on a held-out set, in a context of its own over {@code backend}, in chunks of {@link #DEFAULT_CHUNK}. */
    public static HeldOutAccuracy onHeldOut(Backend backend, Model model, Task task, Batch held) {
        return new HeldOutAccuracy(new ExecContext(backend), model, task, held, DEFAULT_CHUNK);
    }

    @Override
    public EvalResult evaluate() {
        int n = x.dim(0), per = labelsPerSample, ignore = task.ignoreIndex();
        long correct = 0, counted = 0;
        double lossSum = 0;
        int[] pred = new int[Math.min(chunk, n) * per];
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk), rows = (to - from) * per;
            int counts = 0;
            for (int r = 0; r < rows; r++) if (labels[from * per + r] != ignore) counts++;
            try (Tape tape = Tape.noGrad(ctx, arena)) {
                Tensor logits = model.forward(tape, x.slice0(from, to));
                Tensor loss = Losses.crossEntropy(tape, logits, y.slice0(from * per, to * per), ignore);
                Tensor arg = tape.outputInts(rows);
                ctx.backend().argmaxRows(logits.span(), rows, logits.cols(), arg.span());
                ctx.backend().copyToHost(arg.span(), pred, 0);
                lossSum += (double) loss.item() * counts;
            }
            for (int r = 0; r < rows; r++) {
                int label = labels[from * per + r];
                if (label != ignore && pred[r] == label) correct++;
            }
            counted += counts;
        }
        return new EvalResult(counted == 0 ? Double.NaN : (double) correct / counted,
                counted == 0 ? Double.NaN : lossSum / counted);
    }

    @Override
    public void close() {
        x.close();
        y.close();
        arena.close();
    }
}
