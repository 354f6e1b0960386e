// Reproducibility of a backend under test: same seed same numbers, thread-count independence, named argument errors.
package curex.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A backend's results must be the same bits across runs and, when it has several {@link #threadCounts}, for each
 * of them (work split at fixed boundaries, partials combined in a fixed order); random fills must match the
 * reference; arguments that do not fit (shapes, dtypes) raise a {@link ShapeException} naming the op (and, for
 * dtypes, the parameter). Use from any module: {@code class CudaDeterminismTest extends BackendDeterminismSuite
 * { protected Backend open(int threads) { return new CudaBackend(); } protected int[] threadCounts() { return
 * new int[] {1}; } }}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendDeterminismSuite {
    private final Map<Integer, Backend> opened = new TreeMap<>();

    /** A new backend of the kind under test computing on {@code threads} threads (ignored where meaningless). */
    protected abstract Backend open(int threads);

    /** Thread counts whose results must agree bit for bit; one count compares two runs on one backend. */
    protected int[] threadCounts() {
        return new int[] {1, 2};
    }

    private synchronized Backend backend(int threads) {
        return opened.computeIfAbsent(threads, this::open);
    }

    private Backend first() {
        return backend(threadCounts()[0]);
    }

    private Backend last() {
        int[] counts = threadCounts();
        return backend(counts[counts.length - 1]);
    }

    @AfterAll
    void closeBackends() {
        opened.values().forEach(Backend::close);
    }

    Stream<OpCase> largestCases() {
        return OpTable.all().stream();
    }

    /**
     * Every op of the table (all reductions and products included), at its multi-threaded size: the first and the
     * last thread count agree bit for bit. The first run of a kernel is often interpreted and a later one
     * compiled, so this also catches arithmetic that differs between JIT tiers.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("largestCases")
    void everyOpIsBitwiseIndependentOfThreads(OpCase op) {
        Map<String, KernelFixture.Output> one = run(op, op.largest(), first());
        Map<String, KernelFixture.Output> two = run(op, op.largest(), last());
        assertEquals(one.keySet(), two.keySet());
        for (String name : one.keySet())
            assertArrayEquals(one.get(name).values(), two.get(name).values(), op + " " + name + ": threads differ");
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
            float[] c1 = gemm(first(), ta, m, n, k, a, b), c2 = gemm(last(), ta, m, n, k, a, b);
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
                float[] r = fill(ref, n, normal), one = fill(first(), n, normal), two = fill(last(), n, normal);
                assertArrayEquals(r, one, "reference vs first thread count, normal=" + normal);
                assertArrayEquals(r, two, "reference vs last thread count, normal=" + normal);
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
        int threads = threadCounts()[threadCounts().length - 1];
        float[] first = trainingStep(threads, 11), second = trainingStep(threads, 11);
        float[] other = trainingStep(threads, 12);
        assertArrayEquals(first, second);
        assertFalse(java.util.Arrays.equals(first, other));
    }

    /** One step of a one-layer GELU classifier with AdamW on a fresh backend; returns the weights and the loss. */
    private float[] trainingStep(int threads, long seed) {
        int batch = 64, in = 96, classes = 10;
        try (Backend b = open(threads)) {
            Span w = b.allocate(in * classes).all(), x = b.allocate(batch * in).all();
            Span h = b.allocate(batch * classes).all(), a = b.allocate(batch * classes).all();
            Span y = b.allocateInts(batch).all(), loss = b.allocate(1).all(), one = b.allocate(1).all();
            Span dA = b.allocate(batch * classes).all(), dH = b.allocate(batch * classes).all();
            Span dW = b.allocate(in * classes).all(), m = b.allocate(in * classes).all();
            Span v = b.allocate(in * classes).all();
            b.fillNormal(w, 0, 0.1f, seed);
            b.fillUniform(x, -1, 1, seed + 1);
            int[] labels = new int[batch];
            for (int i = 0; i < batch; i++) labels[i] = (i * 7) % classes;
            b.copyFromHost(labels, 0, y);
            b.fill(one, 1f);
            b.gemm(false, false, batch, classes, in, 1f, x, in, w, classes, 0f, h, classes);   // (B, C)
            b.gelu(h, a);
            b.crossEntropy(a, batch, classes, y, -1, loss);
            b.crossEntropyBackward(a, batch, classes, y, -1, one, 0f, dA);
            b.geluBackward(h, dA, 0f, dH);
            ProductGradients.dB(b, false, false, batch, classes, in, x, in, dH, classes, 0f, dW, classes);
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

    Stream<Arguments> badCalls() {
        Backend b = last();
        Span s1 = s(b, 1), s2 = s(b, 2), s6 = s(b, 6), s7 = s(b, 7), s3 = s(b, 3), s4 = s(b, 4);
        Span targets = ints(b, 2), t3 = ints(b, 3), ids2 = ints(b, 2);
        b.copyFromHost(new int[] {9, 9}, 0, targets);   // a class index outside [0, 3)
        long[] dense23 = {3, 1};
        return Stream.of(
                bad("allocate", be -> be.allocate(-1)),
                bad("allocateInts", be -> be.allocateInts(-1)),
                bad("copyFromHost", be -> be.copyFromHost(new float[5], 0, s6)),
                bad("copyFromHost", be -> be.copyFromHost(new int[5], 4, targets.slice(0, 2))),
                bad("copyFromHost", be -> be.copyFromHost(java.lang.foreign.MemorySegment.ofArray(new byte[20]),
                        0, s6)),
                bad("copyToHost", be -> be.copyToHost(s6, new float[6], 1)),
                bad("copyToHost", be -> be.copyToHost(targets, new int[1], 0)),
                bad("copyToHost", be -> be.copyToHost(s6, java.lang.foreign.MemorySegment.ofArray(new byte[24]), 4)),
                bad("gemm", be -> be.gemm(false, false, 2, 3, 2, 1f, s4, 2, s6, 3, 0f, s4, 3)),
                bad("gemmBatched",
                        be -> be.gemmBatched(false, false, 2, 2, 2, 1f, s4, 2, 4, s4, 2, 4, 0f, s4, 2, 4, 2)),
                bad("stridedCopy", be -> be.stridedCopy(new int[] {2, 3}, s6, dense23, s4, dense23, 0f)),
                bad("stridedCopy", be -> be.stridedCopy(new int[] {2, 3}, s6, new long[] {3}, s6, dense23, 0f)),
                bad("stridedCopy", be -> be.stridedCopy(new int[] {2, 3}, s6, new long[] {4, 1}, s6, dense23, 0f)),
                bad("stridedCopy", be -> be.stridedCopy(new int[] {2, 3}, s6, new long[] {3, -1}, s6, dense23, 0f)),
                bad("stridedCopy", be -> be.stridedCopy(new int[] {1, 1, 1, 1, 1, 1, 1}, s1,
                        new long[7], s1, new long[7], 0f)),
                bad("stridedCopy", be -> be.stridedCopy(new int[] {2, 3}, s6, dense23, s6, new long[] {4, 1}, 0f)),
                bad("add", be -> be.add(s6, s7, s6)),
                bad("mul", be -> be.mul(s6, s6, s7)),
                bad("mulBackward", be -> be.mulBackward(s6, s6, s6, 1f, null, s7)),
                bad("mulBackward", be -> be.mulBackward(s6, s6, s6, 0f, s6, s6)),
                bad("scale", be -> be.scale(2f, s6, s7)),
                bad("scaleBackward", be -> be.scaleBackward(2f, s6, 1f, s7)),
                bad("axpy", be -> be.axpy(2f, s6, s7)),
                bad("biasAdd", be -> be.biasAdd(s6, 2, 3, s2, s6)),
                bad("biasGrad", be -> be.biasGrad(s6, 2, 3, 1f, s4)),
                bad("rowDot", be -> be.rowDot(s6, s6, 2, 3, s3)),
                bad("rowScale", be -> be.rowScale(s6, 2, 3, s3, 0f, s6)),
                bad("relu", be -> be.relu(s6, s7)),
                bad("reluBackward", be -> be.reluBackward(s6, s7, 1f, s6)),
                bad("gelu", be -> be.gelu(s7, s6)),
                bad("geluBackward", be -> be.geluBackward(s6, s6, 1f, s7)),
                bad("geluWithDerivative", be -> be.geluWithDerivative(s6, s6, s7)),
                bad("geluWithDerivative", be -> be.geluWithDerivative(s6, s6, s6.buffer().span(2, 6))),
                bad("softmax", be -> be.softmax(s6, 2, 3, s4, 1, s6)),
                bad("softmaxBackward", be -> be.softmaxBackward(s6, s7, 2, 3, 1f, s6)),
                bad("logSoftmax", be -> be.logSoftmax(s7, 2, 3, null, 1, s6)),
                bad("logSoftmaxBackward", be -> be.logSoftmaxBackward(s6, s6, 2, 3, 1f, s7)),
                bad("crossEntropy", be -> be.crossEntropy(s6, 2, 3, t3, -1, s1)),
                bad("crossEntropy", be -> be.crossEntropy(s6, 2, 3, targets, -1, s1)),
                bad("crossEntropyBackward", be -> be.crossEntropyBackward(s6, 2, 3, ids2, -1, s1, 1f, s7)),
                bad("crossEntropyBackward", be -> be.crossEntropyBackward(s6, 2, 3, targets, -1, s1, 1f, s6)),
                bad("mse", be -> be.mse(s6, s7, s1)),
                bad("mseBackward", be -> be.mseBackward(s6, s6, s2, 1f, s6, null)),
                bad("klDiv", be -> be.klDiv(s6, s7, 2, 3, 1f, s1)),
                bad("klDivBackward", be -> be.klDivBackward(s6, s6, 2, 3, 1f, s1, 1f, s7)),
                bad("cosineLoss", be -> be.cosineLoss(s6, 3, 1e-8f, s1)),
                bad("cosineLossBackward", be -> be.cosineLossBackward(s6, 2, 1e-8f, s1, s7)),
                bad("layerNorm", be -> be.layerNorm(s6, 2, 3, s3, s3, 1e-5f, s6, s2, s3)),
                bad("layerNormBackward", be -> be.layerNormBackward(s6, 2, 3, s3, s2, s2, s6, 1f, s6, s4, null)),
                bad("embedding", be -> be.embedding(ids2, s6, 2, 3, s7)),
                bad("embedding", be -> be.embedding(targets, s6, 2, 3, s6)),
                bad("paddingMask", be -> be.paddingMask(ids2, 0, s6)),
                bad("softmax", be -> be.softmax(s6, 2, 3, null, 0, s6)),
                bad("embeddingBackward", be -> be.embeddingBackward(ids2, s6, 2, 3, 1f, s7)),
                bad("embeddingBackward", be -> be.embeddingBackward(targets, s6, 2, 3, 1f, s6)),
                bad("sgdStep", be -> be.sgdStep(s6, s7, null, 0.1f, 0f, 0f)),
                bad("sgdStep", be -> be.sgdStep(s6, s6, null, 0.1f, 0.9f, 0f)),
                bad("adamwStep", be -> be.adamwStep(s6, s6, s6, s7, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 1)),
                bad("sum", be -> be.sum(s6, s2)),
                bad("sumBackward", be -> be.sumBackward(s2, 1f, s6)),
                bad("sumOfSquares", be -> be.sumOfSquares(s6, s2)),
                bad("argmaxRows", be -> be.argmaxRows(s6, 2, 3, t3)),
                bad("copy", be -> be.copy(s6, s7)));
    }

    private static Arguments bad(String op, Consumer<Backend> call) {
        return Arguments.of(op, call);
    }

    private static Span s(Backend b, int n) {
        return b.allocate(n + 2).span(1, n);
    }

    private static Span ints(Backend b, int n) {
        return b.allocateInts(n + 2).span(1, n);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCalls")
    void shapeErrorsNameTheOp(String op, Consumer<Backend> call) {
        ShapeException e = assertThrows(ShapeException.class, () -> call.accept(last()));
        assertTrue(e.getMessage().startsWith(op + ":"), () -> "message should name " + op + ": " + e.getMessage());
    }

    // ---------------------------------------------------------------- dtype errors

    Stream<Arguments> wrongDtypes() {
        Backend b = last();
        Span f2 = s(b, 2), f6 = s(b, 6), f1 = s(b, 1), i2 = ints(b, 2), i6 = ints(b, 6);
        return Stream.of(
                badType("crossEntropy", "targets", be -> be.crossEntropy(f6, 2, 3, f2, -1, f1)),
                badType("crossEntropyBackward", "targets",
                        be -> be.crossEntropyBackward(f6, 2, 3, f2, -1, f1, 1f, f6)),
                badType("crossEntropy", "logits", be -> be.crossEntropy(i6, 2, 3, i2, -1, f1)),
                badType("embedding", "ids", be -> be.embedding(f2, f6, 2, 3, f6)),
                badType("embeddingBackward", "ids", be -> be.embeddingBackward(f2, f6, 2, 3, 1f, f6)),
                badType("embedding", "table", be -> be.embedding(i2, i6, 2, 3, f6)),
                badType("paddingMask", "ids", be -> be.paddingMask(f2, 0, f2)),
                badType("paddingMask", "out", be -> be.paddingMask(i2, 0, i2)),
                badType("argmaxRows", "out", be -> be.argmaxRows(f6, 2, 3, f2)),
                badType("copyFromHost", "dst", be -> be.copyFromHost(new int[2], 0, f2)),
                badType("copyFromHost", "dst", be -> be.copyFromHost(new float[2], 0, i2)),
                badType("copyToHost", "src", be -> be.copyToHost(f2, new int[2], 0)),
                badType("copyToHost", "src", be -> be.copyToHost(i2, new float[2], 0)),
                badType("copy", "dst", be -> be.copy(f2, i2)),
                badType("fill", "dst", be -> be.fill(i2, 1f)),
                badType("fillUniform", "dst", be -> be.fillUniform(i2, 0f, 1f, 1)),
                badType("add", "b", be -> be.add(f2, i2, f2)),
                badType("gemm", "B", be -> be.gemm(false, false, 1, 1, 1, 1f, f1, 1, i2, 1, 0f, f1, 1)),
                badType("reluBackward", "dX", be -> be.reluBackward(f2, f2, 0f, i2)),
                badType("stridedCopy", "src", be -> be.stridedCopy(new int[] {2}, i2, new long[] {1}, f2,
                        new long[] {1}, 0f)),
                badType("sum", "x", be -> be.sum(i2, f1)));
    }

    private static Arguments badType(String op, String parameter, Consumer<Backend> call) {
        return Arguments.of(op, parameter, call);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("wrongDtypes")
    void dtypeErrorsNameTheOpAndParameter(String op, String parameter, Consumer<Backend> call) {
        ShapeException e = assertThrows(ShapeException.class, () -> call.accept(last()));
        assertTrue(e.getMessage().startsWith(op + ":") && e.getMessage().contains(parameter)
                        && (e.getMessage().contains("I32") || e.getMessage().contains("F32")),
                () -> "message should name " + op + ", " + parameter + " and a dtype: " + e.getMessage());
    }
}
