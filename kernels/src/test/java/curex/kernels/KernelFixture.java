// Test inputs for one kernel run: seeded host data in guarded, offset spans of a backend, and named outputs.
package curex.kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds a kernel's inputs on one backend from a seed, so that two fixtures with the same seed hand two
 * backends the same numbers. Every span (F32 or I32) sits {@link #BEFORE} elements into its own buffer, with
 * guard values before and after that {@link #checkGuards} verifies no kernel wrote over.
 */
public final class KernelFixture {
    public static final int BEFORE = 3, AFTER = 5;
    private static final float GUARD = -12345.5f;
    private static final int INT_GUARD = -123456789;

    /** How close a backend's value v must be to the reference value r: |v - r| <= abs + rel |r|. */
    public record Tol(double abs, double rel) {
        public static final Tol EXACT = new Tol(0, 0);

        /** k units in the last place of the reference value (plus the smallest subnormal). */
        public static Tol ulps(int k) {
            return new Tol(Float.MIN_VALUE, k * 0x1.0p-23);
        }

        public boolean accepts(float v, float r) {
            if (Float.compare(v, r) == 0 || v == r) return true;
            if (Float.isNaN(v) || Float.isNaN(r) || Float.isInfinite(v) || Float.isInfinite(r)) return false;
            return Math.abs((double) v - r) <= abs + rel * Math.abs(r);
        }
    }

    /** A named result read back from the backend (I32 results as floats), with its tolerance. */
    public record Output(String name, float[] values, Tol tol) {
    }

    public final Backend backend;
    private final SplittableRandom random;
    private final List<Span> spans = new ArrayList<>();
    private final Map<String, Output> outputs = new LinkedHashMap<>();

    public KernelFixture(Backend backend, long seed) {
        this.backend = backend;
        this.random = new SplittableRandom(seed);
    }

    /** Uniform host values in [lo, hi). */
    public float[] uniformHost(int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * (float) random.nextDouble();
        return v;
    }

    /** Whole numbers in [0, limit) as floats: many ties. */
    public float[] integersHost(int n, int limit) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = random.nextInt(limit);
        return v;
    }

    /** Indices in [0, limit). */
    public int[] indicesHost(int n, int limit) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = random.nextInt(limit);
        return v;
    }

    /** Rows of probabilities (each row sums to 1), or their logarithms. */
    public float[] probabilitiesHost(int rows, int cols, boolean log) {
        float[] v = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            double[] e = new double[cols];
            double s = 0;
            for (int c = 0; c < cols; c++) s += e[c] = Math.exp(4 * random.nextDouble() - 2);
            for (int c = 0; c < cols; c++) v[r * cols + c] = (float) (log ? Math.log(e[c] / s) : e[c] / s);
        }
        return v;
    }

    public int nextInt(int limit) {
        return random.nextInt(limit);
    }

    /** A guarded F32 span holding the given values. */
    public Span of(float[] host) {
        Buffer b = backend.allocate(BEFORE + host.length + AFTER);
        float[] all = new float[BEFORE + host.length + AFTER];
        Arrays.fill(all, GUARD);
        System.arraycopy(host, 0, all, BEFORE, host.length);
        backend.copyFromHost(all, 0, b.all());
        Span s = b.span(BEFORE, host.length);
        spans.add(s);
        return s;
    }

    /** A guarded I32 span holding the given values. */
    public Span ofInts(int[] host) {
        Buffer b = backend.allocateInts(BEFORE + host.length + AFTER);
        int[] all = new int[BEFORE + host.length + AFTER];
        Arrays.fill(all, INT_GUARD);
        System.arraycopy(host, 0, all, BEFORE, host.length);
        backend.copyFromHost(all, 0, b.all());
        Span s = b.span(BEFORE, host.length);
        spans.add(s);
        return s;
    }

    public Span uniform(int n, float lo, float hi) {
        return of(uniformHost(n, lo, hi));
    }

    /** A span of values a kernel must overwrite (NaN, so a skipped element shows). */
    public Span garbage(int n) {
        float[] v = new float[n];
        Arrays.fill(v, Float.NaN);
        return of(v);
    }

    /** An I32 span a kernel must overwrite (Integer.MIN_VALUE everywhere). */
    public Span garbageInts(int n) {
        int[] v = new int[n];
        Arrays.fill(v, Integer.MIN_VALUE);
        return ofInts(v);
    }

    /**
     * A gradient span for a backward kernel run with {@code beta}: NaN for beta 0 (it must be overwritten without
     * being read), noise in [-1, 1) otherwise (so that a kernel that overwrites instead of accumulating fails).
     */
    public Span grad(int n, float beta) {
        return beta == 0 ? garbage(n) : uniform(n, -1, 1);
    }

    public Span scalar(float v) {
        return of(new float[] {v});
    }

    public float[] read(Span s) {
        float[] v = new float[s.intLength()];
        backend.copyToHost(s, v, 0);
        return v;
    }

    public int[] readInts(Span s) {
        int[] v = new int[s.intLength()];
        backend.copyToHost(s, v, 0);
        return v;
    }

    /** Records an F32 span's contents as an output. */
    public void out(String name, Span s, Tol tol) {
        outputs.put(name, new Output(name, read(s), tol));
    }

    /** Records an I32 span's contents as an exact output. */
    public void outInts(String name, Span s) {
        int[] v = readInts(s);
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = v[i];
        outputs.put(name, new Output(name, f, Tol.EXACT));
    }

    public Map<String, Output> outputs() {
        return outputs;
    }

    /** Fails when any element around a span changed. */
    public void checkGuards() {
        for (Span s : spans) {
            Span whole = s.buffer().all();
            boolean ints = s.dtype() == DType.I32;
            float[] f = ints ? null : read(whole);
            int[] n = ints ? readInts(whole) : null;
            for (int i = 0; i < whole.intLength(); i++) {
                if (i >= s.offset() && i < s.offset() + s.length()) continue;
                boolean intact = ints ? n[i] == INT_GUARD : Float.compare(f[i], GUARD) == 0;
                if (!intact)
                    throw new AssertionError(backend.name() + " wrote element " + i + " outside span ["
                            + s.offset() + ", " + (s.offset() + s.length()) + "): "
                            + (ints ? Integer.toString(n[i]) : Float.toString(f[i])));
            }
        }
    }

    public static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    public static double sumAbs(float[] v) {
        double s = 0;
        for (float x : v) s += Math.abs(x);
        return s;
    }
}
