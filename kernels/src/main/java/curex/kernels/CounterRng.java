// Counter-based random numbers: value i depends only on (seed, i), so any thread split gives the same fill.
package curex.kernels;

/** Stateless hashing generator (SplitMix64 finaliser) shared by every backend's random fills. */
public final class CounterRng {
    private CounterRng() {
    }

    /** 64 well-mixed bits for counter {@code i} under {@code seed}. */
    public static long bits(long seed, long i) {
        long z = seed * 0x9E3779B97F4A7C15L + (i + 1) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 24 bits of precision. */
    public static float uniform(long seed, long i) {
        return (bits(seed, i) >>> 40) * 0x1.0p-24f;
    }

    /** Standard normal by Box-Muller over two independent uniforms of counter i. */
    public static float normal(long seed, long i) {
        long b = bits(seed, i);
        double u1 = ((b >>> 40) + 1) * 0x1.0p-24;          // (0, 1]
        double u2 = ((b >>> 16) & 0xFFFFFF) * 0x1.0p-24;   // [0, 1)
        return (float) (Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2));
    }
}
