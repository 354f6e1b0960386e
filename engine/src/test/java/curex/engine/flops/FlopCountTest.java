// FLOP accounting: a training step and a no-grad forward of a known MLP count exactly the analytic products.
package curex.engine.flops;

import curex.engine.autograd.Arena;
import curex.engine.autograd.MatMul;
import curex.engine.autograd.Tape;
import curex.engine.autograd.Activation;
import curex.engine.loss.Losses;
import curex.engine.nn.Mlp;
import curex.engine.nn.MlpConfig;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.engine.TestBackends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FlopCountTest {
    private final Backend be = TestBackends.open();

    @Test
    void trainingStepAndForward() {
        int[] w = {10, 16, 8, 2};
        int batch = 5;
        long forward = 0, inputGrads = 0;
        for (int l = 0; l < w.length - 1; l++) {
            forward += 2L * batch * w[l] * w[l + 1];
            if (l > 0) inputGrads += 2L * batch * w[l] * w[l + 1];
        }
        ExecContext student = new ExecContext(be), teacher = student.withOwnCounter();
        try (Mlp mlp = Mlp.create(be, MlpConfig.of(Activation.RELU, w), 1);
             Tensor x = Tensor.fromHost(be, new float[batch * 10], batch, 10);
             Tensor y = Tensor.ints(be, batch)) {
            try (Tape tape = Tape.recording(student)) {
                tape.backward(Losses.crossEntropy(tape, mlp.forward(tape, x), y, -1));
            }
            // forward + a weight gradient for every layer + an input gradient for every layer but the first
            assertEquals(forward + forward + inputGrads, student.flops().total());
            assertEquals(0, teacher.flops().total());
            try (Tape tape = Tape.noGrad(teacher)) {
                mlp.forward(tape, x);
            }
            assertEquals(forward, teacher.flops().total());
            try (Tape tape = Tape.noGrad(teacher)) {
                mlp.hidden(tape, x, 1);
            }
            assertEquals(forward + 2L * batch * 10 * 16, teacher.flops().total());
        }
    }

    @Test
    void batchedProductCountsEveryMatrix() {
        ExecContext ctx = new ExecContext(be);
        try (Tensor a = Tensor.zeros(be, 3, 4, 5); Tensor b = Tensor.zeros(be, 3, 5, 6);
             Arena arena = new Arena(be); Tape tape = Tape.noGrad(ctx, arena)) {
            MatMul.matmul(tape, a, b);
        }
        assertEquals(3L * 2 * 4 * 6 * 5, ctx.flops().total());
    }
}
