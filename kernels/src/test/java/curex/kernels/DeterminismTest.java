// Reproducibility of VectorBackend: same seed same numbers, results independent of threads, named shape errors.
package curex.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * VectorBackend's results must be the same bits for 1 and 2 threads (work is split at fixed boundaries and
 * partials are combined in a fixed order) and across runs; random fills must also match the reference.
 */
class DeterminismTest {
    private static final VectorBackend ONE = new VectorBackend(1), TWO = new VectorBackend(2);

    @AfterAll
    static void close() {
        ONE.close();
        TWO.close();
    }

    static Stream<OpCase> largestCases() {
        return BackendParityTest.table().stream();
    }

    /**
     * Every op of the table (all reductions and products included), at its multi-threaded size: 1 and 2 threads
     * agree bit for bit. The first run of a kernel is often interpreted and a later one compiled, so this also
     * catches arithmetic that differs between JIT tiers.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("largestCases")
    void everyOpIsBitwiseIndependentOfThreads(OpCase op) {
        Map<String, KernelFixture.Output> one = run(op, op.largest(), ONE);
        Map<String, KernelFixture.Output> two = run(op, op.largest(), TWO);
        assertEquals(one.keySet(), two.keySet());
        for (String name : one.keySet())
            assertArrayEquals(one.get(name).values(), two.get(name).values(), op + " " + name + ": 1 vs 2 threads");
    }

    private static Map<String, KernelFixture.Output> run(OpCase op, int[] shape, Backend b) {
        KernelFixture f = new KernelFixture(b, 20240917L);
        op.run().accept(f, shape);
        return f.outputs();
    }

    /** A product large enough to be split across threads in every dimension. */
    @Test
    void largeGemmIsBitwiseIndependentOfThreads() {
        for (boolean ta : new boolean[] {false, true}) {
            int m = 200, n = 300, k = 250;
            float[] a = hostNormal(m * k, 1), b = hostNormal(k * n, 2);
            float[] c1 = gemm(ONE, ta, m, n, k, a, b), c2 = gemm(TWO, ta, m, n, k, a, b);
            assertArrayEquals(c1, c2, "gemm transA=" + ta);
            assertFalse(allZero(c1));
        }
    }

    private static float[] gemm(Backend be, boolean ta, int m, int n, int k, float[] a, float[] b) {
        Span sa = be.allocate(a.length).all(), sb = be.allocate(b.length).all(), sc = be.allocate(m * n).all();
        be.copyFromHost(a, 0, sa);
        be.copyFromHost(b, 0, sb);
        be.gemm(ta, false, m, n, k, 1f, sa, ta ? m : k, sb, n, 0f, sc, n);
        float[] c = new float[m * n];
        be.copyToHost(sc, c, 0);
        return c;
    }

    @Test
    void randomFillsMatchAcrossThreadsAndBackends() {
        int n = (1 << 18) + 5;
        try (ReferenceBackend ref = new ReferenceBackend()) {
            for (boolean normal : new boolean[] {false, true}) {
                float[] r = fill(ref, n, normal), one = fill(ONE, n, normal), two = fill(TWO, n, normal);
                assertArrayEquals(r, one, "reference vs 1 thread, normal=" + normal);
                assertArrayEquals(r, two, "reference vs 2 threads, normal=" + normal);
                double mean = 0;
                for (float v : r) mean += v;
                mean /= n;
                assertEquals(normal ? 0.5 : 0.0, mean, 0.01, "fill looks random around its centre");
            }
        }
    }

    private static float[] fill(Backend b, int n, boolean normal) {
        Span s = b.allocate(n + 3).span(3, n);   // a non-zero offset: element i still depends on i only
        if (normal) b.fillNormal(s, 0.5f, 2f, 77);
        else b.fillUniform(s, -1f, 1f, 77);
        float[] out = new float[n];
        b.copyToHost(s, out, 0);
        return out;
    }

    /** The same seed gives the same training step; another seed gives other numbers. */
    @Test
    void sameSeedSameStep() {
        float[] first = trainingStep(11), second = trainingStep(11), other = trainingStep(12);
        assertArrayEquals(first, second);
        assertFalse(java.util.Arrays.equals(first, other));
    }

    /** One step of a one-layer GELU classifier with AdamW on a fresh 2-thread backend; returns the weights. */
    private static float[] trainingStep(long seed) {
        int batch = 64, in = 96, classes = 10;
        try (VectorBackend b = new VectorBackend(2)) {
            Span w = b.allocate(in * classes).all(), x = b.allocate(batch * in).all();
            Span h = b.allocate(batch * classes).all(), a = b.allocate(batch * classes).all();
            Span y = b.allocate(batch).all(), loss = b.allocate(1).all(), one = b.allocate(1).all();
            Span dA = b.allocate(batch * classes).all(), dH = b.allocate(batch * classes).all();
            Span dW = b.allocate(in * classes).all(), m = b.allocate(in * classes).all();
            Span v = b.allocate(in * classes).all();
            b.fillNormal(w, 0, 0.1f, seed);
            b.fillUniform(x, -1, 1, seed + 1);
            float[] labels = new float[batch];
            for (int i = 0; i < batch; i++) labels[i] = (i * 7) % classes;
            b.copyFromHost(labels, 0, y);
            b.fill(one, 1f);
            b.gemm(false, false, batch, classes, in, 1f, x, in, w, classes, 0f, h, classes);   // (B, C)
            b.gelu(h, a);
            b.crossEntropy(a, batch, classes, y, -1, loss);
            b.crossEntropyBackward(a, batch, classes, y, -1, one, dA);
            b.geluBackward(h, dA, dH);
            b.gemmBackward(false, false, batch, classes, in, x, in, w, classes, dH, classes, null, dW);
            b.adamwStep(w, dW, m, v, 1e-2f, 0.9f, 0.95f, 1e-8f, 0f, 1);
            float[] out = new float[in * classes + 1];
            b.copyToHost(w, out, 0);
            b.copyToHost(loss, out, in * classes);
            return out;
        }
    }

