// Views (reshape, slice, transpose) and the gradient bookkeeping of tensors.
package curex.engine.tensor;

import curex.kernels.Backend;
import curex.kernels.Span;
import curex.engine.TestBackends;
import curex.kernels.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorTest {
    private final Backend be = TestBackends.open();

    private static float[] iota(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i;
        return v;
    }

    @Test
    void viewsShareMemory() {
        Tensor t = Tensor.fromHost(be, iota(24), 2, 3, 4);   // (B, T, C)
        Tensor flat = t.reshape(-1, 4);
        assertArrayEquals(new int[]{6, 4}, flat.shape());
        Tensor second = t.slice0(1, 2);
        assertArrayEquals(new int[]{1, 3, 4}, second.shape());
        assertEquals(12f, second.toHost()[0]);
        Tensor tr = flat.slice0(0, 3).transposeLast2();       // (4, 3) view of rows 0..2
        assertFalse(tr.isContiguous());
        assertArrayEquals(new float[]{0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, tr.toHost());
        second.copyFromHost(new float[12]);                    // writes through to the base
        assertEquals(0f, t.toHost()[20]);
        assertThrows(IllegalStateException.class, tr::span);
        assertThrows(IllegalArgumentException.class, () -> t.reshape(5, -1));
    }

    @Test
    void permuteIsAStridedViewOfTheSameMemory() {
        Tensor t = Tensor.fromHost(be, iota(24), 2, 3, 4);   // (B, T, C)
        Tensor p = t.permute(2, 0, 1);                         // (C, B, T)
        assertArrayEquals(new int[]{4, 2, 3}, p.shape());
        assertArrayEquals(new long[]{1, 12, 4}, p.strides());
        assertFalse(p.isContiguous());
        float[] v = p.toHost();
        for (int c = 0; c < 4; c++)
            for (int b = 0; b < 2; b++)
                for (int s = 0; s < 3; s++) assertEquals(b * 12 + s * 4 + c, v[(c * 2 + b) * 3 + s]);
        assertTrue(t.permute(0, 1, 2).isContiguous());
        assertThrows(IllegalArgumentException.class, () -> t.permute(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> t.permute(0, 1));
    }

    @Test
    void intTensorsHoldIdsWithoutGradients() {
        try (Tensor ids = Tensor.fromHost(be, new int[]{3, 1, 4, 1, 5, 9}, 2, 3)) {
            assertEquals(DType.I32, ids.dtype());
            assertFalse(ids.requiresGrad());
            assertArrayEquals(new int[]{4, 1, 5}, new int[]{ids.intsToHost()[2], ids.intsToHost()[3], ids.intsToHost()[4]});
            assertArrayEquals(new int[]{1, 5, 9}, ids.slice0(1, 2).intsToHost());
            assertThrows(IllegalArgumentException.class, () -> ids.copyFromHost(new int[5]));
        }
    }

    @Test
    void leafGradientAllocatedOnDemandAndShared() {
        Tensor t = Tensor.leaf(be, iota(6), 2, 3);
        assertTrue(t.requiresGrad());
        assertArrayEquals(new float[6], t.gradToHost());
        Tensor row = t.slice0(1, 2);
        be.fill(row.accumulateGrad(), 5f);
        assertArrayEquals(new float[]{0, 0, 0, 5, 5, 5}, t.gradToHost());
        assertEquals(1f, t.overwriteGradBeta());                // leaves always accumulate
    }

    @Test
    void activationGradientStartsStale() {
        var buf = be.allocate(8);
        be.fill(buf.all(), 7f);                                  // garbage left by an earlier step
        GradientSource source = new GradientSource() {          // hands out buf in order, as an arena would
            private long next;

            @Override
            public Span take(long length) {
                Span s = buf.span(next, length);
                next += length;
                return s;
            }

            @Override
            public void give(Span span) {
            }
        };
        Tensor a = Tensor.activation(be.allocate(4).all(), source, 2, 2);
        assertFalse(a.gradReceived());
        Tensor half = a.slice0(0, 1);
        assertEquals(1f, half.overwriteGradBeta());             // partial view: zero-fills, then accumulates
        assertArrayEquals(new float[4], a.gradToHost());
        Tensor b = Tensor.activation(be.allocate(4).all(), source, 4);
        assertEquals(0f, b.overwriteGradBeta());                // whole tensor, first writer: may overwrite
        assertTrue(b.gradReceived());
        assertEquals(1f, b.overwriteGradBeta());                // second writer accumulates
    }
}
