// Activation gradients are taken in the backward pass and reused once read: the same values in less memory.
package curex.engine.autograd;

import curex.engine.TestBackends;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientMemoryTest {
    private static final int N = 16384;   // floats per activation: the tape outgrows its first 64 Ki-float chunk
    private static final int LAYERS = 6;

    private final Backend be = TestBackends.open();

    /** sum(gelu(... gelu(x * w1) ... * w6)): a chain whose activation gradients all have x's length. */
    private static Tensor chain(Tape tape, Tensor x, Tensor[] weights) {
        Tensor h = x;
        for (Tensor w : weights) h = Ops.gelu(tape, Ops.mul(tape, h, w));
        return Ops.sum(tape, h);
    }

    private static float[] values(int seed) {
        float[] v = new float[N];
        for (int i = 0; i < N; i++) v[i] = (float) Math.sin(0.37 * i + seed);
        return v;
    }

    @Test
    void aChainsGradientsReuseOneAnothersMemoryAndMatchTheirFirstStep() {
        Tensor x = Tensor.leaf(be, values(0), N);
        Tensor[] weights = new Tensor[LAYERS];
        for (int l = 0; l < LAYERS; l++) weights[l] = Tensor.leaf(be, values(l + 1), N);
        ExecContext ctx = new ExecContext(be);
        try (Arena arena = new Arena(be)) {
            float[][] first = null;
            long firstBytes = 0;
            for (int step = 0; step < 2; step++) {
                x.invalidateGrad();
                for (Tensor w : weights) w.invalidateGrad();
                try (Tape tape = Tape.recording(ctx, arena)) {
                    tape.backward(chain(tape, x, weights));
                }
                x.settleGrad();
                float[][] grads = new float[LAYERS + 1][];
                grads[0] = x.gradToHost();
                for (int l = 0; l < LAYERS; l++) grads[l + 1] = weights[l].gradToHost();
                if (step == 0) {
                    first = grads;
                    firstBytes = arena.bytes();
                } else {
                    for (int i = 0; i <= LAYERS; i++) assertArrayEquals(first[i], grads[i], "gradient " + i);
                    assertEquals(firstBytes, arena.bytes(), "a second step of the same sizes takes no more memory");
                }
            }
            // 2 * LAYERS activations of N floats (the products and the GELUs) and the loss; a gradient reserved
            // beside each would double that, recycled ones add about two of N
            long activations = 2L * LAYERS * N * Float.BYTES;
            assertTrue(arena.bytes() < activations + 4L * N * Float.BYTES,
                    "tape of " + arena.bytes() + " bytes for " + activations + " bytes of activations");
        }
        for (Tensor w : weights) w.close();
        x.close();
    }

    @Test
    void anActivationsGradientCannotBeReadOnceItsBackwardHasRun() {
        Tensor x = Tensor.leaf(be, values(0), N);
        Tensor w = Tensor.leaf(be, values(1), N);
        try (Arena arena = new Arena(be); Tape tape = Tape.recording(new ExecContext(be), arena)) {
            Tensor h = Ops.mul(tape, x, w);
            tape.backward(Ops.sum(tape, Ops.gelu(tape, h)));
            IllegalStateException e = assertThrows(IllegalStateException.class, h::gradToHost);
            assertTrue(e.getMessage().contains("released"), e.getMessage());
            assertEquals(N, x.gradToHost().length);   // leaves keep theirs
        }
        w.close();
        x.close();
    }
}
