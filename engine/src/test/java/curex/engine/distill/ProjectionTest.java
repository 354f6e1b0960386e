// Projection kinds: shapes, determinism by seed, the distributions' values and variances, orthonormal rows.
package curex.engine.distill;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProjectionTest {

    @Test
    void shapeAndSeededDeterminism() {
        for (Projection.Kind kind : Projection.Kind.values()) {
            Projection a = Projection.create(kind, 7, 17, 3), b = Projection.create(kind, 7, 17, 3);
            Projection c = Projection.create(kind, 7, 17, 4);
            assertEquals(7, a.rows());
            assertEquals(17, a.cols());
            assertEquals(7 * 17, a.toHost().length);
            assertArrayEquals(a.toHost(), b.toHost(), kind + " must be a function of the seed");
            assertFalse(java.util.Arrays.equals(a.toHost(), c.toHost()), kind + " must change with the seed");
        }
    }

    @Test
    void gaussianEntriesHaveVarianceOneOverDp() {
        int dP = 50, dT = 400;
        float[] p = Projection.create(Projection.Kind.GAUSSIAN, dP, dT, 11).toHost();
        double mean = 0, sq = 0;
        for (float v : p) {
            mean += v;
            sq += (double) v * v;
        }
        mean /= p.length;
        double var = sq / p.length - mean * mean;
        assertEquals(0, mean, 4 * Math.sqrt(1.0 / dP / p.length), "mean");
        assertEquals(1.0 / dP, var, 0.05 / dP, "variance");   // 20000 draws: relative sd of the variance ~1%
    }

    @Test
    void rademacherEntriesArePlusMinusOneOverSqrtDp() {
        int dP = 16;
        float[] p = Projection.create(Projection.Kind.RADEMACHER, dP, 500, 5).toHost();
        float s = (float) (1 / Math.sqrt(dP));
        int plus = 0;
        for (float v : p) {
            assertTrue(v == s || v == -s, "value " + v);
            if (v > 0) plus++;
        }
        assertEquals(0.5, (double) plus / p.length, 0.03);
    }

    @Test
    void sparseEntriesFollowAchlioptas() {
        int dP = 12;
        float[] p = Projection.create(Projection.Kind.SPARSE, dP, 1000, 5).toHost();
        float s = (float) Math.sqrt(3.0 / dP);
        int plus = 0, minus = 0, zero = 0;
        for (float v : p) {
            if (v == s) plus++;
            else if (v == -s) minus++;
            else if (v == 0f) zero++;
            else throw new AssertionError("value " + v);
        }
        assertEquals(1.0 / 6, (double) plus / p.length, 0.015);
        assertEquals(1.0 / 6, (double) minus / p.length, 0.015);
        assertEquals(2.0 / 3, (double) zero / p.length, 0.02);
    }

    @Test
    void orthogonalRowsAreOrthonormal() {
        int dP = 20, dT = 33;
        float[] p = Projection.create(Projection.Kind.ORTHOGONAL, dP, dT, 9).toHost();
        for (int a = 0; a < dP; a++)
            for (int b = 0; b < dP; b++) {
                double dot = 0;
                for (int c = 0; c < dT; c++) dot += (double) p[a * dT + c] * p[b * dT + c];
                assertEquals(a == b ? 1 : 0, dot, 1e-5, "row " + a + " . row " + b);
            }
        Set<Float> distinct = new HashSet<>();
        for (float v : p) distinct.add(v);
        assertTrue(distinct.size() > dP * dT / 2, "orthogonal rows come from Gaussian draws");
        // square: P is an orthogonal matrix
        float[] q = Projection.create(Projection.Kind.ORTHOGONAL, 8, 8, 1).toHost();
        for (int a = 0; a < 8; a++) {
            double dot = 0;
            for (int c = 0; c < 8; c++) dot += (double) q[a * 8 + c] * q[a * 8 + c];
            assertEquals(1, dot, 1e-5);
        }
    }

    @Test
    void orthogonalNeedsNoMoreRowsThanColumns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Projection.create(Projection.Kind.ORTHOGONAL, 10, 8, 1));
        assertTrue(e.getMessage().contains("dP <= dT"), e.getMessage());
    }
}
