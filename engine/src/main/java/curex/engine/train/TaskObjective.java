// Cross-entropy of a classifier on labelled batches: the `ce` baseline's objective.
package curex.engine.train;

import curex.engine.autograd.Tape;
import curex.engine.loss.Losses;
import curex.engine.nn.Module;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;

/**
 * Samples batch {@code step} from a {@link BatchSource} into reused host arrays and device tensors, runs the model
 * and returns the mean cross-entropy against the labels. The input needs no gradient, so the first layer's dX is
 * never computed.
 */
public final class ClassificationObjective implements Objective, AutoCloseable {
    private final Module model;
    private final BatchSource source;
    private final float[] hostX;
    private final float[] hostY;
    private final Tensor x;   // (B, features)
    private final Tensor y;   // (B)

    public ClassificationObjective(Backend backend, Module model, BatchSource source, int batchSize, int features) {
        this.model = model;
        this.source = source;
        this.hostX = new float[batchSize * features];
        this.hostY = new float[batchSize];
        this.x = Tensor.zeros(backend, batchSize, features);
        this.y = Tensor.zeros(backend, batchSize);
    }

    /** Loads batch {@code step} into {@link #input()} and {@link #labels()} (other objectives reuse this). */
    public void sample(long step) {
        source.fill(step, hostX, hostY);
        x.copyFromHost(hostX);
        y.copyFromHost(hostY);
    }

    @Override
    public Tensor loss(Tape tape, long step) {
        sample(step);
        return Losses.crossEntropy(tape, model.forward(tape, x), y, Losses.NO_IGNORE);
    }

    /** The device tensor holding the current batch's inputs (B, features). */
    public Tensor input() {
        return x;
    }

    /** The device tensor holding the current batch's labels (B). */
    public Tensor labels() {
        return y;
    }

    @Override
    public int batchSize() {
        return hostY.length;
    }

    @Override
    public void close() {
        x.close();
        y.close();
    }
}
