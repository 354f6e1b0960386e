// Shared test fixtures: a small MLP classifier on sparse parity with AdamW, wired as a training run wires it.
package curex.engine.train;

import curex.engine.autograd.Activation;
import curex.engine.data.SparseParity;
import curex.engine.nn.Mlp;
import curex.engine.nn.MlpConfig;
import curex.engine.optim.AdamW;
import curex.engine.tensor.ExecContext;
import curex.kernels.Backend;

/** A complete small training setup; close() frees everything. */
final class TrainingFixtures implements AutoCloseable {
    final ExecContext ctx;
    final Mlp mlp;
    final AdamW opt;
    final TrainStep step;
    final TaskObjective objective;

    TrainingFixtures(Backend be, SparseParity task, long seed, int hidden, int batch, float clip) {
        ctx = new ExecContext(be);
        mlp = Mlp.create(be, MlpConfig.of(Activation.RELU, task.n(), hidden, hidden, task.classes()), seed);
        opt = new AdamW(mlp.parameters(), new AdamW.Config(0.9f, 0.99f, 1e-8f, 0f));
        step = new TrainStep(ctx, opt, clip);
        objective = new TaskObjective(be, mlp, task, batch, seed);
    }

    @Override
    public void close() {
        objective.close();
        step.close();
        opt.close();
        mlp.close();
    }
}
