// JMH throughput of one MLP training step (forward, backward, AdamW) at batch 256, as PyTorch would run it.
package curex.bench;

import curex.engine.autograd.Activation;
import curex.engine.data.SparseParity;
import curex.engine.nn.Mlp;
import curex.engine.nn.MlpConfig;
import curex.engine.optim.AdamW;
import curex.engine.tensor.ExecContext;
import curex.engine.train.TaskObjective;
import curex.engine.train.TrainStep;
import curex.kernels.VectorBackend;
import java.util.concurrent.TimeUnit;
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

/**
 * One op = one training step of an MLP {@code n -> hidden -> 2} on sparse parity: sample the batch, forward,
 * cross-entropy, backward (no gradient for the input), AdamW update. Compare with
 * {@code bench/scripts/torch_train_step.py}, which times the same step in PyTorch CPU.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar TrainStepBench -f 1 -wi 3 -i 5 -w 2 -r 2
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class TrainStepBench {
    @Param({"100"})
    public int n;

    @Param({"1000", "10000"})
    public int hidden;

    @Param({"1", "2"})
    public int threads;

    @Param({"256"})
    public int batch;

    private VectorBackend backend;
    private Mlp model;
    private TaskObjective objective;
    private TrainStep step;
    private long stepIndex;

    @Setup(Level.Trial)
    public void setUp() {
        backend = new VectorBackend(threads);
        model = Mlp.create(backend, MlpConfig.of(Activation.RELU, n, hidden, 2), 0);
        SparseParity task = new SparseParity(n, 6);
        objective = new TaskObjective(backend, model, task, batch, 0);
        step = new TrainStep(new ExecContext(backend), new AdamW(model.parameters(), AdamW.Config.defaults()), 0);
    }

    @Benchmark
    public float trainStep() {
        return step.run(objective, stepIndex++, 1e-3f).loss();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        step.close();
        objective.close();
        model.close();
        backend.close();
    }
}
