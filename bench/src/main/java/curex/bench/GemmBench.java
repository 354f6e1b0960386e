// JMH throughput of VectorGemm on square and training-step shapes, one and two threads.
package curex.bench;

import curex.kernels.VectorGemm;
import curex.kernels.WorkerPool;
import java.util.SplittableRandom;
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
 * One op = one {@code C = op(A) op(B)} (alpha 1, beta 0) of size {@code MxNxK} with the given transposes
 * ("NT": B stored (N, K), as in {@code x W^T}; "TN": A stored (K, M), as in the weight gradient {@code dY^T X}).
 * Results are in microseconds per op; {@code bench/scripts/gemm_table.py} turns JMH's JSON into GFLOP/s
 * (2MNK / time) beside OpenBLAS. The transposes default to NN; {@code bench/scripts/gemm_bench.sh} also runs the
 * training shapes with the transposes they occur with (NT for {@code x W^T}, TN for weight gradients).
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar GemmBench -f 1 -wi 3 -i 5 -w 1 -r 1 -rf json -rff gemm.json
 * java -jar bench/target/benchmarks.jar GemmBench -p size=256x2000x100 -p transposes=NT -p threads=1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms2g", "-Xmx2g"})
public class GemmBench {
    @Param({"1024x1024x1024", "256x256x256", "512x512x512", "2048x2048x2048",
            "256x2000x100", "256x100x2000", "2000x100x256", "256x1000x100", "1000x100x256"})
    public String size;

    @Param({"1", "2"})
    public String threads;

    @Param({"NN"})
    public String transposes;

    private WorkerPool pool;
    private VectorGemm gemm;
    private int m, n, k;
    private boolean ta, tb;
    private float[] a, b, c;

    @Setup(Level.Trial)
    public void setup() {
        String[] d = size.split("x");
        m = Integer.parseInt(d[0]);
        n = Integer.parseInt(d[1]);
        k = Integer.parseInt(d[2]);
        ta = transposes.charAt(0) == 'T';
        tb = transposes.charAt(1) == 'T';
        SplittableRandom rnd = new SplittableRandom(42);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextDouble(-1, 1);
        pool = new WorkerPool(Integer.parseInt(threads));
        gemm = new VectorGemm(pool);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) pool.close();
    }

    @Benchmark
    public float[] gemm() {
        gemm.gemm(ta, tb, m, n, k, 1f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0f, c, 0, n);
        return c;
    }
}
