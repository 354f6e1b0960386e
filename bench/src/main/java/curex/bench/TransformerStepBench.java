// JMH throughput of one transformer training step (forward, backward, AdamW) at the parity and PCFG shapes.
package curex.bench;

import curex.engine.data.ParitySequence;
import curex.engine.data.PcfgTask;
import curex.engine.data.Grammar;
import curex.engine.data.Task;
import curex.engine.nn.Transformer;
import curex.engine.nn.TransformerConfig;
import curex.engine.optim.AdamW;
import curex.engine.tensor.ExecContext;
import curex.engine.train.TaskObjective;
import curex.engine.train.TrainStep;
import curex.kernels.VectorBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One op = one training step of a pre-LN transformer: sample the batch, forward, cross-entropy, backward, gradient
 * clipping and AdamW (lr 3e-3, betas 0.9/0.95). Shapes ({@code shape}):
 * <ul>
 *   <li>{@code parity}: the parity-tf teacher, B=128, T=21, d=128, 4 heads, 2 layers, classifier at the last token;</li>
 *   <li>{@code pcfg-student} / {@code pcfg-teacher}: masked LM on cfg3b's short strings (roots 16,17,18: up to 74
 *   tokens, each batch padded to its longest), B=64, 4 layers, the published student (d=64, 8 heads) and teacher
 *   (d=256, 32 heads).</li>
 * </ul>
 * Compare with {@code bench/scripts/torch_transformer_step.py}, which times the same step in PyTorch CPU:
 * <pre>
 * bench/run TransformerStepBench -f 1 -wi 3 -i 5 -w 2 -r 2
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class TransformerStepBench {
    @Param({"parity", "pcfg-student", "pcfg-teacher"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private VectorBackend backend;
    private Transformer model;
    private TaskObjective objective;
    private TrainStep step;
    private long stepIndex;

    @Setup(Level.Trial)
    public void setUp() {
        backend = new VectorBackend(threads);
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
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        }
        model = Transformer.create(backend, config, 0);
        objective = new TaskObjective(backend, model, task, batch, 0);
        AdamW adamw = new AdamW(model.parameters(), new AdamW.Config(0.9f, 0.95f, 1e-8f, 0f));
        step = new TrainStep(new ExecContext(backend), adamw, 1f);
    }

    @Benchmark
    public float trainStep() {
        return step.run(objective, stepIndex++, 3e-3f).loss();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        long params = model.parameters().count() * Float.BYTES;
        System.out.printf(java.util.Locale.ROOT, "%n# %s, %d thread(s): tape arena %.1f MB (one step's activations and "
                        + "gradients), parameters %.1f MB (x4 with gradients and AdamW's moments: %.1f MB)%n", shape,
                threads, step.arena().bytes() / 1e6, params / 1e6, 4 * params / 1e6);
        step.close();
        objective.close();
        model.close();
        backend.close();
    }
}
