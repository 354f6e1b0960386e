// Attention over rows of tables against attention over the gathered rows, on the vector and reference backends.
package curex.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link CpuBackend#attentionOfRows} must be attention over the gathered rows: on the vector backend the same bits as
 * its own attention of gathered copies (one and two threads), and within attention's tolerances of the reference
 * backend (whose default gathers, then runs its attention); its backward likewise, for each beta and gradient subset.
 * Shapes: (batch, seq, heads, headDim, table rows), awkward sizes, rows repeated across sequences, masked or not.
 */
class AttentionOfRowsTest {
    private final ReferenceBackend ref = new ReferenceBackend();
    private VectorBackend one, two;

    @BeforeEach
    void open() {
        one = new VectorBackend(1);
        two = new VectorBackend(2);
    }

    @AfterEach
    void close() {
        one.close();
        two.close();
        ref.close();
    }

    @ParameterizedTest(name = "batch={0} seq={1} heads={2} headDim={3} rows={4} masked={5}")
    @CsvSource({"1, 1, 1, 1, 1, false", "2, 5, 3, 4, 3, true", "3, 7, 2, 5, 30, false", "4, 21, 4, 32, 41, true",
            "2, 13, 2, 16, 9, true", "16, 9, 1, 19, 12, false", "5, 6, 2, 8, 4, true"})
    void isAttentionOfTheGatheredRows(int b, int t, int h, int dh, int u, boolean masked) {
        for (VectorBackend vec : new VectorBackend[] {one, two}) {
            Run byRows = new Run(vec, b, t, h, dh, u, masked), gathered = new Run(vec, b, t, h, dh, u, masked);
            Run reference = new Run(ref, b, t, h, dh, u, masked);
            byRows.forwardByRows();
            gathered.forwardGathered();
            reference.forwardByRows();
            assertArrayEquals(gathered.read(gathered.out), byRows.read(byRows.out), "out, " + vec.threads() + " threads");
            assertArrayEquals(gathered.read(gathered.probs), byRows.read(byRows.probs), "probs");
            close("out", reference.read(reference.out), byRows.read(byRows.out), 1e-5);
            close("probs", reference.read(reference.probs), byRows.read(byRows.probs), 1e-5);
            for (float beta : new float[] {0f, 1f, 0.5f})
                for (int wanted = 1; wanted < 8; wanted++) {
                    Span[] r = byRows.backwardByRows(beta, wanted), g = gathered.backwardGathered(beta, wanted);
                    Span[] e = reference.backwardByRows(beta, wanted);
                    for (int i = 0; i < 3; i++) {
                        if (r[i] == null) continue;
                        String what = "d" + "QKV".charAt(i) + " beta " + beta + " wanted " + wanted;
                        assertArrayEquals(gathered.read(g[i]), byRows.read(r[i]), what);
                        close(what, reference.read(e[i]), byRows.read(r[i]), 2e-5);
                    }
                }
            byRows.fixture.checkGuards();
        }
    }

    @Test
    void keysThatAreTheValuesTakeOneGradientSpan() {
        int b = 3, t = 7, h = 2, dh = 5, u = 6, n = b * t * h * dh;
        for (float beta : new float[] {0f, 1f, 0.5f}) {
            Run ref1 = new Run(ref, b, t, h, dh, u, true), vec1 = new Run(two, b, t, h, dh, u, true);
            ref1.forwardByRows();
            vec1.forwardByRows();
            Span rq = ref1.fixture.grad(n, beta), rkv = ref1.fixture.grad(n, beta);
            Span vq = vec1.fixture.grad(n, beta), vkv = vec1.fixture.grad(n, beta);
            ref.attentionOfRowsBackward(ref1.rows, u, ref1.q, ref1.k, ref1.k, ref1.probs, ref1.dOut, b, t, h, dh,
                    ref1.scale, beta, rq, rkv, rkv);
            two.attentionOfRowsBackward(vec1.rows, u, vec1.q, vec1.k, vec1.k, vec1.probs, vec1.dOut, b, t, h, dh,
                    vec1.scale, beta, vq, vkv, vkv);
            close("dQ beta " + beta, ref1.read(rq), vec1.read(vq), 2e-5);
            close("dK + dV beta " + beta, ref1.read(rkv), vec1.read(vkv), 2e-5);
        }
    }

