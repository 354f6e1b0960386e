// What is specific to VectorBackend: its exp and what it says about itself.
package curex.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorBackendTest {

    /** The vector exp behind softmax, the losses and GELU: within 2 ulp of Math.exp on [-87, 88]. */
    @Test
    void expIsWithinTwoUlps() {
        int w = VectorMath.W, n = 1 << 12;
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) x[i] = -87f + 175f * i / n;
        for (int i = 0; i < n; i += w) VectorMath.exp(FloatVector.fromArray(VectorMath.F, x, i)).intoArray(y, i);
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
            VectorMath.exp(FloatVector.fromArray(VectorMath.F, special, i)).intoArray(got, i);
        assertEquals(0f, got[0]);
        assertEquals(0f, got[1]);   // flushed: below the smallest normal float
        assertEquals(Float.POSITIVE_INFINITY, got[2]);
        assertEquals(1f, got[3]);
        assertTrue(Float.isNaN(got[4]));
    }

    /**
     * The training step's GELU ({@code geluWithDerivative}) gives gelu's bits, so that a forward with and without
     * gradients agree; its derivative is exactly 1 and 0 where x is huge or infinite (where x^2 overflows), and NaN
     * stays NaN. Lengths that leave a tail of every size.
     */
    @Test
    void geluWithDerivativeHasGelusBitsAndFiniteTails() {
        try (VectorBackend vb = new VectorBackend(2)) {
            for (int n : new int[] {1, 5, VectorMath.W + 3, 1000, 70_001}) {
                float[] x = new float[n];
                java.util.SplittableRandom rnd = new java.util.SplittableRandom(n);
                for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextGaussian() * (i % 3 == 0 ? 30 : 3));
                float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e20f, -1e20f, -0f,
                        3e38f, -3e38f};
                System.arraycopy(special, 0, x, 0, Math.min(n, special.length));
                Span xs = vb.allocate(n).all(), o = vb.allocate(n).all(), d = vb.allocate(n).all();
                Span plain = vb.allocate(n).all();
                vb.copyFromHost(x, 0, xs);
                vb.gelu(xs, plain);
                vb.geluWithDerivative(xs, o, d);
                float[] want = new float[n], got = new float[n], slope = new float[n];
                vb.copyToHost(plain, want, 0);
                vb.copyToHost(o, got, 0);
                vb.copyToHost(d, slope, 0);
                for (int i = 0; i < n; i++)
                    assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                            "gelu(" + x[i] + ")");
                float[] ends = {Float.NaN, 1f, 0f, 1f, 0f, 0.5f, 1f, 0f};   // gelu' at the special values
                for (int i = 0; i < Math.min(n, special.length); i++)
                    assertEquals(ends[i], slope[i], "gelu'(" + x[i] + ")");
                for (int i = 0; i < n; i++)
                    assertTrue(Float.isNaN(x[i]) || slope[i] >= -0.2f && slope[i] <= 1.2f,
                            "gelu'(" + x[i] + ") = " + slope[i]);
            }
        }
    }

    @Test
    void describesItself() {
        try (VectorBackend one = new VectorBackend(1); VectorBackend two = new VectorBackend(2)) {
            assertEquals("vector", two.name());
            assertEquals(2, two.threads());
            assertEquals(FloatVector.SPECIES_PREFERRED.length(), one.vectorWidth());
            assertEquals(List.of("backend", "threads", "vector width"), List.copyOf(two.describe().keySet()));
            assertEquals("vector", two.describe().get("backend"));
            assertEquals("2", two.describe().get("threads"));
            assertEquals(FloatVector.SPECIES_PREFERRED.length() + " floats", two.describe().get("vector width"));
        }
    }

    /** A strided copy that the vector backend simplifies (size-1 dims, merged rows, a moved inner dim). */
    @Test
    void stridedCopySimplifiesItsShapeWithoutChangingTheResult() {
        int[] shape = {3, 1, 4, 5};
        long[] src = {1, 99, 15, 3}, dst = {20, 7, 5, 1};   // dim 0 innermost in the source
        try (VectorBackend vb = new VectorBackend(2); ReferenceBackend ref = new ReferenceBackend()) {
            float[] want = copy(ref, shape, src, dst), got = copy(vb, shape, src, dst);
            assertEquals(java.util.Arrays.toString(want), java.util.Arrays.toString(got));
        }
    }

    private static float[] copy(Backend be, int[] shape, long[] srcStrides, long[] dstStrides) {
        Span s = be.allocate(60).all(), d = be.allocate(60).all();
        be.fillUniform(s, -1, 1, 5);
        be.stridedCopy(shape, s, srcStrides, d, dstStrides, 0f);
        float[] out = new float[60];
        be.copyToHost(d, out, 0);
        return out;
    }
}
