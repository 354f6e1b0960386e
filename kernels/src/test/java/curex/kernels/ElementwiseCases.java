// Test table entries for elementwise ops, activations, reductions, fills and optimizer steps (shape: {n}).
package curex.kernels;

import static curex.kernels.OpCase.ELEMENTS;
import static curex.kernels.OpCase.EXACT;
import static curex.kernels.OpCase.FUSED;
import static curex.kernels.OpCase.TRANSCENDENTAL;
import static curex.kernels.OpCase.reduction;

import curex.kernels.KernelFixture.Tol;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Backward ops run once per beta ({@link OpCase#BETAS}): from noisy gradients (beta 1 and 0.5), so that a kernel
 * that overwrites instead of accumulating fails, and from NaN (beta 0), so that one that reads the old gradient
 * fails.
 */
public final class ElementwiseCases {
    private ElementwiseCases() {
    }

    private interface Backward {
        void run(KernelFixture f, int n, float beta);
    }

    private static OpCase c(String name, BiConsumer<KernelFixture, Integer> run) {
        return new OpCase(name, ELEMENTS, (f, s) -> run.accept(f, s[0]));
    }

    /** One entry per beta. */
    private static List<OpCase> backward(String name, Backward run) {
        return OpCase.BETAS.stream().map(beta -> c(name + OpCase.beta(beta), (f, n) -> run.run(f, n, beta))).toList();
    }

    public static List<OpCase> all() {
        List<OpCase> all = new ArrayList<>(forward());
        all.addAll(backward("scaleBackward alpha=1 (add's gradient)", (f, n, beta) -> {
            Span g = f.uniform(n, -1, 1), da = f.grad(n, beta);
            f.backend.scaleBackward(1f, g, beta, da);
            f.out("dA", da, EXACT);
        }));
        all.addAll(backward("mulBackward", (f, n, beta) -> {
            Span a = f.uniform(n, -2, 2), b = f.uniform(n, -2, 2), g = f.uniform(n, -1, 1);
            Span da = f.grad(n, beta), db = f.grad(n, beta);
            f.backend.mulBackward(a, b, g, beta, da, db);
            f.out("dA", da, FUSED);
            f.out("dB", db, FUSED);
        }));
        all.addAll(backward("mulBackward dA only", (f, n, beta) -> {
            Span a = f.uniform(n, -2, 2), b = f.uniform(n, -2, 2), g = f.uniform(n, -1, 1);
            Span da = f.grad(n, beta);
            f.backend.mulBackward(a, b, g, beta, da, null);
            f.out("dA", da, FUSED);
        }));
        all.addAll(backward("scaleBackward", (f, n, beta) -> {
            Span g = f.uniform(n, -1, 1), dx = f.grad(n, beta);
            f.backend.scaleBackward(-0.37f, g, beta, dx);
            f.out("dX", dx, FUSED);
        }));
        all.addAll(backward("reluBackward", (f, n, beta) -> {
            Span x = f.of(withZeros(f.uniformHost(n, -2, 2))), g = f.uniform(n, -1, 1);
            Span dx = f.grad(n, beta);
            f.backend.reluBackward(x, g, beta, dx);
            f.out("dX", dx, EXACT);
        }));
        all.addAll(backward("geluBackward", (f, n, beta) -> {
            Span x = f.uniform(n, -8, 8), g = f.uniform(n, -1, 1), dx = f.grad(n, beta);
            f.backend.geluBackward(x, g, beta, dx);
            f.out("dX", dx, TRANSCENDENTAL);
        }));
        all.addAll(backward("geluBackward tails", (f, n, beta) -> {
            Span x = f.uniform(n, -60, 60), g = f.uniform(n, -1, 1), dx = f.grad(n, beta);
            f.backend.geluBackward(x, g, beta, dx);
            f.out("dX", dx, TRANSCENDENTAL);
        }));
        all.addAll(backward("geluBackward huge", (f, n, beta) -> {   // below 1.8e19, where x^2 overflows
            Span x = f.of(hugeHost(f, n, 1e18f)), g = f.uniform(n, -1, 1), dx = f.grad(n, beta);
            f.backend.geluBackward(x, g, beta, dx);
            f.out("dX", dx, TRANSCENDENTAL);
        }));
        all.addAll(backward("sumBackward", (f, n, beta) -> {
            Span dx = f.grad(n, beta);
            f.backend.sumBackward(f.scalar(0.83f), beta, dx);
            f.out("dX", dx, EXACT);
        }));
        all.addAll(backward("mseBackward", (f, n, beta) -> {
            Span a = f.uniform(n, -2, 2), b = f.uniform(n, -2, 2);
            Span da = f.grad(n, beta), db = f.grad(n, beta);
            f.backend.mseBackward(a, b, f.scalar(0.7f * n), beta, da, db);   // dLoss * 2 / n = 1.4
            f.out("dA", da, new Tol(1e-6, 0x1.0p-22));   // g = 1.4 rounded to float first
            f.out("dB", db, new Tol(1e-6, 0x1.0p-22));
        }));
        return all;
    }

    private static List<OpCase> forward() {
        return List.of(
                c("add", (f, n) -> {
                    Span a = f.uniform(n, -2, 2), b = f.uniform(n, -2, 2), o = f.garbage(n);
                    f.backend.add(a, b, o);
                    f.out("out", o, EXACT);
                }),
                c("add in place", (f, n) -> {
                    Span a = f.uniform(n, -2, 2), b = f.uniform(n, -2, 2);
                    f.backend.add(a, b, a);
                    f.out("a", a, EXACT);
                }),
                c("mul", (f, n) -> {
                    Span a = f.uniform(n, -2, 2), b = f.uniform(n, -2, 2), o = f.garbage(n);
                    f.backend.mul(a, b, o);
                    f.out("out", o, EXACT);
                }),
                c("mul in place", (f, n) -> {
                    Span a = f.uniform(n, -2, 2), b = f.uniform(n, -2, 2);
                    f.backend.mul(a, b, b);
                    f.out("b", b, EXACT);
                }),
                c("scale", (f, n) -> {
                    Span x = f.uniform(n, -2, 2), o = f.garbage(n);
                    f.backend.scale(-0.37f, x, o);
                    f.out("out", o, EXACT);
                }),
                c("axpy", (f, n) -> {
                    Span x = f.uniform(n, -2, 2), y = f.uniform(n, -2, 2);
                    f.backend.axpy(1.7f, x, y);
                    f.out("y", y, FUSED);
                }),
                c("relu", (f, n) -> {
                    Span x = f.of(withZeros(f.uniformHost(n, -2, 2))), o = f.garbage(n);
                    f.backend.relu(x, o);
                    f.out("out", o, EXACT);
                }),
                c("relu in place", (f, n) -> {
                    Span x = f.of(withZeros(f.uniformHost(n, -2, 2)));
                    f.backend.relu(x, x);
                    f.out("x", x, EXACT);
                }),
                c("gelu", (f, n) -> {
                    Span x = f.uniform(n, -8, 8), o = f.garbage(n);
                    f.backend.gelu(x, o);
                    f.out("out", o, TRANSCENDENTAL);
                }),
                c("gelu tails", (f, n) -> {   // where exp(-2u) is clamped: gelu is x or 0 to within 1e-38
                    Span x = f.uniform(n, -60, 60), o = f.garbage(n);
                    f.backend.gelu(x, o);
                    f.out("out", o, TRANSCENDENTAL);
                }),
                c("gelu huge", (f, n) -> {   // |x| up to 1.5e38
                    Span x = f.of(hugeHost(f, n, 1.5e38f)), o = f.garbage(n);
                    f.backend.gelu(x, o);
                    f.out("out", o, TRANSCENDENTAL);
                }),
                c("gelu in place", (f, n) -> {
                    Span x = f.uniform(n, -3, 3);
                    f.backend.gelu(x, x);
                    f.out("x", x, TRANSCENDENTAL);
                }),
                c("geluWithDerivative", (f, n) -> geluWithDerivative(f, f.uniform(n, -8, 8), false)),
                c("geluWithDerivative tails", (f, n) -> geluWithDerivative(f, f.uniform(n, -60, 60), false)),
                c("geluWithDerivative huge", (f, n) -> geluWithDerivative(f, f.of(hugeHost(f, n, 1.5e38f)), false)),
                c("geluWithDerivative in place", (f, n) -> geluWithDerivative(f, f.uniform(n, -3, 3), true)),
                c("sum", (f, n) -> {
                    float[] h = f.uniformHost(n, -1, 3);
                    Span out = f.garbage(1);
                    f.backend.sum(f.of(h), out);
                    f.out("sum", out, reduction(KernelFixture.sumAbs(h)));
                }),
                c("sumOfSquares", (f, n) -> {
                    float[] h = f.uniformHost(n, -2, 2);
                    Span out = f.garbage(1);
                    f.backend.sumOfSquares(f.of(h), out);
                    double s = 0;
                    for (float v : h) s += v * v;
                    f.out("sumOfSquares", out, reduction(s));
                }),
                c("mse", (f, n) -> {
                    float[] a = f.uniformHost(n, -2, 2), b = f.uniformHost(n, -2, 2);
                    Span out = f.garbage(1);
                    f.backend.mse(f.of(a), f.of(b), out);
                    double s = 0;
                    for (int i = 0; i < n; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
                    f.out("mse", out, reduction(s / n));
                }),
                c("fill and copy", (f, n) -> {
                    Span a = f.garbage(n), b = f.garbage(n);
                    f.backend.fill(a, 0.25f);
                    f.out("fill", a, EXACT);
                    Span x = f.uniform(n, -1, 1);
                    f.backend.copy(x, b);
                    f.out("copy", b, EXACT);
                }),
                c("copy ints", (f, n) -> {
                    Span x = f.ofInts(f.indicesHost(n, 1 << 20)), y = f.garbageInts(n);
                    f.backend.copy(x, y);
                    f.outInts("copy", y);
                }),
                c("fillUniform", (f, n) -> {
                    Span a = f.garbage(n);
                    f.backend.fillUniform(a, -0.5f, 2f, 42);
                    f.out("uniform", a, EXACT);
                }),
                c("fillNormal", (f, n) -> {
                    Span a = f.garbage(n);
                    f.backend.fillNormal(a, 0.1f, 0.02f, 43);
                    f.out("normal", a, EXACT);
                }),
                c("sgdStep momentum", (f, n) -> {
                    Span p = f.uniform(n, -1, 1), v = f.uniform(n, -0.1f, 0.1f);
                    for (int step = 0; step < 3; step++)
                        f.backend.sgdStep(p, f.uniform(n, -1, 1), v, 0.1f, 0.9f, 0.01f);
                    f.out("params", p, new Tol(2e-7, 0x1.0p-21));
                    f.out("velocity", v, new Tol(5e-7, 0x1.0p-21));
                }),
                c("sgdStep plain", (f, n) -> {
                    Span p = f.uniform(n, -1, 1), v = f.uniform(n, -0.1f, 0.1f);
                    f.backend.sgdStep(p, f.uniform(n, -1, 1), null, 0.1f, 0f, 0f);
                    f.backend.sgdStep(p, f.uniform(n, -1, 1), v, 0.1f, 0f, 0.01f);
                    f.out("params", p, new Tol(1e-7, 0x1.0p-21));
                    f.out("velocity untouched", v, EXACT);
                }),
                c("adamwStep", (f, n) -> {
                    Span p = f.uniform(n, -1, 1), m = f.uniform(n, -0.1f, 0.1f), v = f.uniform(n, 0, 0.01f);
                    for (int step = 1; step <= 3; step++)
                        f.backend.adamwStep(p, f.uniform(n, -1, 1), m, v, 0.01f, 0.9f, 0.95f, 1e-8f, 0.1f, step);
                    f.out("params", p, new Tol(2e-7, 0x1.0p-21));
                    f.out("m", m, new Tol(2e-8, 0x1.0p-21));
                    f.out("v", v, new Tol(1e-8, 0x1.0p-21));
                }));
    }

    /** gelu(x) into garbage (or over x) and gelu'(x) into garbage: both against the reference. */
    private static void geluWithDerivative(KernelFixture f, Span x, boolean inPlace) {
        int n = (int) x.length();
        Span o = inPlace ? x : f.garbage(n), d = f.garbage(n);
        f.backend.geluWithDerivative(x, o, d);
        f.out("out", o, TRANSCENDENTAL);
        f.out("derivative", d, TRANSCENDENTAL);
    }

    /** Every fifth element 0 and every seventh -0, to pin down relu's treatment of zeros. */
    private static float[] withZeros(float[] v) {
        for (int i = 0; i < v.length; i += 5) v[i] = 0f;
        for (int i = 3; i < v.length; i += 7) v[i] = -0f;
        return v;
    }

    /** Values up to {@code limit} in magnitude, half of them up to 1e13 (where gelu'(x) once came out 3.5). */
    private static float[] hugeHost(KernelFixture f, int n, float limit) {
        float[] big = f.uniformHost(n, -limit, limit), mid = f.uniformHost(n, -1e13f, 1e13f);
        for (int i = 0; i < n; i += 2) big[i] = mid[i];
        return big;
    }
}
