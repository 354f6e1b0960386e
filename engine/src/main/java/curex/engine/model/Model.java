// The model abstraction every layer above the kernels uses: training, evaluation, checkpoints and distillation.
package curex.engine.model;

import curex.engine.autograd.RowOps;
import curex.engine.autograd.Tape;
import curex.engine.nn.Module;
import curex.engine.nn.ParamRange;
import curex.engine.nn.Parameters;
import curex.engine.tensor.Tensor;

/**
 * A network over one flat {@link Parameters} buffer with {@link #depth()} hidden representations. Layers are
 * numbered from 1; the parameters of layers 1..j (and whatever feeds them, such as embeddings) form the prefix
 * {@link #layersRange(int) layersRange(j)} of the buffer, so that "train layers 1..j" is one range. What a hidden
 * representation is depends on the family: an MLP's post-activation, a transformer's residual stream per token.
 */
public interface Model extends Module, AutoCloseable {

    ModelConfig config();

    Parameters parameters();

    /** Number of hidden representations, layers 1..depth (the config's). */
    default int depth() {
        return config().depth();
    }

    /** Features per row of hidden representation {@code layer} (1..depth), the config's. */
    default int width(int layer) {
        return config().width(layer);
    }

    /** Logits at the readout rows: (rows, classes). */
    @Override
    Tensor forward(Tape tape, Tensor input);

    /**
     * Logits at some of the readout rows only: {@code rows} (n) I32 indices into {@link #forward}'s rows, ascending;
     * (n, classes), the same values as gathering them from {@code forward(input)}. A family whose last layers work
     * row by row computes them on those rows alone (a masked-LM transformer reads its masked positions only).
     */
    default Tensor forward(Tape tape, Tensor input, Tensor rows) {
        Tensor logits = forward(tape, input);
        return rows == null ? logits : RowOps.gatherRows(tape, logits, rows);
    }

    /** Hidden representation {@code layer} (rows, width(layer)), running only the layers up to it. */
    Tensor hidden(Tape tape, Tensor input, int layer);

    /** The flat-buffer range holding layers 1..j (j = 0: what precedes layer 1; j = depth + 1: everything). */
    ParamRange layersRange(int j);

    /** Frees the parameters. */
    @Override
    void close();
}
