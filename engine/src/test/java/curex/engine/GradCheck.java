// Test helper: compares tape gradients with central finite differences in float32.
package curex.engine;

import curex.engine.autograd.Ops;
import curex.engine.autograd.Tape;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.kernels.Span;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * For a scalar function of some tensors, checks d(loss)/d(element) from {@link Tape#backward} against
 * {@code (f(x + h) - f(x - h)) / 2h} for every element of every checked tensor.
 */
public final class GradCheck {
    private GradCheck() {
    }

    /** A scalar loss built on the tape from tensors the caller holds. */
    public interface LossFn extends Function<Tape, Tensor> {
    }

    /**
     * Checks the gradients of {@code leaves} (leaf tensors with requiresGrad, contiguous) for {@code f}. The
     * analytic gradient is accumulated into zeroed leaf gradients. Tolerance: |num - ana| <= abs + rel * |ana|.
     */
    public static void check(Backend be, List<Tensor> leaves, LossFn f, float h, double abs, double rel) {
        ExecContext ctx = new ExecContext(be);
        for (Tensor t : leaves) be.fill(t.grad(), 0f);
        try (Tape tape = Tape.recording(ctx)) {
            tape.backward(f.apply(tape));
        }
        int checked = 0;
        double maxErr = 0;
        for (int li = 0; li < leaves.size(); li++) {
            Tensor t = leaves.get(li);
            float[] analytic = t.gradToHost();
            float[] x = t.toHost();
            for (int i = 0; i < x.length; i++) {
                float orig = x[i];
                x[i] = orig + h;
                double up = eval(ctx, t, x, f);
                x[i] = orig - h;
                double down = eval(ctx, t, x, f);
                x[i] = orig;
                t.copyFromHost(x);
                double num = (up - down) / (2.0 * h);
                double err = Math.abs(num - analytic[i]);
                maxErr = Math.max(maxErr, err);
                if (err > abs + rel * Math.abs(analytic[i]))
                    fail("leaf " + li + " " + t + " element " + i + ": analytic " + analytic[i] + ", numeric " + num);
                checked++;
            }
        }
        assertTrue(checked > 0, "nothing checked");
    }

    /** Checks d(loss)/d(params) over a flat span of parameter values and gradients (a model's buffer). */
    public static void checkFlat(Backend be, Span values, Span grads, LossFn f, float h, double abs, double rel) {
        ExecContext ctx = new ExecContext(be);
        be.fill(grads, 0f);
        try (Tape tape = Tape.recording(ctx)) {
            tape.backward(f.apply(tape));
        }
        float[] analytic = new float[grads.intLength()];
        be.copyToHost(grads, analytic, 0);
        float[] x = new float[values.intLength()];
        be.copyToHost(values, x, 0);
        for (int i = 0; i < x.length; i++) {
            float orig = x[i];
            x[i] = orig + h;
            be.copyFromHost(x, 0, values);
            double up = loss(ctx, f);
            x[i] = orig - h;
            be.copyFromHost(x, 0, values);
            double down = loss(ctx, f);
            x[i] = orig;
            be.copyFromHost(x, 0, values);
            double num = (up - down) / (2.0 * h);
            if (Math.abs(num - analytic[i]) > abs + rel * Math.abs(analytic[i]))
                fail("parameter " + i + ": analytic " + analytic[i] + ", numeric " + num);
        }
    }

    private static double eval(ExecContext ctx, Tensor t, float[] x, LossFn f) {
        t.copyFromHost(x);
        return loss(ctx, f);
    }

    private static double loss(ExecContext ctx, LossFn f) {
        try (Tape tape = Tape.noGrad(ctx)) {
            return f.apply(tape).item();
        }
    }

    /** A leaf of {@code shape} with values from {@link #values} (seed, gap 0.05), its gradient required. */
    public static Tensor leaf(Backend be, long seed, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return Tensor.leaf(be, values(seed, n, 0.05f), shape);
    }

    /** Reduces any tensor (strided views too) to a scalar through fixed random weights, so every element matters. */
    public static Tensor weighted(Tape tape, Tensor t, long seed) {
        Tensor w = tape.output(false, t.shape());
        w.copyFromHost(values(seed, (int) t.numel(), 0f));
        return Ops.sum(tape, Ops.mul(tape, Ops.contiguous(tape, t), w));
    }

    /** A key-padding mask (B, T) on the tape: sample b hides its last b keys. */
    public static Tensor keyPaddingMask(Tape tape, int B, int T) {
        float[] m = new float[B * T];
        for (int b = 0; b < B; b++) for (int t = Math.max(0, T - b); t < T; t++) m[b * T + t] = Float.NEGATIVE_INFINITY;
        Tensor mask = tape.output(false, B, T);
        mask.copyFromHost(m);
        return mask;
    }

    /** Uniform values in [-1, 1) from a seed, pushed at least {@code gap} away from 0 (for ReLU's kink). */
    public static float[] values(long seed, int n, float gap) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            float u = r.nextFloat() * 2 - 1;
            v[i] = u >= 0 ? u + gap : u - gap;
        }
        return v;
    }
}
