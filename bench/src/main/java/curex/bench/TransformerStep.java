// One pre-LN transformer training step at a named benchmark shape: the work TransformerStepBench and StepTurns time.
package curex.bench;

import curex.engine.data.Grammar;
import curex.engine.data.ParitySequence;
import curex.engine.data.PcfgTask;
import curex.engine.data.Task;
import curex.engine.nn.Transformer;
import curex.engine.nn.TransformerConfig;
import curex.engine.optim.AdamW;
import curex.engine.tensor.ExecContext;
import curex.engine.train.TaskObjective;
import curex.engine.train.TrainStep;
import curex.kernels.Backend;
import curex.kernels.VectorBackend;

import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Sample the batch, forward, cross-entropy, backward, gradient clipping (norm 1) and AdamW (lr 3e-3, betas 0.9/0.95),
 * on a {@link VectorBackend} of {@code threads} threads. Shapes:
 * <ul>
 *   <li>{@code parity}: the parity-tf teacher, B=128, T=21, d=128, 4 heads, 2 layers, classifier at the last
 *   token;</li>
 *   <li>{@code pcfg-student} / {@code pcfg-teacher}: masked LM on cfg3b's short strings (roots 16,17,18: up to 74
 *   tokens, each batch padded to its longest), B=64, 4 layers, the published student (d=64, 8 heads) and teacher
 *   (d=256, 32 heads).</li>
 * </ul>
 */
final class TransformerStep implements AutoCloseable {
    /** The shapes {@link #TransformerStep} accepts. */
    static final String SHAPES = "parity, pcfg-student, pcfg-teacher";

    private final String shape;
    private final int threads;
    private final VectorBackend backend;
    private final Transformer model;
    private final TaskObjective objective;
    private final TrainStep step;
    private long stepIndex;

    TransformerStep(String shape, int threads) {
        this(shape, threads, UnaryOperator.identity());
    }

    /** The step on {@code wrap} applied to its {@link VectorBackend} (a timing wrapper, say). */
    TransformerStep(String shape, int threads, UnaryOperator<Backend> wrap) {
        Task task;
        TransformerConfig config;
        int batch;
        switch (shape) {
            case "parity" -> {
                task = new ParitySequence(20, 3);
                config = TransformerConfig.forTask(task, 2, 128, 4, 4, TransformerConfig.Norm.PRE);
                batch = 128;
            }
            case "pcfg-student" -> {
                task = new PcfgTask(Grammar.builtin("cfg3b"), "16", "17", "18");
                config = TransformerConfig.forTask(task, 4, 64, 8, 4, TransformerConfig.Norm.PRE);
                batch = 64;
            }
            case "pcfg-teacher" -> {
                task = new PcfgTask(Grammar.builtin("cfg3b"), "16", "17", "18");
                config = TransformerConfig.forTask(task, 4, 256, 32, 4, TransformerConfig.Norm.PRE);
                batch = 64;
            }
            default -> throw new IllegalArgumentException("unknown shape " + shape + " (" + SHAPES + ")");
        }
        this.shape = shape;
        this.threads = threads;
        this.backend = new VectorBackend(threads);
        Backend runs = wrap.apply(backend);
        this.model = Transformer.create(runs, config, 0);
        this.objective = new TaskObjective(runs, model, task, batch, 0);
        AdamW adamw = new AdamW(model.parameters(), new AdamW.Config(0.9f, 0.95f, 1e-8f, 0f));
        this.step = new TrainStep(new ExecContext(runs), adamw, 1f);
    }

    /** Runs the next step; returns its loss. */
    float run() {
        return step.run(objective, stepIndex++, 3e-3f).loss();
    }

    /** The step's memory: its tape arena and its parameters. */
    String memory() {
        long params = model.parameters().count() * Float.BYTES;
        return String.format(Locale.ROOT, "%s, %d thread(s): tape arena %.1f MB (one step's activations and "
                        + "gradients), parameters %.1f MB (x4 with gradients and AdamW's moments: %.1f MB)", shape,
                threads, step.arena().bytes() / 1e6, params / 1e6, 4 * params / 1e6);
    }

    @Override
    public void close() {
        step.close();
        objective.close();
        model.close();
        backend.close();
    }
}
