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
