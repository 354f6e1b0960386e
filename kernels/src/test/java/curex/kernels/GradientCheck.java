// Test utility: central finite differences in float32 against a backend's analytic backward kernels.
package curex.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * Finite-difference gradient checks over spans of a {@link Backend}.
 *
 * <p>The scalar checked is usually {@code L = sum(out * R)} for a fixed random R ({@link #weightedSum}), whose
 * gradient with respect to out is R: pass R as dOut to the backward kernel. For each input element x_i the
 * numeric derivative is {@code (L(x_i + eps) - L(x_i - eps)) / (x_i+ - x_i-)}, where x_i+ and x_i- are the
 * float32 values actually stored (so rounding of the perturbed input does not bias the quotient).
 *
 * <p>Tolerances, chosen for float32 kernels on inputs of order 1: with {@code eps = 1e-2} the truncation error
 * of the central difference is about {@code eps^2 / 6 * f''' ~ 2e-5 f'''} and the rounding error of a float32
 * forward is about {@code 1e-7 |L| / eps ~ 1e-5 |L|}. An element passes when
 * {@code |numeric - analytic| <= ATOL + RTOL * max(|numeric|, |analytic|)} with ATOL = 2e-3, RTOL = 2e-2: an
 * order of magnitude above both errors, far below the size of a wrong factor or a missing term. Inputs must
 * keep away from kinks (relu at 0, ties in max) by more than eps.
 *
 * <p>Analytic gradients of backward kernels are collected with {@link #gradient}, which runs the kernel three
 * times: with beta 0 on a NaN-filled gradient (it must overwrite without reading), with beta 1 on noise (it must
 * add exactly that gradient to the noise) and with beta 0.5 on noise (it must add it to half the noise). Other
 * contributions (a gemm with its own beta) go through {@link #accumulated}, which pre-fills the gradient span
 * with noise and subtracts it afterwards, so that a kernel that overwrites instead of accumulating fails.
 */
public final class GradientCheck {
    public static final float EPS = 1e-2f;
    public static final double ATOL = 2e-3;
    public static final double RTOL = 2e-2;

    /** A backward kernel writing {@code beta * grad + contribution} into grad. */
    public interface Backward {
        void run(float beta, Span grad);
    }

    private final Backend backend;
    private long nextSeed = 1000;

    public GradientCheck(Backend backend) {
        this.backend = backend;
    }

    /** A new span holding a copy of {@code values}. */
    public Span span(float... values) {
        Span s = backend.allocate(values.length).all();
        backend.copyFromHost(values, 0, s);
        return s;
    }

    /** A new span of {@code n} uniform numbers in [lo, hi), from a fresh seed. */
    public Span uniform(int n, float lo, float hi) {
        Span s = backend.allocate(n).all();
        backend.fillUniform(s, lo, hi, nextSeed++);
        return s;
    }

    /** The contents of a span, as a host array. */
    public float[] read(Span s) {
        float[] out = new float[s.intLength()];
        backend.copyToHost(s, out, 0);
        return out;
    }

    /** {@code sum_i out[i] * r[i]} in double; r as long as out. */
    public double weightedSum(Span out, float[] r) {
        float[] o = read(out);
        if (o.length != r.length) throw new IllegalArgumentException("weights " + r.length + " vs " + o.length);
        double s = 0;
        for (int i = 0; i < o.length; i++) s += (double) o[i] * r[i];
        return s;
    }

    /** Uniform weights in [-1, 1) of length n, from a fresh seed. */
    public float[] weights(int n) {
        return read(uniform(n, -1f, 1f));
    }

    /**
     * Runs {@code backward} on a gradient span of length n pre-filled with noise and returns what it added:
     * the analytic gradient, provided the kernel accumulates.
     */
    public float[] accumulated(int n, Consumer<Span> backward) {
        Span grad = uniform(n, -0.5f, 0.5f);
        float[] before = read(grad);
        backward.accept(grad);
        float[] after = read(grad);
        for (int i = 0; i < n; i++) after[i] -= before[i];
        return after;
    }

    /**
     * The analytic gradient from a backward kernel, after checking its beta semantics: beta 0 on NaN gives finite
     * values g; beta 1 on noise n gives {@code n + g} and beta 0.5 gives {@code 0.5 n + g}, each within float
     * rounding of the sum ({@code 1e-6 + 2^-21 |sum|}).
     */
    public float[] gradient(int n, Backward backward) {
        Span fresh = backend.allocate(n).all();
        backend.fill(fresh, Float.NaN);
        backward.run(0f, fresh);
        float[] g = read(fresh);
        for (int i = 0; i < n; i++)
            if (!Float.isFinite(g[i])) fail("beta 0 left gradient element " + i + " at " + g[i] + " (not overwritten)");
        for (float beta : new float[] {1f, 0.5f}) {
            Span grad = uniform(n, -0.5f, 0.5f);
            float[] noise = read(grad);
            backward.run(beta, grad);
            float[] got = read(grad);
            for (int i = 0; i < n; i++) {
                double want = (double) beta * noise[i] + g[i];
                if (!(Math.abs(got[i] - want) <= 1e-6 + 0x1.0p-21 * Math.abs(want)))
                    fail("beta " + beta + ": gradient element " + i + " is " + got[i] + ", expected " + beta + " * "
                            + noise[i] + " + " + g[i]);
            }
        }
        return g;
    }

    /**
     * Compares {@code analytic} with central differences of {@code loss} over every element of {@code x}.
     * {@code loss} must recompute the forward from the current contents of x.
     */
    public void check(String what, Span x, float[] analytic, DoubleSupplier loss) {
        float[] values = read(x);
        if (analytic.length != values.length)
            throw new IllegalArgumentException(what + ": " + analytic.length + " gradients for " + values.length);
        float[] one = new float[1];
        StringBuilder failures = new StringBuilder();
        int bad = 0;
        for (int i = 0; i < values.length; i++) {
            float plus = values[i] + EPS, minus = values[i] - EPS;
            one[0] = plus;
            backend.copyFromHost(one, 0, x.slice(i, 1));
            double lPlus = loss.getAsDouble();
            one[0] = minus;
            backend.copyFromHost(one, 0, x.slice(i, 1));
            double lMinus = loss.getAsDouble();
            one[0] = values[i];
            backend.copyFromHost(one, 0, x.slice(i, 1));
            double numeric = (lPlus - lMinus) / ((double) plus - minus);
            double diff = Math.abs(numeric - analytic[i]);
            if (!(diff <= ATOL + RTOL * Math.max(Math.abs(numeric), Math.abs(analytic[i])))) {
                if (bad++ < 5)
                    failures.append(String.format("%n  [%d] x=%g numeric=%g analytic=%g", i, values[i], numeric,
                            analytic[i]));
            }
        }
        if (bad > 0) fail(what + ": " + bad + " of " + values.length + " gradients differ" + failures);
    }
}
