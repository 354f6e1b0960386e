// The training loop: a small MLP learns 2-sparse parity; evaluations, listeners and the accuracy target work.
package curex.engine.train;

import curex.engine.data.Batch;
import curex.engine.data.SparseParity;
import curex.engine.optim.LrSchedule;
import curex.kernels.Backend;
import curex.engine.TestBackends;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    private final Backend be = TestBackends.open();

    @Test
    void learnsTwoSparseParity() {
        SparseParity task = new SparseParity(8, 2);
        Batch held = task.heldOut(7, 512);
        List<Long> evalSteps = new ArrayList<>();
        List<Double> accuracies = new ArrayList<>();
        long[] stepsSeen = {0};
        TrainingListener.StopReason[] reason = {null};
        try (TrainingFixtures f = new TrainingFixtures(be, task, 7, 32, 32, 1f);
             HeldOutAccuracy eval = new HeldOutAccuracy(f.ctx.withOwnCounter(), f.mlp, task, held, 200)) {
            double before = eval.evaluate().accuracy();
            Trainer trainer = new Trainer(f.step, f.objective, LrSchedule.constant(1e-2f), 600)
                    .evaluateEvery(100, eval).stopAtAccuracy(0.99)
                    .listener(new TrainingListener() {
                        @Override
                        public void onStep(StepResult r, TrainState s) {
                            stepsSeen[0]++;
                            assertEquals(r.step() + 1, s.step());
                        }

                        @Override
                        public void onEvaluation(EvalResult r, TrainState s, String stage) {
                            evalSteps.add(s.step());
                            accuracies.add(r.accuracy());
                        }

                        @Override
                        public void onEnd(TrainState s, StopReason r) {
                            reason[0] = r;
                        }
                    });
            TrainState end = trainer.run(TrainState.start());
            assertTrue(before < 0.75, "untrained accuracy " + before);
            assertEquals(TrainingListener.StopReason.TARGET_REACHED, reason[0], "accuracies " + accuracies);
            assertTrue(accuracies.getLast() >= 0.99);
            assertEquals(end.step(), evalSteps.getLast());
            assertEquals(end.step(), stepsSeen[0]);
            assertTrue(evalSteps.stream().allMatch(s -> s % 100 == 0));
            assertEquals(end.step() * 32, end.samples());
            // 3 layers, batch 32: forward + weight grads + input grads of layers 2 and 3, per step
            long perStep = 2L * 32 * (2 * (8 * 32 + 32 * 32 + 32 * 2) + 32 * 32 + 32 * 2);
            assertEquals(end.step() * perStep, end.flops());
            assertTrue(end.wallNanos() > 0);
        }
    }
}
