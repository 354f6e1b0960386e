// Held-out accuracy (argmax of logits vs labels) and cross-entropy of a model on a task, in no-grad chunks.
package curex.engine.train;

import curex.engine.autograd.Arena;
import curex.engine.autograd.Tape;
import curex.engine.data.Batch;
import curex.engine.data.Task;
import curex.engine.loss.Losses;
import curex.engine.model.Model;
import curex.engine.model.ModelConfig;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Evaluates a model on a fixed set of the task in chunks of {@code chunk} samples, so memory stays bounded for wide
 * models: accuracy and mean cross-entropy over the labelled positions (those not labelled with the task's ignore
 * index). The set is copied to the backend once. Uses its own arena and its own context, so evaluation FLOPs are not
 * charged to training.
 */
public final class HeldOutAccuracy implements Evaluator, AutoCloseable {
    /** Samples per evaluation chunk where the caller has no reason to choose another, unless they are long. */
    public static final int DEFAULT_CHUNK = 1024;
    /**
     * Activation floats (by {@link ModelConfig#activationFloatsPerRow}) an evaluation chunk may take: 512 MB. Long
     * sequences get fewer samples per chunk: the published PCFG roots (about 400 tokens) need about 45 MB a sample
     * with the default transformer, 46 GB for 1,024 of them.
     */
    static final long CHUNK_FLOATS = 1L << 27;

    private final ExecContext ctx;
    private final Model model;
    private final Task task;
    private final Tensor x;       // (N, sample...)
    private final List<Chunk> chunks;
    private final Arena arena;

    /**
     * Samples [from, to) and the labels their logits are scored against: every label, or for masked LM only the
     * labelled positions' ({@code rows}, indices into the chunk's (samples * T) positions; the model computes those
     * rows alone).
     */
    private record Chunk(int from, int to, Tensor rows, Tensor labels, int[] hostLabels, int counted) {
    }

    public HeldOutAccuracy(ExecContext ctx, Model model, Task task, Batch held, int chunk) {
        this.ctx = ctx;
        this.model = model;
        this.task = task;
        Backend be = ctx.backend();
        this.x = TaskObjective.inputTensor(be, held);
        this.chunks = chunks(be, task, held, Math.max(1, chunk));
        this.arena = new Arena(be);
    }

    private static List<Chunk> chunks(Backend be, Task task, Batch held, int chunk) {
        int n = held.size(), per = held.labelsPerSample(), ignore = task.ignoreIndex();
        boolean pick = task.readout() == Task.Readout.TOKENS;
        List<Chunk> out = new ArrayList<>();
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            int[] labels = Arrays.copyOfRange(held.labels(), from * per, to * per);
            int[] rows = IntStream.range(0, labels.length).filter(r -> labels[r] != ignore).toArray();
            if (!pick) {
                out.add(new Chunk(from, to, null, Tensor.fromHost(be, labels, labels.length), labels, rows.length));
            } else if (rows.length > 0) {
                int[] kept = Arrays.stream(rows).map(r -> labels[r]).toArray();
                out.add(new Chunk(from, to, Tensor.fromHost(be, rows, rows.length),
                        Tensor.fromHost(be, kept, kept.length), kept, kept.length));
            }
        }
        return out;
    }

    /** Accuracy on a held-out set, in a context of its own over {@code backend}, in chunks of {@link #chunkFor}. */
    public static HeldOutAccuracy onHeldOut(Backend backend, Model model, Task task, Batch held) {
        return new HeldOutAccuracy(new ExecContext(backend), model, task, held, chunkFor(model.config()));
    }

    /**
     * Samples per evaluation chunk of {@code model}: {@link #DEFAULT_CHUNK}, or fewer (at least one) where their
     * activations would take more than {@link #CHUNK_FLOATS}.
     */
    public static int chunkFor(ModelConfig model) {
        long perSample = Math.max(1, model.activationFloatsPerRow());
        return (int) Math.max(1, Math.min(DEFAULT_CHUNK, CHUNK_FLOATS / perSample));
    }

    @Override
    public EvalResult evaluate() {
        int ignore = task.ignoreIndex();
        long correct = 0, counted = 0;
        double lossSum = 0;
        int[] pred = new int[chunks.stream().mapToInt(c -> c.hostLabels.length).max().orElse(0)];
        for (Chunk c : chunks) {
            int rows = c.hostLabels.length;
            try (Tape tape = Tape.noGrad(ctx, arena)) {
                Tensor logits = model.forward(tape, x.slice0(c.from, c.to), c.rows);   // (rows, classes)
                Tensor loss = Losses.crossEntropy(tape, logits, c.labels, ignore);
                Tensor arg = tape.outputInts(rows);
                ctx.backend().argmaxRows(logits.span(), rows, logits.cols(), arg.span());
                ctx.backend().copyToHost(arg.span(), pred, 0);
                lossSum += (double) loss.item() * c.counted;
            }
            for (int r = 0; r < rows; r++) {
                int label = c.hostLabels[r];
                if (label != ignore && pred[r] == label) correct++;
            }
            counted += c.counted;
        }
        return new EvalResult(counted == 0 ? Double.NaN : (double) correct / counted,
                counted == 0 ? Double.NaN : lossSum / counted);
    }

    @Override
    public void close() {
        x.close();
        for (Chunk c : chunks) {
            c.labels.close();
            if (c.rows != null) c.rows.close();
        }
        arena.close();
    }
}
