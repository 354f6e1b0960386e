// Parity of every Backend op between VectorBackend (1 and 2 threads) and the scalar ReferenceBackend.
package curex.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import curex.kernels.KernelFixture.Output;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs each entry of the op table ({@link ElementwiseCases}, {@link RowCases}, {@link ProductCases}) at every
 * shape on the reference backend and on VectorBackend with 1 and 2 threads, from the same seeded inputs in
 * offset spans with guard zones, and compares every output within the tolerance the entry states; the
 * tolerance classes are described on {@link OpCase}. Shapes cover vector loop tails (1, 7, 17, 1000) and one
 * large input (2^17 + 3 elements, 300x1000, a 48x160x130 product) that takes the multi-threaded paths; below
 * the parallel thresholds a 2-thread backend runs the 1-thread code, so 2 threads run at the large shape only.
 */
class BackendParityTest {
    private static final ReferenceBackend REFERENCE = new ReferenceBackend();
    private static final VectorBackend[] VECTOR = {new VectorBackend(1), new VectorBackend(2)};
    /** Reference outputs per (op, shape), shared by both thread counts. */
    private static final Map<String, Map<String, Output>> EXPECTED = new ConcurrentHashMap<>();

    static List<OpCase> table() {
        return Stream.of(ElementwiseCases.all(), RowCases.all(), ProductCases.all()).flatMap(List::stream).toList();
    }

    static Stream<Arguments> runs() {
        return table().stream().flatMap(c -> c.shapes().stream().flatMap(s -> (s == c.largest() ? Stream.of(1, 2)
                : Stream.of(1)).map(t -> Arguments.of(c, OpCase.shape(s), s, t))));
    }

    @AfterAll
    static void close() {
        for (VectorBackend b : VECTOR) b.close();
    }

    @ParameterizedTest(name = "{0} {1} threads={3}")
    @MethodSource("runs")
    void vectorMatchesReference(OpCase op, String shapeName, int[] shape, int threads) {
        long seed = (op.name() + shapeName).hashCode();
        Map<String, Output> expected = EXPECTED.computeIfAbsent(op.name() + shapeName, key -> {
            KernelFixture ref = new KernelFixture(REFERENCE, seed);
            op.run().accept(ref, shape);
            ref.checkGuards();
            return ref.outputs();
        });
        KernelFixture vec = new KernelFixture(VECTOR[threads - 1], seed);
        op.run().accept(vec, shape);
        vec.checkGuards();
        assertFalse(expected.isEmpty(), "no outputs recorded");
        assertEquals(expected.keySet(), vec.outputs().keySet());
        for (Output want : expected.values()) {
            float[] got = vec.outputs().get(want.name()).values();
            assertEquals(want.values().length, got.length, want.name());
            for (int i = 0; i < got.length; i++)
                if (!want.tol().accepts(got[i], want.values()[i]))
                    fail(op + " " + shapeName + " threads=" + threads + ": " + want.name() + "[" + i + "] = " + got[i]
                            + ", reference " + want.values()[i] + ", tolerance " + want.tol());
        }
    }

    /** The vector exp behind softmax, the losses and GELU: within 2 ulp of Math.exp on [-87, 88]. */
    @Test
    void expIsWithinTwoUlps() {
        int w = VectorMath.W, n = 1 << 12;
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) x[i] = -87f + 175f * i / n;
        for (int i = 0; i < n; i += w)
            VectorMath.exp(jdk.incubator.vector.FloatVector.fromArray(VectorMath.F, x, i)).intoArray(y, i);
        for (int i = 0; i < n; i++) {
            double want = Math.exp(x[i]);
            assertTrue(Math.abs(y[i] - want) <= 2 * Math.ulp((float) want), "exp(" + x[i] + ") = " + y[i]);
        }
        float[] special = new float[(5 + w - 1) / w * w], got = new float[special.length];
        java.util.Arrays.fill(special, Float.NaN);
        special[0] = Float.NEGATIVE_INFINITY;
        special[1] = -100f;
        special[2] = Float.POSITIVE_INFINITY;
        special[3] = 0f;
        for (int i = 0; i < special.length; i += w)
            VectorMath.exp(jdk.incubator.vector.FloatVector.fromArray(VectorMath.F, special, i)).intoArray(got, i);
        assertEquals(0f, got[0]);
        assertEquals(0f, got[1]);   // flushed: below the smallest normal float
        assertEquals(Float.POSITIVE_INFINITY, got[2]);
        assertEquals(1f, got[3]);
        assertTrue(Float.isNaN(got[4]));
    }

    @Test
    void describesItself() {
        assertEquals("vector", VECTOR[1].name());
        assertEquals(2, VECTOR[1].threads());
        assertEquals(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length(), VECTOR[0].vectorWidth());
    }
}
