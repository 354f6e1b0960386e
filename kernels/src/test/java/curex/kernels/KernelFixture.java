// Test inputs for one kernel run: seeded host data in guarded, offset spans of a backend, and named outputs.
package curex.kernels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds a kernel's inputs on one backend from a seed, so that two fixtures with the same seed hand two
 * backends the same numbers. Every span sits {@link #BEFORE} elements into its own buffer, with guard values
 * before and after that {@link #checkGuards} verifies no kernel wrote over.
 */
final class KernelFixture {
    static final int BEFORE = 3, AFTER = 5;
    private static final float GUARD = -12345.5f;

    /** How close a backend's value v must be to the reference value r: |v - r| <= abs + rel |r|. */
    record Tol(double abs, double rel) {
        static final Tol EXACT = new Tol(0, 0);

        /** k units in the last place of the reference value (plus the smallest subnormal). */
        static Tol ulps(int k) {
            return new Tol(Float.MIN_VALUE, k * 0x1.0p-23);
        }

        boolean accepts(float v, float r) {
            if (Float.compare(v, r) == 0 || v == r) return true;
            if (Float.isNaN(v) || Float.isNaN(r) || Float.isInfinite(v) || Float.isInfinite(r)) return false;
            return Math.abs((double) v - r) <= abs + rel * Math.abs(r);
        }
    }

    /** A named result read back from the backend, with the tolerance it is compared under. */
    record Output(String name, float[] values, Tol tol) {
    }

    final Backend backend;
    private final SplittableRandom random;
    private final List<Span> spans = new ArrayList<>();
    private final Map<String, Output> outputs = new LinkedHashMap<>();

    KernelFixture(Backend backend, long seed) {
        this.backend = backend;
        this.random = new SplittableRandom(seed);
    }

    /** Uniform host values in [lo, hi). */
    float[] uniformHost(int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * (float) random.nextDouble();
        return v;
    }

    /** Whole numbers in [0, limit): many ties. */
    float[] integersHost(int n, int limit) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = random.nextInt(limit);
        return v;
    }

    /** Rows of probabilities (each row sums to 1), or their logarithms. */
    float[] probabilitiesHost(int rows, int cols, boolean log) {
        float[] v = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            double[] e = new double[cols];
            double s = 0;
            for (int c = 0; c < cols; c++) s += e[c] = Math.exp(4 * random.nextDouble() - 2);
            for (int c = 0; c < cols; c++) v[r * cols + c] = (float) (log ? Math.log(e[c] / s) : e[c] / s);
        }
        return v;
    }

    int nextInt(int limit) {
        return random.nextInt(limit);
    }

    /** A guarded span holding the given values. */
    Span of(float[] host) {
        Buffer b = backend.allocate(BEFORE + host.length + AFTER);
        float[] all = new float[BEFORE + host.length + AFTER];
        java.util.Arrays.fill(all, GUARD);
        System.arraycopy(host, 0, all, BEFORE, host.length);
        backend.copyFromHost(all, 0, b.all());
        Span s = b.span(BEFORE, host.length);
        spans.add(s);
        return s;
    }

    Span uniform(int n, float lo, float hi) {
        return of(uniformHost(n, lo, hi));
    }

    /** A span of values a kernel must overwrite (NaN, so a skipped element shows). */
    Span garbage(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, Float.NaN);
        return of(v);
    }

    Span scalar(float v) {
        return of(new float[] {v});
    }

    float[] read(Span s) {
        float[] v = new float[s.intLength()];
        backend.copyToHost(s, v, 0);
        return v;
    }

    /** Records a span's contents as an output. */
    void out(String name, Span s, Tol tol) {
        outputs.put(name, new Output(name, read(s), tol));
    }

    Map<String, Output> outputs() {
        return outputs;
    }

    /** Fails when any element around a span changed. */
    void checkGuards() {
        for (Span s : spans) {
            Span whole = s.buffer().all();
            float[] all = new float[whole.intLength()];
            backend.copyToHost(whole, all, 0);
            for (int i = 0; i < all.length; i++) {
                boolean inside = i >= s.offset() && i < s.offset() + s.length();
                if (!inside && Float.compare(all[i], GUARD) != 0)
                    throw new AssertionError(backend.name() + " wrote element " + i + " outside span ["
                            + s.offset() + ", " + (s.offset() + s.length()) + "): " + all[i]);
            }
        }
    }

    static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    static double sumAbs(float[] v) {
        double s = 0;
        for (float x : v) s += Math.abs(x);
        return s;
    }
}
