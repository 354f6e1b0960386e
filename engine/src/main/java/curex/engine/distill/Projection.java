// A fixed random projection P (dP x dT) of a teacher layer, drawn on the host from a seed.
package curex.engine.distill;

import curex.engine.settings.Choice;
import curex.kernels.CounterRng;

/**
 * The matrix P of one projection stage, row-major (dP, dT), a pure function of (kind, dP, dT, seed): entry i is
 * drawn from {@link CounterRng} counter i (so no backend or thread count changes it). See {@link Kind} for the
 * distributions; {@code orthogonal} orthonormalises Gaussian rows by modified Gram-Schmidt in double
 * precision (a row that collapses is redrawn from further counters), so P P^T = I.
 */
public final class Projection {

    /**
     * Entries of P (dP x dT): {@code gaussian} N(0, 1/dP); {@code rademacher} +-1/sqrt(dP) with equal chance;
     * {@code sparse} (Achlioptas) sqrt(3/dP) times +1 (p 1/6), 0 (p 2/3), -1 (p 1/6); {@code orthogonal}: orthonormal
     * rows (P P^T = I, needs dP <= dT). The first three have entry variance 1/dP; after standardization the scale does
     * not matter.
     */
    public enum Kind {
        GAUSSIAN, RADEMACHER, SPARSE, ORTHOGONAL;

        public static Kind parse(String word) {
            return Choice.parse(Kind.class, "projection kind", word);
        }

        public String id() {
            return Choice.id(this);
        }

        @Override
        public String toString() {
            return id();
        }
    }

    private final Kind kind;
    private final int rows;         // dP
    private final int cols;         // dT
    private final float[] values;   // (dP, dT)

    private Projection(Kind kind, int rows, int cols, float[] values) {
        this.kind = kind;
        this.rows = rows;
        this.cols = cols;
        this.values = values;
    }

    /** Draws P of {@code kind} with {@code dP} rows (the projection dimension) and {@code dT} columns. */
    public static Projection create(Kind kind, int dP, int dT, long seed) {
        if (dP < 1 || dT < 1)
            throw new IllegalArgumentException("projection dimensions must be >= 1, got " + dP + " x " + dT);
        if (kind == Kind.ORTHOGONAL && dP > dT)
            throw new IllegalArgumentException("orthogonal projection rows need dP <= dT: cannot have " + dP
                    + " orthonormal rows in " + dT + " dimensions; use a smaller projection dimension or another kind");
        long n = (long) dP * dT;
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("projection " + dP + " x " + dT + " is too large");
        float[] v = new float[(int) n];
        switch (kind) {
            case GAUSSIAN -> {
                double s = 1 / Math.sqrt(dP);
                for (int i = 0; i < v.length; i++) v[i] = (float) (s * CounterRng.normal(seed, i));
            }
            case RADEMACHER -> {
                float s = (float) (1 / Math.sqrt(dP));
                for (int i = 0; i < v.length; i++) v[i] = (CounterRng.bits(seed, i) & 1) == 0 ? s : -s;
            }
            case SPARSE -> {
                float s = (float) Math.sqrt(3.0 / dP);
                for (int i = 0; i < v.length; i++) {
                    float u = CounterRng.uniform(seed, i) * 6;
                    v[i] = u < 1 ? s : u < 2 ? -s : 0f;
                }
            }
            case ORTHOGONAL -> orthonormalRows(v, dP, dT, seed);
        }
        return new Projection(kind, dP, dT, v);
    }

    private static void orthonormalRows(float[] out, int rows, int cols, long seed) {
        double[][] q = new double[rows][];
        long counter = 0;
        for (int r = 0; r < rows; r++) {
            while (true) {
                double[] row = new double[cols];
                for (int c = 0; c < cols; c++) row[c] = CounterRng.normal(seed, counter++);
                double before = norm(row);
                for (int pass = 0; pass < 2; pass++)     // modified Gram-Schmidt, twice for stability
                    for (int p = 0; p < r; p++) subtractProjection(row, q[p]);
                double after = norm(row);
                if (after > 1e-6 * before && after > 0) {
                    for (int c = 0; c < cols; c++) row[c] /= after;
                    q[r] = row;
                    break;
                }
            }
        }
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) out[r * cols + c] = (float) q[r][c];
    }

    private static void subtractProjection(double[] row, double[] unit) {
        double dot = 0;
        for (int c = 0; c < row.length; c++) dot += row[c] * unit[c];
        for (int c = 0; c < row.length; c++) row[c] -= dot * unit[c];
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s);
    }

    public Kind kind() {
        return kind;
    }

    /** dP: the projection dimension. */
    public int rows() {
        return rows;
    }

    /** dT: the teacher layer's width. */
    public int cols() {
        return cols;
    }

    /** A copy of P, row-major (dP, dT). */
    public float[] toHost() {
        return values.clone();
    }

    float at(int r, int c) {
        return values[r * cols + c];
    }
}
