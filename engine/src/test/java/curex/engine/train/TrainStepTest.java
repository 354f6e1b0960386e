// A training step reuses its arena (no allocation after the first step) and stops cleanly on a NaN loss.
package curex.engine.train;

import curex.engine.autograd.Arena;
import curex.engine.autograd.Tape;
import curex.engine.data.SparseParity;
import curex.engine.loss.Losses;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.engine.TestBackends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainStepTest {
    private final Backend be = TestBackends.open();

    @Test
    void secondStepAllocatesNothing() {
        try (TrainingFixtures f = new TrainingFixtures(be, new SparseParity(12, 2), 1, 16, 8, 1f)) {
            Arena arena = f.step.arena();
            f.step.run(f.objective, 0, 1e-3f);
            long afterFirst = arena.allocations();
            assertTrue(afterFirst > 0);
            for (int s = 1; s < 5; s++) f.step.run(f.objective, s, 1e-3f);
            assertEquals(afterFirst, arena.allocations());
        }
    }

    @Test
    void nanLossStopsBeforeTheUpdate() {
        try (TrainingFixtures f = new TrainingFixtures(be, new SparseParity(12, 2), 2, 16, 8, 0f)) {
            Objective poisoned = new Objective() {
                @Override
                public Tensor loss(Tape tape, long step) {
                    Tensor l = f.objective.loss(tape, step);
                    return step < 3 ? l : Losses.mse(tape, l.reshape(1), nanOf(tape));
                }

                @Override
                public int batchSize() {
                    return 8;
                }
            };
            for (int s = 0; s < 3; s++) f.step.run(poisoned, s, 1e-2f);
            float[] good = f.mlp.parameters().valuesToHost();
            DivergenceException e = assertThrows(DivergenceException.class, () -> f.step.run(poisoned, 3, 1e-2f));
            assertEquals(3, e.step());
            assertTrue(e.getMessage().contains("step 3") && e.getMessage().contains("NaN")
                    && e.getMessage().contains("at step 2"), e.getMessage());
            assertArrayEquals(good, f.mlp.parameters().valuesToHost());
        }
    }

    @Test
    void gradientsWithoutZeroFillEqualZeroedOnes() {
        try (TrainingFixtures f = new TrainingFixtures(be, new SparseParity(12, 2), 3, 16, 8, 0f)) {
            var p = f.mlp.parameters();
            f.step.run(f.objective, 0, 1e-2f);                       // leaves non-zero gradients behind
            Objective hiddenOnly = new Objective() {                  // reaches layer 1 only
                @Override
                public Tensor loss(Tape tape, long step) {
                    f.objective.loss(tape, step);     // a recorded branch the loss does not reach: skipped
                    Tensor h = f.mlp.hidden(tape, f.objective.input(), 1);
                    return Losses.mse(tape, h, zerosLike(tape, h));
                }

                @Override
                public int batchSize() {
                    return 8;
                }
            };
            f.step.run(hiddenOnly, 1, 0f);
            float[] viaStep = p.gradsToHost();
            p.zeroGrad();
            try (Tape tape = Tape.recording(f.ctx)) {
                tape.backward(hiddenOnly.loss(tape, 1));
            }
            assertArrayEquals(p.gradsToHost(), viaStep);
            long layer1 = f.mlp.layersRange(1).to();
            for (int i = 0; i < viaStep.length; i++)
                if (i >= layer1) assertEquals(0f, viaStep[i], "parameter " + i + " beyond layer 1");
        }
    }

    @Test
    void anExplodingLossIsADivergenceEvenWhenFinite() {
        try (TrainingFixtures f = new TrainingFixtures(be, new SparseParity(12, 2), 4, 16, 8, 0f)) {
            Objective exploding = new Objective() {       // the task's loss, times 1e7 from step 2 on
                @Override
                public Tensor loss(Tape tape, long step) {
                    Tensor l = f.objective.loss(tape, step);
                    return step < 2 ? l : curex.engine.autograd.Ops.scale(tape, l, 1e7f);
                }

                @Override
                public int batchSize() {
                    return 8;
                }
            };
            for (int s = 0; s < 2; s++) f.step.run(exploding, s, 1e-3f);
            float[] good = f.mlp.parameters().valuesToHost();
            DivergenceException e = assertThrows(DivergenceException.class, () -> f.step.run(exploding, 2, 1e-3f));
            assertTrue(e.getMessage().contains("times the first loss"), e.getMessage());
            assertArrayEquals(good, f.mlp.parameters().valuesToHost());
        }
    }

    private static Tensor zerosLike(Tape tape, Tensor t) {
        Tensor z = tape.output(false, t.shape());
        tape.backend().fill(z.span(), 0f);
        return z;
    }

    private static Tensor nanOf(Tape tape) {
        Tensor t = tape.output(false, 1);
        t.copyFromHost(new float[]{Float.NaN});
        return t;
    }
}
