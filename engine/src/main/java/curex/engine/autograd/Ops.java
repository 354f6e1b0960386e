// Elementwise ops with their backward rules: add, mul, scale, relu, gelu, sum.
package curex.engine.autograd;

import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.kernels.Span;

import java.util.Arrays;

/**
 * Differentiable elementwise ops on contiguous tensors of equal shape. Each runs its forward kernel into a new
 * tensor from the tape and, when an input requires grad, records the backward; inputs that need no gradient are
 * skipped.
 */
public final class Ops {
    private Ops() {
    }

    /** {@code a + b}. */
    public static Tensor add(Tape tape, Tensor a, Tensor b) {
        sameShape("add", a, b);
        boolean g = tape.needsGrad(a, b);
        Tensor out = tape.output(g, a.shape());
        tape.backend().add(a.span(), b.span(), out.span());
        if (g) tape.record(out, () -> {
            Span d = out.grad();
            if (a.requiresGrad()) addScaled(tape.backend(), 1f, d, a);
            if (b.requiresGrad()) addScaled(tape.backend(), 1f, d, b);
        });
        return out;
    }

    /** {@code a * b} elementwise. */
    public static Tensor mul(Tape tape, Tensor a, Tensor b) {
        sameShape("mul", a, b);
        boolean g = tape.needsGrad(a, b);
        Tensor out = tape.output(g, a.shape());
        tape.backend().mul(a.span(), b.span(), out.span());
        if (g) tape.record(out, () -> tape.backend().mulBackward(a.span(), b.span(), out.grad(),
                a.requiresGrad() ? a.accumulateGrad() : null, b.requiresGrad() ? b.accumulateGrad() : null));
        return out;
    }

    /** {@code alpha * x}. */
    public static Tensor scale(Tape tape, Tensor x, float alpha) {
        boolean g = tape.needsGrad(x);
        Tensor out = tape.output(g, x.shape());
        tape.backend().scale(alpha, x.span(), out.span());
        if (g) tape.record(out, () -> addScaled(tape.backend(), alpha, out.grad(), x));
        return out;
    }

    /** {@code max(x, 0)}. */
    public static Tensor relu(Tape tape, Tensor x) {
        boolean g = tape.needsGrad(x);
        Tensor out = tape.output(g, x.shape());
        tape.backend().relu(x.span(), out.span());
        if (g) tape.record(out, () -> tape.backend().reluBackward(x.span(), out.grad(), x.accumulateGrad()));
        return out;
    }

    /** GELU (tanh form). */
    public static Tensor gelu(Tape tape, Tensor x) {
        boolean g = tape.needsGrad(x);
        Tensor out = tape.output(g, x.shape());
        tape.backend().gelu(x.span(), out.span());
        if (g) tape.record(out, () -> tape.backend().geluBackward(x.span(), out.grad(), x.accumulateGrad()));
        return out;
    }

    /** The activation {@code act} of x ({@link Activation#NONE} returns x itself). */
    public static Tensor activation(Tape tape, Tensor x, Activation act) {
        return switch (act) {
            case NONE -> x;
            case RELU -> relu(tape, x);
            case GELU -> gelu(tape, x);
        };
    }

    /** Sum of all elements, a scalar. */
    public static Tensor sum(Tape tape, Tensor x) {
        boolean g = tape.needsGrad(x);
        Tensor out = tape.output(g);
        tape.backend().sum(x.span(), out.span());
        if (g) tape.record(out, () -> tape.backend().sumBackward(out.grad(), x.accumulateGrad()));
        return out;
    }

    /** {@code x.grad (+)= alpha * d}: the first contribution of a pass overwrites, later ones accumulate. */
    static void addScaled(Backend be, float alpha, Span d, Tensor x) {
        float beta = x.overwriteGradBeta();
        Span dx = x.grad();
        if (beta != 0f) be.axpy(alpha, d, dx);
        else if (alpha == 1f) be.copy(d, dx);
        else be.scale(alpha, d, dx);
    }

    static void sameShape(String op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape()))
            throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()) + " differ");
    }
}
