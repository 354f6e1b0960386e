// A run interrupted, saved to a training checkpoint and resumed equals an uninterrupted run bit for bit.
package curex.engine.train;

import curex.engine.TestBackends;
import curex.engine.autograd.Tape;
import curex.engine.checkpoint.TrainingCheckpoint;
import curex.engine.data.SparseParity;
import curex.engine.optim.LrSchedule;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ResumeTest {
    private final Backend be = TestBackends.open();
    private final SparseParity task = new SparseParity(10, 3);
    private final LrSchedule lr = LrSchedule.warmupCosine(1e-2f, 5, 40, 1e-3f);

    private Trainer trainer(TrainingFixtures f, long maxSteps) {
        // a staged run: layers 1..2 only for the first 12 steps, then everything
        Objective staged = new Objective() {
            @Override
            public Tensor loss(Tape tape, long step) {
                return f.objective.loss(tape, step);
            }

            @Override
            public int batchSize() {
                return f.objective.batchSize();
            }

            @Override
            public List<ParamGroup> trainable(long step) {
                return List.of(new ParamGroup(f.opt, step < 12 ? f.mlp.layersRange(2) : f.mlp.layersRange(3)));
            }
        };
        return new Trainer(f.step, staged, lr, maxSteps);
    }

    @Test
    void resumedRunMatchesUninterrupted(@TempDir Path dir) throws Exception {
        float[] straight;
        Object straightOpt;
        TrainState straightEnd;
        try (TrainingFixtures f = new TrainingFixtures(be, task, 5, 12, 16, 0.5f)) {
            straightEnd = trainer(f, 40).run(TrainState.start());
            straight = f.mlp.parameters().valuesToHost();
            straightOpt = f.opt.exportState();
        }
        Path ckpt = dir.resolve("run.safetensors");
        try (TrainingFixtures f = new TrainingFixtures(be, task, 5, 12, 16, 0.5f)) {
            TrainState mid = trainer(f, 17).run(TrainState.start());
            TrainingCheckpoint.save(ckpt, f.mlp, f.opt, mid, Map.of("method", "ce"));
        }
        try (TrainingFixtures f = new TrainingFixtures(be, task, 5, 12, 16, 0.5f)) {
            be.fillUniform(f.mlp.parameters().values(), -1, 1, 999);   // other values: the load overwrites them
            TrainState mid = TrainingCheckpoint.load(ckpt, f.mlp, f.opt);
            assertEquals(17, mid.step());
            TrainState end = trainer(f, 40).run(mid);
            assertArrayEquals(straight, f.mlp.parameters().valuesToHost());
            assertEquals(straightOpt, f.opt.exportState());
            assertEquals(straightEnd.flops(), end.flops());
            assertEquals(straightEnd.samples(), end.samples());
        }
    }

    @Test
    void modelFileHoldsOnlyTheModelAndResumeNeedsItsStateFile(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("step-3.safetensors");
        try (TrainingFixtures f = new TrainingFixtures(be, task, 5, 12, 16, 0.5f)) {
            TrainState s = trainer(f, 3).run(TrainState.start());
            TrainingCheckpoint.save(ckpt, f.mlp, f.opt, s, Map.of());
            var model = curex.engine.io.Safetensors.read(ckpt);
            assertEquals(java.util.Set.copyOf(f.mlp.parameters().names()), model.tensors().keySet());
            var state = curex.engine.io.Safetensors.read(TrainingCheckpoint.stateFile(ckpt));
            org.junit.jupiter.api.Assertions.assertTrue(
                    state.tensors().keySet().stream().allMatch(n -> n.startsWith("optimizer.")));
            java.nio.file.Files.delete(TrainingCheckpoint.stateFile(ckpt));
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> TrainingCheckpoint.load(ckpt, f.mlp, f.opt));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("step-3.state.safetensors"),
                    e.getMessage());
        }
    }
}
