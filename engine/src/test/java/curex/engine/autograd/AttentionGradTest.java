// Finite-difference checks of the fused attention op, and its agreement with the same attention built from products.
package curex.engine.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import curex.engine.GradCheck;
import curex.engine.TestBackends;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttentionGradTest {
    private final Backend be = TestBackends.open();
    private static final float H = 1e-3f;
    private static final double ABS = 2e-3, REL = 1e-2;

    private Tensor leaf(long seed, int... shape) {
        return GradCheck.leaf(be, seed, shape);
    }

    @Test
    void gradientsOfQueriesKeysAndValuesWithAndWithoutAMask() {
        int B = 3, T = 5, d = 6;
        Tensor q = leaf(1, B, T, d), k = leaf(2, B, T, d), v = leaf(3, B, T, d);
        GradCheck.check(be, List.of(q, k, v), tape -> GradCheck.weighted(tape,
                Attention.attend(tape, q, k, v, GradCheck.keyPaddingMask(tape, B, T), 2), 4), H, ABS, REL);
        GradCheck.check(be, List.of(q, k, v), tape -> GradCheck.weighted(tape,
                Attention.attend(tape, q, k, v, null, 3), 5), H, ABS, REL);
        Tensor few = leaf(4, B, 2, d);   // two queries against five keys
        GradCheck.check(be, List.of(few, k, v), tape -> GradCheck.weighted(tape,
                Attention.attend(tape, few, k, v, GradCheck.keyPaddingMask(tape, B, T), 2), 6), H, ABS, REL);
    }

    @Test
    void gradientsOfSharedRowsSumOverThePositionsThatReadThem() {
        // tables of 4 rows read by 3 x 5 positions (some rows by many, one by none), masked and not
        int B = 3, T = 5, U = 4, d = 6;
        int[] index = {0, 1, 2, 1, 0, 1, 1, 2, 0, 0, 2, 2, 1, 0, 1};
        Tensor q = leaf(11, U, d), k = leaf(12, U, d), v = leaf(13, U, d);
        GradCheck.check(be, List.of(q, k, v), tape -> GradCheck.weighted(tape,
                Attention.attendRows(tape, ints(tape, index), B, T, q, k, v, GradCheck.keyPaddingMask(tape, B, T), 2),
                14), H, ABS, REL);
        GradCheck.check(be, List.of(q, k, v), tape -> GradCheck.weighted(tape,
                Attention.attendRows(tape, ints(tape, index), B, T, q, k, v, null, 3), 15), H, ABS, REL);
    }

    private Tensor ints(Tape tape, int[] values) {
        Tensor t = tape.outputInts(values.length);
        be.copyFromHost(values, 0, t.span());
        return t;
    }

    @Test
    void oneTensorAsQueriesKeysAndValuesAccumulatesItsThreeGradients() {
        // the three gradients of x take different betas (overwrite, then add): one kernel call each
        Tensor x = leaf(6, 2, 4, 4);
        GradCheck.check(be, List.of(x), tape -> GradCheck.weighted(tape,
                Attention.attend(tape, x, x, x, GradCheck.keyPaddingMask(tape, 2, 4), 2), 7), H, ABS, REL);
    }

    @Test
    void keysAndValuesAsOneTensorTakeOneCallWithTheValuesGradientAdded() {
        // a folded query's attention: x is both keys and values, with a scale of its own; leaves accumulate (beta 1)
        int B = 3, T = 5, d = 8;
        Tensor q = leaf(15, B, 4, d), x = leaf(16, B, T, d);
        GradCheck.check(be, List.of(q, x), tape -> GradCheck.weighted(tape,
                Attention.attend(tape, q, x, x, GradCheck.keyPaddingMask(tape, B, T), 1, 0.3f), 8), H, ABS, REL);
        // activations: x also feeds a later sum, whose backward runs first, so attention adds to x's gradient (beta 1)
        // while it overwrites the query's (beta 0): one kernel call per gradient
        Tensor a = leaf(17, B, T, d);
        GradCheck.check(be, List.of(q, a), tape -> {
            Tensor xs = Ops.scale(tape, a, 1.5f);
            Tensor out = Attention.attend(tape, Ops.scale(tape, q, 0.5f), xs, xs, null, 2, 0.4f);   // (B, 4, d)
            return Ops.add(tape, GradCheck.weighted(tape, out, 9), GradCheck.weighted(tape, xs, 10));
        }, H, ABS, REL);
    }

    @Test
    void agreesWithProductsAndSoftmaxOverHeadViewsAndCountsTheSameFlops() {
        int B = 2, T = 7, d = 12, heads = 3, dh = d / heads;
        Tensor q = leaf(8, B, T, d), k = leaf(9, B, T, d), v = leaf(10, B, T, d);
        ExecContext fusedCtx = new ExecContext(be), composedCtx = new ExecContext(be);
        float[] fused, composed, fusedGrad, composedGrad;
        try (Tape tape = Tape.recording(fusedCtx)) {
            Tensor out = Attention.attend(tape, q, k, v, GradCheck.keyPaddingMask(tape, B, T), heads);
            fused = out.toHost();
            tape.backward(GradCheck.weighted(tape, out, 11));
            fusedGrad = k.gradToHost();
        }
        for (Tensor t : List.of(q, k, v)) t.invalidateGrad();   // the next pass overwrites the leaves' gradients
        try (Tape tape = Tape.recording(composedCtx)) {
            Tensor qh = heads(q, heads), kh = heads(k, heads), vh = heads(v, heads);   // (B, H, T, dh) views
            Tensor scores = MatMul.matmul(tape, qh, kh.transposeLast2(), (float) (1 / Math.sqrt(dh)));
            Tensor probs = RowOps.softmax(tape, scores, GradCheck.keyPaddingMask(tape, B, T), heads * T);
            Tensor context = MatMul.matmul(tape, probs, vh);                               // (B, H, T, dh)
            Tensor out = Ops.contiguous(tape, context.permute(0, 2, 1, 3)).reshape(B, T, d);
            composed = out.toHost();
            tape.backward(GradCheck.weighted(tape, out, 11));
            composedGrad = k.gradToHost();
        }
        for (int i = 0; i < fused.length; i++) assertEquals(composed[i], fused[i], 1e-5, "output " + i);
        for (int i = 0; i < fusedGrad.length; i++) assertEquals(composedGrad[i], fusedGrad[i], 1e-5, "dK " + i);
        assertTrue(fusedCtx.flops().total() > 0);
        assertEquals(composedCtx.flops().total(), fusedCtx.flops().total(), "forward and backward FLOPs");
    }

    private static Tensor heads(Tensor x, int heads) {
        int B = x.dim(0), T = x.dim(1), d = x.dim(2);
        return x.reshape(B, T, heads, d / heads).permute(0, 2, 1, 3);
    }

    @Test
    void shapesThatDoNotFitAreRefusedByName() {
        Tensor q = leaf(12, 2, 3, 6), k = leaf(13, 2, 4, 6), wide = leaf(14, 2, 4, 8);
        try (Tape tape = Tape.recording(new ExecContext(be))) {
            String msg = assertThrows(IllegalArgumentException.class,
                    () -> Attention.attend(tape, q, k, q, null, 2)).getMessage();
            assertTrue(msg.contains("k and v must be the same (B, T, d)"), msg);
            msg = assertThrows(IllegalArgumentException.class,
                    () -> Attention.attend(tape, q, wide, wide, null, 2)).getMessage();
            assertTrue(msg.contains("q (B, Tq, d)"), msg);
            msg = assertThrows(IllegalArgumentException.class,
                    () -> Attention.attend(tape, q, q, q, null, 4)).getMessage();
            assertTrue(msg.contains("4 heads do not divide d = 6"), msg);
            msg = assertThrows(IllegalArgumentException.class,
                    () -> Attention.attend(tape, q, q, q, GradCheck.keyPaddingMask(tape, 2, 4), 2)).getMessage();
            assertTrue(msg.contains("is not (B, T)"), msg);
        }
    }
}
