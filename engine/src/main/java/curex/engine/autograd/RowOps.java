// Row-wise ops with their backward rules: masked softmax, layer norm, embedding lookup, broadcast bias.
package curex.engine.autograd;

import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.kernels.Span;

import java.util.Arrays;

/**
 * Ops over the rows of a tensor read as (rows, last dimension), the transformer's building blocks besides products.
 * Like {@link Ops}, each runs its forward kernel into a tape output and records its backward when an input needs a
 * gradient; backward kernels write with the beta each gradient asks for.
 */
public final class RowOps {
    private RowOps() {
    }

    /**
     * Softmax over the last dimension of {@code x + mask}: mask (M, cols) additive (0 or -inf) or null, mask row m
     * serving rows {@code m * maskRepeat .. (m + 1) * maskRepeat - 1} of x (a key-padding mask (B, T) over scores
     * (B, H, T, T) has maskRepeat H * T). The mask needs no gradient.
     */
    public static Tensor softmax(Tape tape, Tensor x, Tensor mask, int maskRepeat) {
        int rows = x.rows(), cols = x.cols();
        if (mask != null && (mask.cols() != cols || (long) mask.rows() * maskRepeat != rows))
            throw new IllegalArgumentException("softmax: mask " + Arrays.toString(mask.shape()) + " repeated "
                    + maskRepeat + " times does not cover " + Arrays.toString(x.shape()));
        boolean g = tape.needsGrad(x);
        Tensor y = tape.output(g, x.shape());
        Backend be = tape.backend();
        be.softmax(x.span(), rows, cols, mask == null ? null : mask.span(), Math.max(1, maskRepeat), y.span());
        if (g) tape.record(y, () -> be.softmaxBackward(y.span(), y.grad(), rows, cols, x.overwriteGradBeta(), x.grad()));
        return y;
    }

    /** Layer norm over the last dimension with gain {@code gamma} and shift {@code beta} (both (cols)). */
    public static Tensor layerNorm(Tape tape, Tensor x, Tensor gamma, Tensor beta, float eps) {
        int rows = x.rows(), cols = x.cols();
        if (gamma.numel() != cols || beta.numel() != cols)
            throw new IllegalArgumentException("layerNorm: input " + Arrays.toString(x.shape()) + ", gamma "
                    + Arrays.toString(gamma.shape()) + ", beta " + Arrays.toString(beta.shape()) + " do not fit");
        boolean g = tape.needsGrad(x, gamma, beta);
        Tensor y = tape.output(g, x.shape());
        Span mean = tape.scratch(rows), rstd = tape.scratch(rows);
        Backend be = tape.backend();
        be.layerNorm(x.span(), rows, cols, gamma.span(), beta.span(), eps, y.span(), mean, rstd);
        if (g) tape.record(y, () -> {
            // One kernel call per distinct beta: the input's gradient may accumulate while the gain's is overwritten.
            // When the input's accumulates, the (cols) gain and shift gradients are zeroed instead, so that one
            // pass over the (rows, cols) input adds all three.
            float bx = x.requiresGrad() ? x.overwriteGradBeta() : Float.NaN;
            float bg = gamma.requiresGrad() ? gamma.overwriteGradBeta() : Float.NaN;
            float bb = beta.requiresGrad() ? beta.overwriteGradBeta() : Float.NaN;
            Span dX = x.requiresGrad() ? x.grad() : null, dG = gamma.requiresGrad() ? gamma.grad() : null;
            Span dB = beta.requiresGrad() ? beta.grad() : null;
            if (dX != null && bx == 1) {
                if (dG != null && bg == 0) be.fill(dG, 0f);
                if (dB != null && bb == 0) be.fill(dB, 0f);
                be.layerNormBackward(x.span(), rows, cols, gamma.span(), mean, rstd, y.grad(), 1f, dX, dG, dB);
                return;
            }
            if (dX != null && (dG == null || bx == bg) && (dB == null || bx == bb)) {
                be.layerNormBackward(x.span(), rows, cols, gamma.span(), mean, rstd, y.grad(), bx, dX, dG, dB);
                return;
            }
            if (dX != null) be.layerNormBackward(x.span(), rows, cols, gamma.span(), mean, rstd, y.grad(), bx, dX, null, null);
            if (dG != null && (dB == null || bg == bb)) {
                be.layerNormBackward(x.span(), rows, cols, gamma.span(), mean, rstd, y.grad(), bg, null, dG, dB);
                return;
            }
            if (dG != null) be.layerNormBackward(x.span(), rows, cols, gamma.span(), mean, rstd, y.grad(), bg, null, dG, null);
            if (dB != null) be.layerNormBackward(x.span(), rows, cols, gamma.span(), mean, rstd, y.grad(), bb, null, null, dB);
        });
        return y;
    }

    /** Rows of {@code table} (vocab, dim) picked by the int tensor {@code ids} (...): (..., dim). */
    public static Tensor embedding(Tape tape, Tensor ids, Tensor table) {
        if (table.rank() != 2)
            throw new IllegalArgumentException("embedding: table must be (vocab, dim), got " + Arrays.toString(table.shape()));
        int vocab = table.dim(0), dim = table.dim(1);
        int[] shape = Arrays.copyOf(ids.shape(), ids.rank() + 1);
        shape[ids.rank()] = dim;
        boolean g = tape.needsGrad(table);
        Tensor out = tape.output(g, shape);
        Backend be = tape.backend();
        be.embedding(ids.span(), table.span(), vocab, dim, out.span());
        if (g) tape.record(out, () ->
                be.embeddingBackward(ids.span(), out.grad(), vocab, dim, table.overwriteGradBeta(), table.grad()));
        return out;
    }

    /** The rows {@code rows} (n) I32 of x (m, d): (n, d); their gradients scatter back into x's rows. */
    public static Tensor gatherRows(Tape tape, Tensor x, Tensor rows) {
        return embedding(tape, rows, x);
    }

    /**
     * {@code x + bias} with bias broadcast over x's leading dimensions: x (..., S) where S is bias's whole shape (a
     * bias (C) over (B, T, C), or positions (T, C) over (B, T, C)).
     */
    public static Tensor addBroadcast(Tape tape, Tensor x, Tensor bias) {
        int[] xs = x.shape(), bs = bias.shape();
        int lead = xs.length - bs.length;
        if (lead < 0 || !Arrays.equals(Arrays.copyOfRange(xs, lead, xs.length), bs))
            throw new IllegalArgumentException("addBroadcast: " + Arrays.toString(bs) + " is not the trailing shape of "
                    + Arrays.toString(xs));
        int cols = Math.toIntExact(bias.numel()), rows = Math.toIntExact(x.numel() / Math.max(1, cols));
        boolean g = tape.needsGrad(x, bias);
        Tensor out = tape.output(g, xs);
        Backend be = tape.backend();
        be.biasAdd(x.span(), rows, cols, bias.span(), out.span());
        if (g) tape.record(out, () -> {
            if (x.requiresGrad()) Ops.scaledInto(be, 1f, out.grad(), x);
            if (bias.requiresGrad()) be.biasGrad(out.grad(), rows, cols, bias.overwriteGradBeta(), bias.grad());
        });
        return out;
    }
}
