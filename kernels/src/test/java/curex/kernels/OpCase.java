// One row of the kernel test table: an op's name, the shapes it runs at, and how to run it on a fixture.
package curex.kernels;

import curex.kernels.KernelFixture.Tol;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * {@code run} builds the op's inputs on the fixture (same seed, same numbers on every backend), calls the op
 * and records its outputs with their tolerances. Tolerances, |backend - reference| <= abs + rel |reference|:
 * <ul>
 *   <li>{@link #EXACT}: the same IEEE operation in float (add, mul, compare, copy, counter-based fills).</li>
 *   <li>{@link #FUSED}, 1 ulp: {@code y + a * b} rounded once by fma, where the reference rounds a double
 *       result to float (a second rounding that can differ by 1 ulp).</li>
 *   <li>{@link #TRANSCENDENTAL}, 1e-5 relative + 1e-6 absolute: our float vector exp against Math.exp/tanh
 *       in double, and float row sums of exponentials.</li>
 *   <li>{@link #reduction}: sums kept in float lanes for 4096-element chunks, so 5e-6 of sum|x| (the worst
 *       case of about 70 roundings per lane is 4.2e-6) plus 1 ulp of the result; column sums (biasGrad,
 *       dGamma, dBeta) use the bound sum_r |dOut| as sum|x|, row dots the largest row's sum |x y|.</li>
 *   <li>Stated per entry: log-softmax 1e-5 absolute (float subtraction of the row maximum and of log sum);
 *       layer norm and KL 1e-5 absolute and relative; optimizer steps 4 ulp relative plus about one ulp of the
 *       largest term as absolute (params 2e-7, SGD velocity 5e-7, Adam m 2e-8 and v 1e-8), since float
 *       arithmetic with fma replaces the reference's double; cosine loss 1e-6 absolute (float cos, then
 *       1 - cos) and its coefficients 1e-6 relative (about six float roundings); gemm on {@link ProductCases}.</li>
 * </ul>
 * Backward kernels appear once per beta of {@link #BETAS}: beta 1 and 0.5 on noisy gradients (accumulate,
 * scale and accumulate), beta 0 on NaN-filled ones (overwrite without reading).
 */
public record OpCase(String name, List<int[]> shapes, BiConsumer<KernelFixture, int[]> run) {
    public static final Tol EXACT = Tol.EXACT;
    public static final Tol FUSED = Tol.ulps(1);
    public static final Tol TRANSCENDENTAL = new Tol(1e-6, 1e-5);
    /** The betas every backward kernel of the table runs with. */
    public static final List<Float> BETAS = List.of(1f, 0f, 0.5f);

    public static Tol reduction(double sumAbs) {
        return new Tol(5e-6 * sumAbs, 0x1.0p-23);
    }

    public static final List<int[]> ELEMENTS = List.of(new int[] {1}, new int[] {7}, new int[] {17},
            new int[] {1000}, new int[] {(1 << 17) + 3});
    /** (rows, cols): awkward sizes, then one large matrix. */
    public static final List<int[]> ROWS = List.of(new int[] {1, 1}, new int[] {1, 7}, new int[] {7, 17},
            new int[] {17, 1000}, new int[] {1000, 17}, new int[] {300, 1000});

    /** The largest shape, the one that runs multi-threaded. */
    public int[] largest() {
        return shapes.get(shapes.size() - 1);
    }

    public static String shape(int[] s) {
        return Arrays.toString(s);
    }

    /** " beta=1", " beta=0", " beta=0.5": the suffix of a backward entry's name. */
    public static String beta(float beta) {
        return " beta=" + (beta == (int) beta ? Integer.toString((int) beta) : Float.toString(beta));
    }

    @Override
    public String toString() {
        return name;
    }
}
