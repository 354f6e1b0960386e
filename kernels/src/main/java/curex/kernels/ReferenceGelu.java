// GELU (tanh form) and its exact derivative in double precision, for the reference backend.
package curex.kernels;

/** {@code gelu(x) = 0.5 x (1 + tanh(u))}, {@code u = sqrt(2/pi) (x + 0.044715 x^3)}. */
final class ReferenceGelu {
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
    private static final double CUBIC = 0.044715;

    private ReferenceGelu() {
    }

    static double value(double x) {
        double u = SQRT_2_OVER_PI * (x + CUBIC * x * x * x);
        return 0.5 * x * (1 + Math.tanh(u));
    }

    /** d/dx of {@link #value}: {@code 0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2)}. */
    static double derivative(double x) {
        double u = SQRT_2_OVER_PI * (x + CUBIC * x * x * x);
        double t = Math.tanh(u);
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * CUBIC * x * x);
    }
}
