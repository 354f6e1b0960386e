// Held-out accuracy (argmax of logits vs labels) and cross-entropy of a classifier, in no-grad chunks.
package curex.engine.train;

import curex.engine.autograd.Arena;
import curex.engine.data.LabeledBatch;
import curex.engine.autograd.Tape;
import curex.engine.loss.Losses;
import curex.engine.nn.Module;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;

/**
 * Evaluates a classifier on a fixed set (x (N, features), labels (N) as floats) in chunks of {@code chunk} rows,
 * so memory stays bounded for wide models. The set is copied to the backend once. Uses its own arena and its own
 * context, so evaluation FLOPs are not charged to training.
 */
public final class ClassifierAccuracy implements Evaluator, AutoCloseable {
    /** Rows per evaluation chunk where the caller has no reason to choose another. */
    public static final int DEFAULT_CHUNK = 1024;

    private final ExecContext ctx;
    private final Module model;
    private final Tensor x;       // (N, features)
    private final Tensor y;       // (N)
    private final float[] labels;
    private final int chunk;
    private final Arena arena;

    public ClassifierAccuracy(ExecContext ctx, Module model, float[] x, float[] labels, int features, int chunk) {
        if (labels.length == 0 || x.length != labels.length * features)
            throw new IllegalArgumentException("held-out set: " + x.length + " floats for " + labels.length
                    + " samples of " + features + " features");
        this.ctx = ctx;
        this.model = model;
        this.labels = labels.clone();
        this.chunk = Math.max(1, chunk);
        Backend be = ctx.backend();
        this.x = Tensor.fromHost(be, x, labels.length, features);
        this.y = Tensor.fromHost(be, labels, labels.length);
        this.arena = new Arena(be);
    }

    /** Accuracy on a held-out set, in a context of its own over {@code backend}, in chunks of {@link #DEFAULT_CHUNK}. */
    public static ClassifierAccuracy onHeldOut(Backend backend, Module model, LabeledBatch held) {
        return new ClassifierAccuracy(new ExecContext(backend), model, held.x(), held.y(), held.features(),
                DEFAULT_CHUNK);
    }

    @Override
    public EvalResult evaluate() {
        int n = labels.length;
        long correct = 0;
        double lossSum = 0;
        float[] pred = new float[Math.min(chunk, n)];
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk), rows = to - from;
            try (Tape tape = Tape.noGrad(ctx, arena)) {
                Tensor logits = model.forward(tape, x.slice0(from, to));
                Tensor loss = Losses.crossEntropy(tape, logits, y.slice0(from, to), Losses.NO_IGNORE);
                Tensor arg = tape.output(false, rows);
                ctx.backend().argmaxRows(logits.span(), rows, logits.cols(), arg.span());
                ctx.backend().copyToHost(arg.span(), pred, 0);
                lossSum += (double) loss.item() * rows;
            }
            for (int r = 0; r < rows; r++) if (pred[r] == labels[from + r]) correct++;
        }
        return new EvalResult((double) correct / n, lossSum / n);
    }

    @Override
    public void close() {
        x.close();
        y.close();
        arena.close();
    }
}
