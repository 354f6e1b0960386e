// A batch that repeats (token, position) pairs runs the first block's input work once per pair, with the same results.
package curex.engine.nn;

import curex.engine.GradCheck;
import curex.engine.TestBackends;
import curex.engine.autograd.Ops;
import curex.engine.autograd.Tape;
import curex.engine.loss.Losses;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.kernels.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DistinctPairsTest {
    private static final Backend BE = TestBackends.open();
    private static final int PAD = 5, B = 64, T = 4;   // 256 positions: enough to share

    @BeforeAll
    static void onTheCpu() {
        assumeTrue(BE instanceof CpuBackend, "pairs are shared on CPU backends only");
    }

    @AfterAll
    static void close() {
        BE.close();
    }

    /** B sequences of T tokens in 0..3, the last ones of some sequences padding (MLM) or none padded. */
    private static int[] ids(boolean padded) {
        Random r = new Random(17);
        int[] ids = new int[B * T];
        for (int b = 0; b < B; b++) {
            int real = padded ? T - r.nextInt(2) : T;
            for (int t = 0; t < T; t++) ids[b * T + t] = t < real ? r.nextInt(4) : PAD;
        }
        return ids;
    }

    @Test
    void eachPositionPointsAtItsOwnPairAndEveryPairIsDistinct() {
        int[] ids = ids(true);
        try (Tensor t = Tensor.fromHost(BE, ids, B, T); Tape tape = Tape.noGrad(new ExecContext(BE))) {
            DistinctPairs pairs = DistinctPairs.of(tape, t);
            assertNotNull(pairs);
            int[] tokens = pairs.tokens().intsToHost(), positions = pairs.positions().intsToHost();
            int[] index = pairs.index().intsToHost();
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < ids.length; i++) {
                assertEquals(ids[i], tokens[index[i]], "token of position " + i);
                assertEquals(i % T, positions[index[i]], "index of position " + i);
                seen.add(index[i]);
            }
            assertEquals(tokens.length, seen.size(), "every pair is some position's");
            Set<Integer> keys = new HashSet<>();
            for (int u = 0; u < tokens.length; u++) keys.add(tokens[u] * T + positions[u]);
            assertEquals(tokens.length, keys.size(), "no pair twice");
        }
    }

    @Test
    void smallBatchesAndBatchesWithFewRepeatsAreNotShared() {
        int[] distinct = new int[256];
        for (int i = 0; i < distinct.length; i++) distinct[i] = i % 7;   // 256 positions of one sequence
        try (Tensor small = Tensor.fromHost(BE, Arrays.copyOf(ids(false), 8 * T), 8, T);
             Tensor oneLong = Tensor.fromHost(BE, distinct, 1, 256);
             Tape tape = Tape.noGrad(new ExecContext(BE))) {
            assertNull(DistinctPairs.of(tape, small), "32 positions");
            assertNull(DistinctPairs.of(tape, oneLong), "256 pairs in 256 positions");
        }
    }

    /**
     * The batch (shared pairs) against its sequences one at a time (too few positions to share): every logit and
     * the gradient of a fixed weighting of all logits, summed over the sequences.
     */
    @ParameterizedTest
    @EnumSource(TransformerConfig.Norm.class)
    void sharedPairsGiveEveryLogitAndGradientOfThePlainPath(TransformerConfig.Norm norm) {
        for (TransformerConfig.Head head : TransformerConfig.Head.values()) {
            boolean mlm = head == TransformerConfig.Head.MLM;
            TransformerConfig c = TransformerTest.tiny(norm, head);
            int[] ids = ids(mlm);
            int perSequence = mlm ? T * c.vocabSize() : c.classes();
            float[] weights = GradCheck.values(23, B * perSequence, 0f);
            try (Transformer m = Transformer.create(BE, c, 4)) {
                TransformerTest.randomize(m, 8);
                ExecContext ctx = new ExecContext(BE);
                m.parameters().zeroGrad();
                float[] batchLogits = logitsAndBackward(ctx, m, ids, B, weights);
                float[] batchGrads = m.parameters().gradsToHost();
                m.parameters().zeroGrad();
                for (int b = 0; b < B; b++) {
                    float[] one = logitsAndBackward(ctx, m, Arrays.copyOfRange(ids, b * T, b * T + T), 1,
                            Arrays.copyOfRange(weights, b * perSequence, (b + 1) * perSequence));
                    for (int i = 0; i < perSequence; i++)
                        assertEquals(one[i], batchLogits[b * perSequence + i], 1e-5f,
                                head + " sequence " + b + " logit " + i);
                }
                float[] summed = m.parameters().gradsToHost();   // the per-sequence backwards accumulate
                for (int i = 0; i < summed.length; i++)
                    assertEquals(summed[i], batchGrads[i], 1e-4f + 1e-4f * Math.abs(summed[i]),
                            head + " gradient " + i);
            }
        }
    }

    /** Logits of ids (batch, T); sum(weights * logits) backpropagated into the model's gradients. */
    private static float[] logitsAndBackward(ExecContext ctx, Transformer m, int[] ids, int batch, float[] weights) {
        try (Tensor t = Tensor.fromHost(BE, ids, batch, T); Tape tape = Tape.recording(ctx)) {
            Tensor logits = m.forward(tape, t);
            Tensor w = tape.output(false, logits.shape());
            w.copyFromHost(weights);
            tape.backward(Ops.sum(tape, Ops.mul(tape, logits, w)));
            return logits.toHost();
        }
    }

    @Test
    void gradientsThroughSharedPairsMatchFiniteDifferences() {
        for (TransformerConfig.Head head : TransformerConfig.Head.values()) {
            boolean mlm = head == TransformerConfig.Head.MLM;
            TransformerConfig c = TransformerTest.tiny(TransformerConfig.Norm.PRE, head);
            int[] ids = ids(mlm), labels = new int[mlm ? B * T : B];
            Random r = new Random(5);
            for (int i = 0; i < labels.length; i++)
                labels[i] = mlm && (ids[i] == PAD || r.nextInt(3) > 0) ? -100 : r.nextInt(mlm ? 4 : 2);
            try (Transformer m = Transformer.create(BE, c, 1);
                 Tensor x = Tensor.fromHost(BE, ids, B, T);
                 Tensor y = Tensor.fromHost(BE, labels, labels.length)) {
                TransformerTest.randomize(m, 12);
                Parameters p = m.parameters();
                GradCheck.checkFlat(BE, p.values(), p.grads(),
                        tape -> Losses.crossEntropy(tape, m.forward(tape, x), y, -100), 1e-3f, 3e-3, 2e-2);
            }
        }
    }
}
