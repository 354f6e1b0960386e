// JMH throughput of one transformer training step (forward, backward, AdamW) at the parity and PCFG shapes.
package curex.bench;

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
 * One op = one training step of a pre-LN transformer ({@link TransformerStep}): sample the batch, forward,
 * cross-entropy, backward, gradient clipping and AdamW (lr 3e-3, betas 0.9/0.95), at the shapes {@code parity}
 * (the parity-tf teacher), {@code pcfg-student} and {@code pcfg-teacher}. Compare with
 * {@code bench/scripts/torch_transformer_step.py}, which times the same step in PyTorch CPU (or run both in turns with
 * {@code bench/scripts/step_turns.py}):
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

    private TransformerStep step;

    @Setup(Level.Trial)
    public void setUp() {
        step = new TransformerStep(shape, threads);
    }

    @Benchmark
    public float trainStep() {
        return step.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.printf("%n# %s%n", step.memory());
        step.close();
    }
}
