// Shared Vector API pieces: the float species, a portable exp, fixed-order sums and the first-maximum search.
package curex.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Building blocks of the vector kernels. Everything here is made of lane operations whose results IEEE 754
 * fixes exactly (add, mul, fma, compare, blend, shifts), so that a kernel gives the same bits whether the JIT
 * has compiled it or not; this is why exp is our own and why lanes are summed in a fixed tree rather than by
 * {@code reduceLanes(ADD)}, whose order is unspecified. Helpers that take or return vectors are small and
 * called from hot loops only, so that C2 inlines them (a vector crossing a call that is not inlined is boxed).
 *
 * <p>Loop tails use a mask made by {@code F.indexInRange} in the loop itself, or a padded copy of the tail,
 * never a mask (or vector) chosen by a branch such as {@code m == null ? v : v.and(m)}: C2 of JDK 25.0.3
 * compiled such merges into code that stops the JVM ("fatal error: DEBUG MESSAGE") once the kernel was hot.
 */
final class VectorMath {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int W = F.length();

    // exp(x) = 2^n e^r, n = round(x / ln 2), r = x - n ln 2 (ln 2 split in two), e^r by a degree-7 polynomial.
    static final float EXP_HI = 88.37626f;     // ln(2^127.5): n <= 127
    static final float EXP_LO = -87.33654f;   // ln(smallest normal float): n >= -126
    private static final float LOG2E = 1.44269504088896341f;
    private static final float ROUND = 12582912f;    // 1.5 * 2^23: adding it rounds to an integer
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
            P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    private VectorMath() {
    }

