// Finite-difference gradient checks of the transformer's ops: masked softmax, layer norm, embedding, broadcast add,
// scaled products of head views, select and the head merge.
package curex.engine.autograd;

import curex.engine.GradCheck;
import curex.engine.TestBackends;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RowOpsGradTest {
    private final Backend be = TestBackends.open();
    private static final float H = 1e-3f;
    private static final double ABS = 2e-3, REL = 1e-2;

    private Tensor leaf(long seed, int... shape) {
        return GradCheck.leaf(be, seed, shape);
    }

    @Test
    void softmaxWithAKeyPaddingMaskRepeatedOverHeadsAndQueries() {
        int B = 3, Hd = 2, T = 5;
        Tensor s = leaf(1, B, Hd, T, T);
        GradCheck.check(be, List.of(s), tape -> GradCheck.weighted(tape,
                RowOps.softmax(tape, s, GradCheck.keyPaddingMask(tape, B, T), Hd * T), 2), H, ABS, REL);
        GradCheck.check(be, List.of(s), tape -> GradCheck.weighted(tape, RowOps.softmax(tape, s, null, 1), 3), H, ABS, REL);
    }

    @Test
    void maskedKeysGetNoProbabilityAndNoGradient() {
        int B = 2, T = 4;
        Tensor s = leaf(4, B, 1, T, T);
        try (Tape tape = Tape.recording(new curex.engine.tensor.ExecContext(be))) {
            Tensor p = RowOps.softmax(tape, s, GradCheck.keyPaddingMask(tape, B, T), T);
            float[] ph = p.toHost();
            for (int q = 0; q < T; q++) assertEquals(0f, ph[T * T + q * T + T - 1], "sample 1 hides key 3");
            tape.backward(GradCheck.weighted(tape, p, 5));
        }
        float[] g = s.gradToHost();
        for (int q = 0; q < T; q++) assertEquals(0f, g[T * T + q * T + T - 1]);
    }

    @Test
    void layerNormGradientsOfInputGainAndShift() {
        Tensor x = leaf(6, 2, 3, 7), gamma = leaf(7, 7), beta = leaf(8, 7);
        GradCheck.check(be, List.of(x, gamma, beta), tape -> GradCheck.weighted(tape,
                RowOps.layerNorm(tape, x, gamma, beta, 1e-5f), 9), H, ABS, REL);
    }

    @Test
    void layerNormInputAlsoUsedByAResidualAccumulates() {
        // x feeds the norm and the residual: the two contributions use different betas (one call each)
        Tensor x = leaf(10, 4, 5), gamma = leaf(11, 5), beta = leaf(12, 5);
        GradCheck.check(be, List.of(x, gamma, beta), tape -> GradCheck.weighted(tape,
                Ops.add(tape, x, RowOps.layerNorm(tape, x, gamma, beta, 1e-5f)), 13), H, ABS, REL);
        GradCheck.check(be, List.of(x, gamma, beta), tape -> GradCheck.weighted(tape,
                Ops.add(tape, RowOps.layerNorm(tape, x, gamma, beta, 1e-5f), x), 14), H, ABS, REL);
    }

    @Test
    void embeddingScatterAddsRepeatedIds() {
        Tensor table = leaf(15, 5, 3);
        Tensor ids = Tensor.fromHost(be, new int[]{4, 0, 4, 2, 2, 4}, 2, 3);
        GradCheck.check(be, List.of(table), tape -> GradCheck.weighted(tape, RowOps.embedding(tape, ids, table), 16), H, ABS, REL);
    }

    @Test
    void positionsBroadcastOverTheBatchFromASliceOfTheirTable() {
        Tensor x = leaf(17, 3, 4, 2), positions = leaf(18, 6, 2);
        GradCheck.check(be, List.of(x, positions), tape -> GradCheck.weighted(tape,
                RowOps.addBroadcast(tape, x, positions.slice0(0, 4)), 19), H, ABS, REL);
        float[] g = positions.gradToHost();
        for (int i = 8; i < 12; i++) assertEquals(0f, g[i], "rows past the sequence length get no gradient");
        assertThrows(IllegalArgumentException.class, () -> {
            try (Tape tape = Tape.noGrad(new curex.engine.tensor.ExecContext(be))) {
                RowOps.addBroadcast(tape, x, positions);
            }
        });
    }

    @Test
    void scaledScoresOfHeadViewsAndTheHeadMerge() {
        // q, k, v (B, T, d) split into (B, H, T, dh) views; scores scaled by 1/sqrt(dh); merge copies back to (B, T, d)
        int B = 2, T = 3, Hd = 2, dh = 2;
        Tensor q = leaf(20, B, T, Hd * dh), k = leaf(21, B, T, Hd * dh), v = leaf(22, B, T, Hd * dh);
        GradCheck.check(be, List.of(q, k, v), tape -> {
            Tensor qh = q.reshape(B, T, Hd, dh).permute(0, 2, 1, 3), kh = k.reshape(B, T, Hd, dh).permute(0, 2, 1, 3);
            Tensor vh = v.reshape(B, T, Hd, dh).permute(0, 2, 1, 3);
            Tensor p = RowOps.softmax(tape, MatMul.matmul(tape, qh, kh.transposeLast2(), 0.7f), null, 1);
            Tensor merged = Ops.contiguous(tape, MatMul.matmul(tape, p, vh).permute(0, 2, 1, 3)).reshape(B, T, Hd * dh);
            return GradCheck.weighted(tape, merged, 23);
        }, H, ABS, REL);
    }

    @Test
    void selectingTheLastPositionPassesGradientOnlyThere() {
        Tensor x = leaf(24, 3, 4, 2);
        GradCheck.check(be, List.of(x), tape -> GradCheck.weighted(tape, Ops.contiguous(tape, x.select(1, 3)), 25), H, ABS, REL);
        float[] g = x.gradToHost();
        for (int b = 0; b < 3; b++) for (int t = 0; t < 3; t++) assertArrayEquals(new float[2],
                new float[]{g[b * 8 + t * 2], g[b * 8 + t * 2 + 1]});
    }
}
