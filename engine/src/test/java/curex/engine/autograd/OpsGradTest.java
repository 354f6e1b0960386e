// Finite-difference gradient checks of every elementwise op, matmul (plain, transposed, batched) and linear.
package curex.engine.autograd;

import curex.engine.GradCheck;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.engine.TestBackends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;


class OpsGradTest {
    private final Backend be = TestBackends.open();
    private static final float H = 1e-3f;
    private static final double ABS = 2e-3, REL = 1e-2;

    private Tensor leaf(long seed, int... shape) {
        return GradCheck.leaf(be, seed, shape);
    }

    @Test
    void elementwise() {
        Tensor a = leaf(1, 3, 7), b = leaf(2, 3, 7);
        GradCheck.check(be, List.of(a, b), tape -> GradCheck.weighted(tape, Ops.add(tape, a, b), 10), H, ABS, REL);
        GradCheck.check(be, List.of(a, b), tape -> GradCheck.weighted(tape, Ops.mul(tape, a, b), 11), H, ABS, REL);
        GradCheck.check(be, List.of(a), tape -> GradCheck.weighted(tape, Ops.scale(tape, a, -2.5f), 12), H, ABS, REL);
        GradCheck.check(be, List.of(a), tape -> GradCheck.weighted(tape, Ops.relu(tape, a), 13), H, ABS, REL);
        GradCheck.check(be, List.of(a), tape -> GradCheck.weighted(tape, Ops.gelu(tape, a), 14), H, ABS, REL);
    }

    @Test
    void reusedTensorsAccumulate() {
        Tensor a = leaf(3, 17);
        // a used three times: add(a, a) overwrites then accumulates; mul(y, y) fans y out twice
        GradCheck.check(be, List.of(a), tape -> {
            Tensor y = Ops.relu(tape, Ops.add(tape, a, a));
            return GradCheck.weighted(tape, Ops.add(tape, y, Ops.mul(tape, y, Ops.scale(tape, a, 0.5f))), 20);
        }, H, ABS, REL);
    }

    @Test
    void matmulPlainAndTransposed() {
        Tensor a = leaf(4, 5, 3), b = leaf(5, 3, 4), at = leaf(6, 3, 5), bt = leaf(7, 4, 3);
        GradCheck.check(be, List.of(a, b), tape -> GradCheck.weighted(tape, MatMul.matmul(tape, a, b), 30), H, ABS, REL);
        GradCheck.check(be, List.of(at, bt), tape -> GradCheck.weighted(tape,
                MatMul.matmul(tape, at.transposeLast2(), bt.transposeLast2()), 31), H, ABS, REL);
        GradCheck.check(be, List.of(a, bt), tape -> GradCheck.weighted(tape,
                MatMul.matmul(tape, a, bt.transposeLast2()), 32), H, ABS, REL);
    }

    @Test
    void matmulBatched() {
        Tensor a = leaf(8, 2, 3, 4), b = leaf(9, 2, 4, 5), bt = leaf(10, 2, 5, 4);
        GradCheck.check(be, List.of(a, b), tape -> GradCheck.weighted(tape, MatMul.matmul(tape, a, b), 40), H, ABS, REL);
        GradCheck.check(be, List.of(a, bt), tape -> GradCheck.weighted(tape,
                MatMul.matmul(tape, a, bt.transposeLast2()), 41), H, ABS, REL);
    }

    @Test
    void matmulOverBatchAndHeadsOfPermutedViews() {
        // attention's products: q (B, T, H, d) and k (B, T, H, d) viewed as (B, H, T, d); scores = q k^T (B, H, T, T)
        Tensor q = leaf(18, 2, 5, 3, 4), k = leaf(19, 2, 5, 3, 4), v = leaf(20, 2, 3, 5, 4);
        GradCheck.check(be, List.of(q, k), tape -> GradCheck.weighted(tape, MatMul.matmul(tape, q.permute(0, 2, 1, 3),
                k.permute(0, 2, 3, 1)), 42), H, ABS, REL);
        // a contiguous (B, H, T, d) operand: one batched call over both batch dimensions
        GradCheck.check(be, List.of(q, v), tape -> GradCheck.weighted(tape, MatMul.matmul(tape, q.permute(0, 2, 1, 3), v
                .transposeLast2()), 43), H, ABS, REL);
    }

    @Test
    void contiguousCopiesAPermutedViewAndScattersItsGradientBack() {
        Tensor x = leaf(21, 2, 5, 3, 4);                       // (B, T, H, d)
        GradCheck.check(be, List.of(x), tape -> GradCheck.weighted(tape, Ops.contiguous(tape, x.permute(0, 2, 1, 3)), 44),
                H, ABS, REL);
        try (Tape tape = Tape.noGrad(new curex.engine.tensor.ExecContext(be))) {
            Tensor y = Ops.contiguous(tape, x.permute(0, 2, 1, 3));   // (B, H, T, d)
            assertTrue(y.isContiguous());
            float[] in = x.toHost(), out = y.toHost();
            for (int b = 0; b < 2; b++)
                for (int t = 0; t < 5; t++)
                    for (int h = 0; h < 3; h++)
                        for (int d = 0; d < 4; d++)
                            assertEquals(in[((b * 5 + t) * 3 + h) * 4 + d], out[((b * 3 + h) * 5 + t) * 4 + d]);
            assertSame(x, Ops.contiguous(tape, x), "a contiguous tensor is not copied");
        }
    }

    @Test
    void linearWithEachActivation() {
        Tensor x = leaf(11, 4, 6), w = leaf(12, 5, 6), b = leaf(13, 5);
        for (Activation act : Activation.values())
            GradCheck.check(be, List.of(x, w, b), tape -> GradCheck.weighted(tape, MatMul.linear(tape, x, w, b, act), 50),
                    H, ABS, REL);
    }

    @Test
    void linearOnBatchOfSequences() {
        Tensor x = leaf(14, 2, 3, 6), w = leaf(15, 4, 6), b = leaf(16, 4);   // (B, T, C) input
        GradCheck.check(be, List.of(x, w, b), tape -> GradCheck.weighted(tape, MatMul.linear(tape, x, w, b, Activation.GELU), 51),
                H, ABS, REL);
    }

    @Test
    void checkerRejectsAWrongBackward() {
        Tensor a = leaf(17, 6);
        // scale by 2 whose recorded backward forgets the factor: the check must notice
        GradCheck.LossFn wrong = tape -> {
            Tensor out = tape.output(tape.needsGrad(a), a.shape());
            be.scale(2f, a.span(), out.span());
            if (tape.needsGrad(a)) tape.record(out, () -> be.scaleBackward(1f, out.grad(), a.overwriteGradBeta(), a.grad()));
            return GradCheck.weighted(tape, out, 60);
        };
        org.junit.jupiter.api.Assertions.assertThrows(org.opentest4j.AssertionFailedError.class,
                () -> GradCheck.check(be, List.of(a), wrong, H, ABS, REL));
    }
}
