// Elementwise ops with their backward rules: add, mul, scale, relu, gelu, sum, and contiguous copies of views.
package curex.engine.autograd;

import curex.engine.tensor.Shapes;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.kernels.Span;

import java.util.Arrays;

/**
 * Differentiable elementwise ops on contiguous tensors of equal shape. Each runs its forward kernel into a new
 * tensor from the tape and, when an input requires grad, records the backward; inputs that need no gradient are
 * skipped. Backward kernels write with the beta the input's gradient asks for ({@link Tensor#overwriteGradBeta()}):
 * its first contribution of a pass overwrites, later ones accumulate, and no gradient is zero-filled first.
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
            if (a.requiresGrad()) scaledInto(tape.backend(), 1f, out.grad(), a);
            if (b.requiresGrad()) scaledInto(tape.backend(), 1f, out.grad(), b);
        });
        return out;
    }

    /** {@code a * b} elementwise. */
    public static Tensor mul(Tape tape, Tensor a, Tensor b) {
        sameShape("mul", a, b);
        boolean g = tape.needsGrad(a, b);
        Tensor out = tape.output(g, a.shape());
        Backend be = tape.backend();
        be.mul(a.span(), b.span(), out.span());
        if (g) tape.record(out, () -> {
            if (a.requiresGrad()) be.mulBackward(a.span(), b.span(), out.grad(), a.overwriteGradBeta(), a.grad(), null);
            if (b.requiresGrad()) be.mulBackward(a.span(), b.span(), out.grad(), b.overwriteGradBeta(), null, b.grad());
        });
        return out;
    }

    /** {@code alpha * x}. */
    public static Tensor scale(Tape tape, Tensor x, float alpha) {
        boolean g = tape.needsGrad(x);
        Tensor out = tape.output(g, x.shape());
        tape.backend().scale(alpha, x.span(), out.span());
        if (g) tape.record(out, () -> scaledInto(tape.backend(), alpha, out.grad(), x));
        return out;
    }

    /** {@code max(x, 0)}. */
    public static Tensor relu(Tape tape, Tensor x) {
        boolean g = tape.needsGrad(x);
        Tensor out = tape.output(g, x.shape());
        Backend be = tape.backend();
        be.relu(x.span(), out.span());
        if (g) tape.record(out, () -> be.reluBackward(x.span(), out.grad(), x.overwriteGradBeta(), x.grad()));
        return out;
    }

    /** GELU (tanh form). */
    public static Tensor gelu(Tape tape, Tensor x) {
        boolean g = tape.needsGrad(x);
        Tensor out = tape.output(g, x.shape());
        Backend be = tape.backend();
        be.gelu(x.span(), out.span());
        if (g) tape.record(out, () -> be.geluBackward(x.span(), out.grad(), x.overwriteGradBeta(), x.grad()));
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
        Backend be = tape.backend();
        be.sum(x.span(), out.span());
        if (g) tape.record(out, () -> be.sumBackward(out.grad(), x.overwriteGradBeta(), x.grad()));
        return out;
    }

    /**
     * x in row-major order: x itself when it already is, else a copy (a permuted view such as (B, H, T, d) of a
     * (B, T, H, d) tensor), made by the backend's strided copy; its backward scatters the gradient back through the
     * view's strides.
     */
    public static Tensor contiguous(Tape tape, Tensor x) {
        if (x.isContiguous()) return x;
        boolean g = tape.needsGrad(x);
        int[] shape = x.shape();
        long[] dense = Shapes.contiguousStrides(shape);
        Tensor out = tape.output(g, shape);
        Backend be = tape.backend();
        be.stridedCopy(shape, x.extent(), x.strides(), out.span(), dense, 0f);
        if (g) tape.record(out, () -> {
            float beta = x.overwriteGradBeta();
            be.stridedCopy(shape, out.grad(), dense, x.gradExtent(), x.strides(), beta);
        });
        return out;
    }

    /** {@code x.grad = beta * x.grad + alpha * d}, beta as the gradient asks (its first contribution overwrites). */
    static void scaledInto(Backend be, float alpha, Span d, Tensor x) {
        be.scaleBackward(alpha, d, x.overwriteGradBeta(), x.grad());
    }

    static void sameShape(String op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape()))
            throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()) + " differ");
    }
}
