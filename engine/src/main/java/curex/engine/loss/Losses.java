// Differentiable losses to a scalar: cross-entropy, mean squared error, temperature KL for distillation.
package curex.engine.loss;

import curex.engine.autograd.Tape;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;

import java.util.Arrays;

/**
 * Losses over (rows, cols) matrices (any leading shape is flattened into rows). Each returns a scalar tensor and
 * records its backward. Targets (class indices, teacher logits, regression targets without grad) get no gradient.
 */
public final class Losses {
    /** Ignore-index that matches no class: every row counts. */
    public static final int NO_IGNORE = -1;

    private Losses() {
    }

    /**
     * Mean over rows of {@code -log softmax(logits)[target]}, skipping rows whose target is {@code ignoreIndex};
     * logits (..., C), targets (...) an int tensor of class indices.
     */
    public static Tensor crossEntropy(Tape tape, Tensor logits, Tensor targets, int ignoreIndex) {
        int rows = logits.rows(), cols = logits.cols();
        if (targets.numel() != rows)
            throw new IllegalArgumentException("crossEntropy: " + targets.numel() + " targets for logits of shape "
                    + Arrays.toString(logits.shape()));
        Backend be = tape.backend();
        boolean g = tape.needsGrad(logits);
        Tensor loss = tape.output(g);
        be.crossEntropy(logits.span(), rows, cols, targets.span(), ignoreIndex, loss.span());
        if (g) tape.record(loss, () -> be.crossEntropyBackward(logits.span(), rows, cols, targets.span(),
                ignoreIndex, loss.grad(), logits.overwriteGradBeta(), logits.grad()));
        return loss;
    }

    /** Mean over all elements of {@code (a - b)^2}; a and b of equal shape, either may require grad. */
    public static Tensor mse(Tape tape, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape()))
            throw new IllegalArgumentException("mse: shapes " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()) + " differ");
        Backend be = tape.backend();
        boolean g = tape.needsGrad(a, b);
        Tensor loss = tape.output(g);
        be.mse(a.span(), b.span(), loss.span());
        if (g) tape.record(loss, () -> {
            if (a.requiresGrad()) be.mseBackward(a.span(), b.span(), loss.grad(), a.overwriteGradBeta(), a.grad(), null);
            if (b.requiresGrad()) be.mseBackward(a.span(), b.span(), loss.grad(), b.overwriteGradBeta(), null, b.grad());
        });
        return loss;
    }

    /**
     * Distillation loss {@code T^2 * mean_rows KL(softmax(teacher / T) || softmax(student / T))}. The teacher's
     * logits are a constant target (no gradient flows to them).
     */
    public static Tensor klDiv(Tape tape, Tensor student, Tensor teacher, float temperature) {
        if (!Arrays.equals(student.shape(), teacher.shape()))
            throw new IllegalArgumentException("klDiv: student " + Arrays.toString(student.shape())
                    + " and teacher " + Arrays.toString(teacher.shape()) + " logits differ in shape");
        int rows = student.rows(), cols = student.cols();
        Backend be = tape.backend();
        boolean g = tape.needsGrad(student);
        Tensor loss = tape.output(g);
        be.klDiv(student.span(), teacher.span(), rows, cols, temperature, loss.span());
        if (g) tape.record(loss, () -> be.klDivBackward(student.span(), teacher.span(), rows, cols, temperature,
                loss.grad(), student.overwriteGradBeta(), student.grad()));
        return loss;
    }

    /** {@code mean_rows (1 - cos(a[r], b[r]))}; see {@link CosineLoss}. */
    public static Tensor cosine(Tape tape, Tensor a, Tensor b) {
        return CosineLoss.apply(tape, a, b, CosineLoss.DEFAULT_EPS);
    }
}
