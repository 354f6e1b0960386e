// The composed attention path (products and softmax of a backend) against the reference kernel.
package curex.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A backend without a fused attention kernel (the GPU backend today) runs {@link ComposedAttention}. Here it runs
 * over the vector backend's products and softmax and must agree with {@link ReferenceAttention} within the
 * tolerances of {@link AttentionCases}, masked, for every gradient and beta 0.5.
 */
class ComposedAttentionTest {
    private final ReferenceBackend ref = new ReferenceBackend();
    private VectorBackend vec;

    @BeforeEach
    void open() {
        vec = new VectorBackend(2);
    }

    @AfterEach
    void close() {
        vec.close();
        ref.close();
    }

    @ParameterizedTest(name = "batch={0} queries={1} seq={2} heads={3} headDim={4}")
    @CsvSource({"1, 1, 1, 1, 1", "3, 7, 7, 2, 5", "4, 21, 21, 4, 32", "4, 1, 21, 4, 32", "3, 5, 7, 2, 5"})
    void agreesWithTheReference(int b, int tq, int t, int h, int dh) {
        int n = b * t * h * dh, nq = b * tq * h * dh, scores = b * h * tq * t;
        KernelFixture rf = new KernelFixture(ref, 7), vf = new KernelFixture(vec, 7);
        Span rMask = AttentionCases.mask(rf, b, t), vMask = AttentionCases.mask(vf, b, t);
        Span[] r = {rf.uniform(nq, -1, 1), rf.uniform(n, -1, 1), rf.uniform(n, -1, 1), rf.uniform(nq, -1, 1)};
        Span[] v = {vf.uniform(nq, -1, 1), vf.uniform(n, -1, 1), vf.uniform(n, -1, 1), vf.uniform(nq, -1, 1)};
        float scale = AttentionCases.scale(dh);
        Span rProbs = rf.garbage(scores), rOut = rf.garbage(nq), vProbs = vf.garbage(scores), vOut = vf.garbage(nq);
        ref.attention(r[0], r[1], r[2], rMask, b, tq, t, h, dh, scale, rProbs, rOut);
        ComposedAttention.forward(vec, v[0], v[1], v[2], vMask, b, tq, t, h, dh, scale, vProbs, vOut);
        close("probs", rf.read(rProbs), vf.read(vProbs), 1e-5);
        close("out", rf.read(rOut), vf.read(vOut), 1e-5);

        Span[] rg = {rf.grad(nq, 0.5f), rf.grad(n, 0.5f), rf.grad(n, 0.5f)};
        Span[] vg = {vf.grad(nq, 0.5f), vf.grad(n, 0.5f), vf.grad(n, 0.5f)};
        ref.attentionBackward(r[0], r[1], r[2], rProbs, r[3], b, tq, t, h, dh, scale, 0.5f, rg[0], rg[1], rg[2]);
        ComposedAttention.backward(vec, v[0], v[1], v[2], vProbs, v[3], b, tq, t, h, dh, scale, 0.5f, vg[0], vg[1],
                vg[2]);
        String[] names = {"dQ", "dK", "dV"};
        for (int i = 0; i < 3; i++) close(names[i], rf.read(rg[i]), vf.read(vg[i]), 2e-5);
    }

    @ParameterizedTest(name = "batch={0} queries={1} seq={2} heads={3} headDim={4}")
    @CsvSource({"3, 7, 7, 2, 5", "4, 1, 21, 4, 32", "3, 4, 21, 1, 16"})
    void addsTheValuesGradientToTheKeysWhenTheyAreOneSpan(int b, int tq, int t, int h, int dh) {
        int n = b * t * h * dh, nq = b * tq * h * dh;
        KernelFixture rf = new KernelFixture(ref, 9), vf = new KernelFixture(vec, 9);
        Span[] r = {rf.uniform(nq, -1, 1), rf.uniform(n, -1, 1), rf.uniform(nq, -1, 1)};
        Span[] v = {vf.uniform(nq, -1, 1), vf.uniform(n, -1, 1), vf.uniform(nq, -1, 1)};
        Span rProbs = rf.of(rf.probabilitiesHost(b * h * tq, t, false));
        Span vProbs = vf.of(vf.probabilitiesHost(b * h * tq, t, false));
        float scale = AttentionCases.scale(dh);
        Span rq = rf.grad(nq, 0.5f), rkv = rf.grad(n, 0.5f), vq = vf.grad(nq, 0.5f), vkv = vf.grad(n, 0.5f);
        ref.attentionBackward(r[0], r[1], r[1], rProbs, r[2], b, tq, t, h, dh, scale, 0.5f, rq, rkv, rkv);
        ComposedAttention.backward(vec, v[0], v[1], v[1], vProbs, v[2], b, tq, t, h, dh, scale, 0.5f, vq, vkv, vkv);
        close("dQ", rf.read(rq), vf.read(vq), 2e-5);
        close("dK + dV", rf.read(rkv), vf.read(vkv), 2e-5);
    }

    private static void close(String what, float[] expected, float[] actual, double tol) {
        for (int i = 0; i < expected.length; i++)
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol * (1 + Math.abs(expected[i])),
                    what + "[" + i + "]: reference " + expected[i] + ", composed " + actual[i]);
    }
}