    @Test
    void namesARowOutsideTheTables() {
        Run run = new Run(one, 2, 3, 1, 4, 5, false);
        int[] rows = run.fixture.readInts(run.rows);
        rows[4] = 5;
        Span bad = run.fixture.ofInts(rows);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> one.attentionOfRows(bad, 5,
                run.q, run.k, run.v, null, 2, 3, 1, 4, 0.5f, run.probs, run.out));
        assertTrue(e.getMessage().contains("attentionOfRows") && e.getMessage().contains("5"), e.getMessage());
        ShapeException shape = assertThrows(ShapeException.class, () -> one.attentionOfRows(run.rows, 4, run.q, run.k,
                run.v, null, 2, 3, 1, 4, 0.5f, run.probs, run.out));
        assertTrue(shape.getMessage().contains("q (tableRows"), shape.getMessage());
    }

    /** One backend's inputs: tables (u, d), a row index that repeats rows, upstream gradients, outputs. */
    private static final class Run {
        final CpuBackend be;
        final KernelFixture fixture;
        final int b, t, h, dh, u, d;
        final Span rows, q, k, v, mask, dOut, probs, out;
        final float scale;

        Run(CpuBackend be, int b, int t, int h, int dh, int u, boolean masked) {
            this.be = be;
            this.fixture = new KernelFixture(be, 11);
            this.b = b;
            this.t = t;
            this.h = h;
            this.dh = dh;
            this.u = u;
            this.d = h * dh;
            rows = fixture.ofInts(fixture.indicesHost(b * t, u));
            q = fixture.uniform(u * d, -1, 1);
            k = fixture.uniform(u * d, -1, 1);
            v = fixture.uniform(u * d, -1, 1);
            mask = masked ? AttentionCases.mask(fixture, b, t) : null;
            dOut = fixture.uniform(b * t * d, -1, 1);
            probs = fixture.garbage(b * h * t * t);
            out = fixture.garbage(b * t * d);
            scale = AttentionCases.scale(dh);
        }

        void forwardByRows() {
            be.attentionOfRows(rows, u, q, k, v, mask, b, t, h, dh, scale, probs, out);
        }

        void forwardGathered() {
            be.attention(gather(q), gather(k), gather(v), mask, b, t, h, dh, scale, probs, out);
        }

        /** Gradients (those in the bit set {@code wanted}: 1 dQ, 2 dK, 4 dV) with the same seeded start. */
        Span[] backwardByRows(float beta, int wanted) {
            Span[] g = grads(beta, wanted);
            be.attentionOfRowsBackward(rows, u, q, k, v, probs, dOut, b, t, h, dh, scale, beta, g[0], g[1], g[2]);
            return g;
        }

        Span[] backwardGathered(float beta, int wanted) {
            Span[] g = grads(beta, wanted);
            be.attentionBackward(gather(q), gather(k), gather(v), probs, dOut, b, t, h, dh, scale, beta, g[0], g[1],
                    g[2]);
            return g;
        }

        private Span[] grads(float beta, int wanted) {
            Span[] g = new Span[3];
            for (int i = 0; i < 3; i++) if ((wanted >> i & 1) != 0) g[i] = fixture.grad(b * t * d, beta);
            return g;
        }

        /** The rows gathered into a fresh span (not the fixture's, whose seeded draws must stay in step). */
        private Span gather(Span table) {
            Span gathered = be.allocate((long) b * t * d).all();
            be.embedding(rows, table, u, d, gathered);
            return gathered;
        }

        float[] read(Span s) {
            return fixture.read(s);
        }
    }

    private static void close(String what, float[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++)
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol * (1 + Math.abs(expected[i])),
                    what + "[" + i + "]: reference " + expected[i] + ", by rows " + actual[i]);
    }
}