    private static float[] hostNormal(int n, long seed) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = CounterRng.normal(seed, i);
        return v;
    }

    private static boolean allZero(float[] v) {
        for (float x : v) if (x != 0) return false;
        return true;
    }

    // ---------------------------------------------------------------- shape errors

    static Stream<Arguments> badCalls() {
        VectorBackend b = TWO;
        Span s1 = s(b, 1), s2 = s(b, 2), s6 = s(b, 6), s7 = s(b, 7), s12 = s(b, 12), s3 = s(b, 3), s4 = s(b, 4);
        Span targets = s(b, 2);
        b.fill(targets, 9f);    // a class index outside [0, 3)
        List<Arguments> calls = List.of(
                bad("gemm", be -> be.gemm(false, false, 2, 3, 2, 1f, s4, 2, s6, 3, 0f, s4, 3)),
                bad("gemmBatched",
                        be -> be.gemmBatched(false, false, 2, 2, 2, 1f, s4, 2, 4, s4, 2, 4, 0f, s4, 2, 4, 2)),
                bad("gemmBackward", be -> be.gemmBackward(false, false, 2, 2, 2, s4, 2, s4, 2, s4, 2, s3, null)),
                bad("add", be -> be.add(s6, s7, s6)),
                bad("addBackward", be -> be.addBackward(s6, s7, null)),
                bad("mul", be -> be.mul(s6, s6, s7)),
                bad("mulBackward", be -> be.mulBackward(s6, s6, s6, null, s7)),
                bad("scale", be -> be.scale(2f, s6, s7)),
                bad("scaleBackward", be -> be.scaleBackward(2f, s6, s7)),
                bad("axpy", be -> be.axpy(2f, s6, s7)),
                bad("biasAdd", be -> be.biasAdd(s6, 2, 3, s2, s6)),
                bad("biasGrad", be -> be.biasGrad(s6, 2, 3, s4)),
                bad("relu", be -> be.relu(s6, s7)),
                bad("reluBackward", be -> be.reluBackward(s6, s7, s6)),
                bad("gelu", be -> be.gelu(s7, s6)),
                bad("geluBackward", be -> be.geluBackward(s6, s6, s7)),
                bad("softmax", be -> be.softmax(s6, 2, 3, s4, s6)),
                bad("softmaxBackward", be -> be.softmaxBackward(s6, s7, 2, 3, s6)),
                bad("logSoftmax", be -> be.logSoftmax(s7, 2, 3, null, s6)),
                bad("logSoftmaxBackward", be -> be.logSoftmaxBackward(s6, s6, 2, 3, s7)),
                bad("crossEntropy", be -> be.crossEntropy(s6, 2, 3, s3, -1, s1)),
                bad("crossEntropy", be -> be.crossEntropy(s6, 2, 3, targets, -1, s1)),
                bad("crossEntropyBackward", be -> be.crossEntropyBackward(s6, 2, 3, s2, -1, s1, s7)),
                bad("crossEntropyBackward", be -> be.crossEntropyBackward(s6, 2, 3, targets, -1, s1, s6)),
                bad("mse", be -> be.mse(s6, s7, s1)),
                bad("mseBackward", be -> be.mseBackward(s6, s6, s2, s6, null)),
                bad("klDiv", be -> be.klDiv(s6, s7, 2, 3, 1f, s1)),
                bad("klDivBackward", be -> be.klDivBackward(s6, s6, 2, 3, 1f, s1, s7)),
                bad("layerNorm", be -> be.layerNorm(s6, 2, 3, s3, s3, 1e-5f, s6, s2, s3)),
                bad("layerNormBackward", be -> be.layerNormBackward(s6, 2, 3, s3, s2, s2, s6, s6, s4, null)),
                bad("embedding", be -> be.embedding(s2, s6, 2, 3, s7)),
                bad("embedding", be -> be.embedding(targets, s6, 2, 3, s6)),
                bad("embeddingBackward", be -> be.embeddingBackward(s2, s6, 2, 3, s7)),
                bad("embeddingBackward", be -> be.embeddingBackward(targets, s6, 2, 3, s6)),
                bad("sgdStep", be -> be.sgdStep(s6, s7, null, 0.1f, 0f, 0f)),
                bad("sgdStep", be -> be.sgdStep(s6, s6, null, 0.1f, 0.9f, 0f)),
                bad("adamwStep", be -> be.adamwStep(s6, s6, s6, s7, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 1)),
                bad("sum", be -> be.sum(s6, s2)),
                bad("sumBackward", be -> be.sumBackward(s2, s6)),
                bad("sumOfSquares", be -> be.sumOfSquares(s6, s2)),
                bad("max", be -> be.max(s(b, 0), s1)),
                bad("maxBackward", be -> be.maxBackward(s6, s1, s7)),
                bad("argmaxRows", be -> be.argmaxRows(s6, 2, 3, s3)),
                bad("copy", be -> be.copy(s6, s7)));
        return calls.stream();
    }

    private static Arguments bad(String op, Consumer<Backend> call) {
        return Arguments.of(op, call);
    }

    private static Span s(Backend b, int n) {
        return b.allocate(n + 2).span(1, n);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCalls")
    void shapeErrorsNameTheOp(String op, Consumer<Backend> call) {
        ShapeException e = assertThrows(ShapeException.class, () -> call.accept(TWO));
        assertTrue(e.getMessage().startsWith(op + ":"), () -> "message should name " + op + ": " + e.getMessage());
    }
}
