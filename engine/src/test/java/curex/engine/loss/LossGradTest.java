// Finite-difference gradient checks of the losses: cross-entropy (with ignored rows), MSE, KL, cosine.
package curex.engine.loss;

import curex.engine.GradCheck;
import curex.engine.autograd.Tape;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.engine.TestBackends;
import org.junit.jupiter.api.Test;

import java.util.List;

import static curex.engine.GradCheck.values;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LossGradTest {
    private final Backend be = TestBackends.open();
    private static final float H = 1e-3f;
    private static final double ABS = 2e-3, REL = 1e-2;

    private Tensor leaf(long seed, float scale, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = values(seed, n, 0f);
        for (int i = 0; i < n; i++) v[i] *= scale;
        return Tensor.leaf(be, v, shape);
    }

    @Test
    void crossEntropySkipsIgnoredRows() {
        Tensor logits = leaf(1, 2f, 5, 4);
        Tensor targets = Tensor.fromHost(be, new int[]{0, 3, -100, 1, 2}, 5);
        GradCheck.check(be, List.of(logits), tape -> Losses.crossEntropy(tape, logits, targets, -100), H, ABS, REL);
        // the ignored row gets no gradient
        float[] g = logits.gradToHost();
        for (int c = 0; c < 4; c++) assertEquals(0f, g[2 * 4 + c]);
    }

    @Test
    void crossEntropyValueMatchesDefinition() {
        float[] l = {1f, 2f, 0.5f, -1f, 0f, 3f};
        Tensor logits = Tensor.fromHost(be, l, 2, 3), targets = Tensor.fromHost(be, new int[]{2, 1}, 2);
        try (Tape tape = Tape.noGrad(new ExecContext(be))) {
            float got = Losses.crossEntropy(tape, logits, targets, Losses.NO_IGNORE).item();
            double r0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(0.5)) - 0.5;
            double r1 = Math.log(Math.exp(-1) + Math.exp(0) + Math.exp(3)) - 0;
            assertEquals((r0 + r1) / 2, got, 1e-5);
        }
    }

    @Test
    void mseBothSides() {
        Tensor a = leaf(2, 1f, 3, 5), b = leaf(3, 1f, 3, 5);
        GradCheck.check(be, List.of(a, b), tape -> Losses.mse(tape, a, b), H, ABS, REL);
    }

    @Test
    void klWithTemperature() {
        Tensor s = leaf(4, 3f, 4, 6), t = Tensor.fromHost(be, values(5, 24, 0f), 4, 6);
        for (float temperature : new float[]{1f, 2.5f})
            GradCheck.check(be, List.of(s), tape -> Losses.klDiv(tape, s, t, temperature), H, ABS, REL);
    }

    @Test
    void klIsZeroForEqualLogits() {
        Tensor s = Tensor.fromHost(be, values(6, 12, 0f), 3, 4);
        try (Tape tape = Tape.noGrad(new ExecContext(be))) {
            assertEquals(0f, Losses.klDiv(tape, s, s, 2f).item(), 1e-6);
        }
    }

    @Test
    void cosineBothSides() {
        Tensor a = leaf(7, 1f, 4, 5), b = leaf(8, 1f, 4, 5);
        GradCheck.check(be, List.of(a, b), tape -> Losses.cosine(tape, a, b), H, ABS, REL);
    }

    @Test
    void cosineValue() {
        Tensor a = Tensor.fromHost(be, new float[]{1, 0, 2, 2}, 2, 2), b = Tensor.fromHost(be, new float[]{0, 3, 1, 1}, 2, 2);
        try (Tape tape = Tape.noGrad(new ExecContext(be))) {
            // row 0: orthogonal (1 - 0), row 1: parallel (1 - 1)
            assertEquals(0.5f, Losses.cosine(tape, a, b).item(), 1e-6);
        }
    }
}