    /**
     * e^x within 2 ulp for x in [-87.3, 88.3]. Results below the smallest normal float are flushed to 0 and
     * x above ln(2^127.5) gives +inf (true e^x for x in (88.38, 88.72] is finite); NaN stays NaN.
     */
    static FloatVector exp(FloatVector x) {
        return expUpTo88(x).blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_HI));
    }

    /**
     * {@link #exp} for x at most ln(2^127.5) (88.37) or NaN, with the same bits and three operations fewer: what a
     * softmax (x - max &lt;= 0) or a sigmoid (-2|u|) needs. Larger x give garbage.
     */
    static FloatVector expUpTo88(FloatVector x) {
        return expBetween(x.max(EXP_LO)).blend(0f, x.compare(VectorOperators.LT, EXP_LO));
    }

    /**
     * e^x with x first clamped into [-87.3, 88.3] (NaN stays NaN), so that every result is a finite normal float,
     * {@link #exp}'s bits inside that range: for a sigmoid's {@code 1 / (1 + e^x)}, which the clamp leaves right
     * (to within 1e-38) at any x.
     */
    static FloatVector expClamped(FloatVector x) {
        return expBetween(x.max(EXP_LO).min(EXP_HI));
    }

    /** e^x for x in [EXP_LO, EXP_HI] or NaN: the reduction and polynomial of {@link #exp}. */
    private static FloatVector expBetween(FloatVector xc) {
        FloatVector t = xc.fma(LOG2E, ROUND);                         // ROUND + n, n in the low mantissa bits
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), xc);   // exact: n LN2_HI has at most 16 bits
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector y = r.fma(P0, P1).fma(r, FloatVector.broadcast(F, P2)).fma(r, FloatVector.broadcast(F, P3))
                .fma(r, FloatVector.broadcast(F, P4)).fma(r, FloatVector.broadcast(F, P5));
        y = y.fma(r.mul(r), r.add(1f));
        FloatVector pow2 = t.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(pow2);
    }

    /**
     * Sum of v's lanes in a fixed pairwise order. Small, so that C2 inlines it (a vector passed to a call that is not
     * inlined is boxed on every call), but not always: in a caller that has inlined much already, C2 stops at its
     * node-count cutoff, and JDK methods alone (always inlined) are safe there. Such a caller writes these four
     * steps out with the ROTATE shuffles (see VectorLosses.rowSum).
     */
    static float sumLanes(FloatVector v) {
        if (W > 8) v = v.add(v.rearrange(ROTATE_8));   // lane i += lane i + 8, then + 4, + 2, + 1
        if (W > 4) v = v.add(v.rearrange(ROTATE_4));
        if (W > 2) v = v.add(v.rearrange(ROTATE_2));
        if (W > 1) v = v.add(v.rearrange(ROTATE_1));
        return v.lane(0);
    }

    // ROTATE_d moves lane (i + d) mod W to lane i; lane 0 then sums the pairwise tree s[i] += s[i + d], d = W/2 .. 1.
    static final VectorShuffle<Float> ROTATE_8 = rotation(8), ROTATE_4 = rotation(4), ROTATE_2 = rotation(2),
            ROTATE_1 = rotation(1);

    private static VectorShuffle<Float> rotation(int d) {
        return VectorShuffle.fromOp(F, i -> (i + d) % W);
    }

    /** Sum of {@code d[o + i]} for i in [from, to): four float accumulators, then lanes and tail in a fixed order. */
    static double sum(float[] d, int o, int from, int to) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = from;
        for (; i <= to - 4 * W; i += 4 * W) {
            a0 = a0.add(FloatVector.fromArray(F, d, o + i));
            a1 = a1.add(FloatVector.fromArray(F, d, o + i + W));
            a2 = a2.add(FloatVector.fromArray(F, d, o + i + 2 * W));
            a3 = a3.add(FloatVector.fromArray(F, d, o + i + 3 * W));
        }
        for (; i <= to - W; i += W) a0 = a0.add(FloatVector.fromArray(F, d, o + i));
        double s = sumLanes(a0.add(a1).add(a2.add(a3)));
        for (; i < to; i++) s += d[o + i];
        return s;
    }

    /** {@code sum_i x[xo + i] y[yo + i]}, i in [0, n): four fma accumulators, then lanes and tail in a fixed order. */
    static double dot(float[] x, int xo, float[] y, int yo, int n) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i <= n - 4 * W; i += 4 * W) {
            a0 = FloatVector.fromArray(F, x, xo + i).fma(FloatVector.fromArray(F, y, yo + i), a0);
            a1 = FloatVector.fromArray(F, x, xo + i + W).fma(FloatVector.fromArray(F, y, yo + i + W), a1);
            a2 = FloatVector.fromArray(F, x, xo + i + 2 * W).fma(FloatVector.fromArray(F, y, yo + i + 2 * W), a2);
            a3 = FloatVector.fromArray(F, x, xo + i + 3 * W).fma(FloatVector.fromArray(F, y, yo + i + 3 * W), a3);
        }
        for (; i <= n - W; i += W) a0 = FloatVector.fromArray(F, x, xo + i).fma(FloatVector.fromArray(F, y, yo + i), a0);
        double s = sumLanes(a0.add(a1).add(a2.add(a3)));
        for (; i < n; i++) s += (double) x[xo + i] * y[yo + i];
        return s;
    }

    /** Largest of {@code d[o + i]}, i in [0, n), n >= 1, as {@code Math.max} would find it (NaN wins). */
    static float max(float[] d, int o, int n) {
        FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i <= n - W; i += W) m = m.max(FloatVector.fromArray(F, d, o + i));
        float best = m.reduceLanes(VectorOperators.MAX);   // order-free for MAX (up to the sign of zero)
        for (; i < n; i++) best = Math.max(best, d[o + i]);
        return best;
    }

    /**
     * The first i in [from, to) where {@code d[o + i]} is largest, NaN never winning; -1 when every value is
     * NaN. Same answer as a scalar scan with {@code >}.
     */
    static int firstMax(float[] d, int o, int from, int to) {
        FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = from;
        for (; i <= to - W; i += W) {
            FloatVector v = FloatVector.fromArray(F, d, o + i);
            m = m.blend(v, v.compare(VectorOperators.GT, m));       // NaN compares false: ignored
        }
        float best = m.reduceLanes(VectorOperators.MAX);
        for (; i < to; i++) if (d[o + i] > best) best = d[o + i];
        // best is now the largest non-NaN value, or -inf; find its first position (-0 == +0 here, as with >).
        int j = from;
        FloatVector target = FloatVector.broadcast(F, best);
        for (; j <= to - W; j += W) {
            VectorMask<Float> eq = FloatVector.fromArray(F, d, o + j).compare(VectorOperators.EQ, target);
            if (eq.anyTrue()) return j + eq.firstTrue();
        }
        for (; j < to; j++) if (d[o + j] == best) return j;
        return -1;
    }
}
