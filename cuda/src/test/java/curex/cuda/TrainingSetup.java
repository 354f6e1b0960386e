// A model, AdamW, the training step and a task's batches on one backend: what the GPU training tests and timings run.
package curex.cuda;

import curex.engine.autograd.Activation;
import curex.engine.data.ParitySequence;
import curex.engine.data.SparseParity;
import curex.engine.data.Task;
import curex.engine.model.Model;
import curex.engine.nn.MlpConfig;
import curex.engine.nn.TransformerConfig;
import curex.engine.optim.AdamW;
import curex.engine.tensor.ExecContext;
import curex.engine.train.StepResult;
import curex.engine.train.TaskObjective;
import curex.engine.train.TrainStep;
import curex.kernels.Backend;

/** Same seed, same initial weights and batches on every backend (weights come from counter-based fills). */
final class TrainingSetup implements AutoCloseable {
    final Model model;
    private final AdamW opt;
    private final TrainStep step;
    private final TaskObjective objective;
    private final float lr;

    TrainingSetup(Backend be, Task task, Model model, int batch, float lr, float clip, long seed) {
        this.model = model;
        this.lr = lr;
        opt = new AdamW(model.parameters(), new AdamW.Config(0.9f, 0.95f, 1e-8f, 0f));
        step = new TrainStep(new ExecContext(be), opt, clip);
        objective = new TaskObjective(be, model, task, batch, seed);
    }

    /** An MLP n -> hidden -> 2 (ReLU) on sparse parity (n, k). */
    static TrainingSetup mlp(Backend be, int n, int k, int hidden, int batch, float lr, long seed) {
        SparseParity task = new SparseParity(n, k);
        return new TrainingSetup(be, task, MlpConfig.of(Activation.RELU, n, hidden, 2).create(be, seed), batch, lr, 0f,
                seed);
    }

    /** A pre-LN transformer on parity as a sequence (n, k), clipping at 1. */
    static TrainingSetup transformer(Backend be, int n, int k, int layers, int dModel, int heads, int batch, float lr,
                                     long seed) {
        ParitySequence task = new ParitySequence(n, k);
        TransformerConfig config = TransformerConfig.forTask(task, layers, dModel, heads, 4, TransformerConfig.Norm.PRE);
        return new TrainingSetup(be, task, config.create(be, seed), batch, lr, 1f, seed);
    }

    StepResult step(long s) {
        return step.run(objective, s, lr);
    }

    float[] parameters() {
        return model.parameters().valuesToHost();
    }

    @Override
    public void close() {
        objective.close();
        step.close();
        opt.close();
        model.close();
    }
}
