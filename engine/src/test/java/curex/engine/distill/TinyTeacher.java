// Test fixture: trains a small parity teacher and writes a run folder as `curex train` would (model + checkpoints).
package curex.engine.distill;

import curex.engine.autograd.Activation;
import curex.engine.checkpoint.ModelCheckpoint;
import curex.engine.checkpoint.TrainingCheckpoint;
import curex.engine.data.SparseParity;
import curex.engine.io.RunLayout;
import curex.engine.nn.Mlp;
import curex.engine.nn.MlpConfig;
import curex.engine.optim.AdamW;
import curex.engine.settings.TrainingSettings;
import curex.engine.tensor.ExecContext;
import curex.engine.train.TaskObjective;
import curex.engine.train.TrainState;
import curex.engine.train.TrainStep;
import curex.kernels.Backend;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Teacher runs for the distillation tests: parity(12, 3) by default, a few hundred AdamW steps. */
final class TinyTeacher {
    static final SparseParity TASK = new SparseParity(12, 3);

    private TinyTeacher() {
    }

    /**
     * Trains an MLP of {@code widths} for {@code steps} steps (batch 64, lr 3e-3, seed 7) and writes
     * {@code dir/model.safetensors} plus {@code dir/checkpoints/step-<N>.safetensors} every {@code checkpointEvery}
     * steps (0: none), with the task in the metadata.
     */
    static RunLayout train(Backend be, Path dir, SparseParity task, int[] widths, long steps, long checkpointEvery)
            throws IOException {
        RunLayout run = new RunLayout(dir);
        int batch = 64;
        try (Mlp mlp = Mlp.create(be, MlpConfig.of(Activation.RELU, widths), 7);
             AdamW opt = new AdamW(mlp.parameters(), new AdamW.Config(0.9f, 0.999f, 1e-8f, 0f));
             TrainStep step = new TrainStep(new ExecContext(be), opt, 0f);
             TaskObjective data = new TaskObjective(be, mlp, task, batch, 7)) {
            for (long s = 0; s < steps; s++) {
                step.run(data, s, 3e-3f);
                if (checkpointEvery > 0 && (s + 1) % checkpointEvery == 0)
                    TrainingCheckpoint.save(run.checkpoint(s + 1), mlp, opt,
                            new TrainState(s + 1, (s + 1) * batch, 0, 0, 0), task.metadata());
            }
            ModelCheckpoint.save(run.model(), mlp, task.metadata());
        }
        return run;
    }

    /** The default: 12 -> 256 -> 2, 300 steps, checkpoints every 100. */
    static RunLayout train(Backend be, Path dir) throws IOException {
        return train(be, dir, TASK, new int[]{12, 256, 2}, 300, 100);
    }

    /** An untrained teacher file (random init from {@code seed}), for shape and statistics tests. */
    static Path randomModel(Backend be, Path file, long seed, int... widths) throws IOException {
        try (Mlp mlp = Mlp.create(be, MlpConfig.of(Activation.RELU, widths), seed)) {
            ModelCheckpoint.save(file, mlp, Map.of());
        }
        return file;
    }

    /** Training settings for students of the distillation tests. */
    static TrainingSettings.Builder student(int batch, long steps) {
        return TrainingSettings.builder().batch(batch).steps(steps);
    }
}
