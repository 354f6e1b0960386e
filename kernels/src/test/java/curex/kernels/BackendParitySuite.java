// Parity of every Backend op of a backend under test (at each of its thread counts) with the scalar ReferenceBackend.
package curex.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import curex.kernels.KernelFixture.Output;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs each entry of the op table ({@link OpTable}) at every shape on the reference backend and on the backend
 * under test, from the same seeded inputs in offset spans with guard zones, and compares every output within the
 * tolerance the entry states (the tolerance classes are described on {@link OpCase}). Shapes cover vector loop
 * tails (1, 7, 17, 1000) and one large input per op that takes multi-threaded paths; the first of
 * {@link #threadCounts} runs every shape, the others the largest shape only (below the parallel thresholds a
 * multi-threaded CPU backend runs its one-thread code).
 *
 * <p>Use from any module: {@code class CudaParityTest extends BackendParitySuite { protected Backend open(int
 * threads) { return new CudaBackend(); } protected int[] threadCounts() { return new int[] {1}; } }}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendParitySuite {
    private final ReferenceBackend reference = new ReferenceBackend();
    private final Map<Integer, Backend> opened = new TreeMap<>();
    /** Reference outputs per (op, shape), shared by every thread count. */
    private final Map<String, Map<String, Output>> expected = new ConcurrentHashMap<>();

    /** A new backend of the kind under test computing on {@code threads} threads (ignored where meaningless). */
    protected abstract Backend open(int threads);

    /** Thread counts to test: the first at every shape, the others at each op's largest shape. */
    protected int[] threadCounts() {
        return new int[] {1, 2};
    }

    private synchronized Backend backend(int threads) {
        return opened.computeIfAbsent(threads, this::open);
    }

    @AfterAll
    void closeBackends() {
        opened.values().forEach(Backend::close);
        reference.close();
    }

    Stream<Arguments> runs() {
        int[] counts = threadCounts();
        return OpTable.all().stream().flatMap(c -> c.shapes().stream().flatMap(s ->
                (s == c.largest() ? IntStream.of(counts).boxed() : Stream.of(counts[0]))
                        .map(t -> Arguments.of(c, OpCase.shape(s), s, t))));
    }

    @ParameterizedTest(name = "{0} {1} threads={3}")
    @MethodSource("runs")
    void matchesReference(OpCase op, String shapeName, int[] shape, int threads) {
        long seed = (op.name() + shapeName).hashCode();
        Map<String, Output> want = expected.computeIfAbsent(op.name() + shapeName, key -> {
            KernelFixture ref = new KernelFixture(reference, seed);
            op.run().accept(ref, shape);
            ref.checkGuards();
            return ref.outputs();
        });
        Backend be = backend(threads);
        KernelFixture got = new KernelFixture(be, seed);
        op.run().accept(got, shape);
        got.checkGuards();
        assertFalse(want.isEmpty(), "no outputs recorded");
        assertEquals(want.keySet(), got.outputs().keySet());
        for (Output w : want.values()) {
            float[] values = got.outputs().get(w.name()).values();
            assertEquals(w.values().length, values.length, w.name());
            for (int i = 0; i < values.length; i++)
                if (!w.tol().accepts(values[i], w.values()[i]))
                    fail(be.name() + " " + op + " " + shapeName + " threads=" + threads + ": " + w.name() + "[" + i
                            + "] = " + values[i] + ", reference " + w.values()[i] + ", tolerance " + w.tol());
        }
    }
}
