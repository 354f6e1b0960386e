// One row of the kernel test table: an op's name, the shapes it runs at, and how to run it on a fixture.
package curex.kernels;

import curex.kernels.KernelFixture.Tol;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * {@code run} builds the op's inputs on the fixture (same seed, same numbers on every backend), calls the op
 * and records its outputs with their tolerances. Tolerances, |vector - reference| <= abs + rel |reference|:
 * <ul>
 *   <li>{@link #EXACT}: the same IEEE operation in float (add, mul, compare, copy, counter-based fills).</li>
 *   <li>{@link #FUSED}, 1 ulp: {@code y + a * b} rounded once by fma, where the reference rounds a double
 *       result to float (a second rounding that can differ by 1 ulp).</li>
 *   <li>{@link #TRANSCENDENTAL}, 1e-5 relative + 1e-6 absolute: our float vector exp against Math.exp/tanh
 *       in double, and float row sums of exponentials.</li>
 *   <li>{@link #reduction}: sums kept in float lanes for 4096-element chunks, so 5e-6 of sum|x| (the worst
 *       case of about 70 roundings per lane is 4.2e-6) plus 1 ulp of the result; column sums (biasGrad,
 *       dGamma, dBeta) use the bound sum_r |dOut| as sum|x|.</li>
 *   <li>Stated per entry: log-softmax 1e-5 absolute (float subtraction of the row maximum and of log sum);
 *       layer norm and KL 1e-5 absolute and relative; optimizer steps 4 ulp relative plus about one ulp of the
 *       largest term as absolute (params 2e-7, SGD velocity 5e-7, Adam m 2e-8 and v 1e-8), since float
 *       arithmetic with fma replaces the reference's double; gemm on {@link ProductCases}.</li>
 * </ul>
 */
record OpCase(String name, List<int[]> shapes, BiConsumer<KernelFixture, int[]> run) {
    static final Tol EXACT = Tol.EXACT;
    static final Tol FUSED = Tol.ulps(1);
    static final Tol TRANSCENDENTAL = new Tol(1e-6, 1e-5);

    static Tol reduction(double sumAbs) {
        return new Tol(5e-6 * sumAbs, 0x1.0p-23);
    }

    static final List<int[]> ELEMENTS = List.of(new int[] {1}, new int[] {7}, new int[] {17}, new int[] {1000},
            new int[] {(1 << 17) + 3});
    /** (rows, cols): awkward sizes, then one large matrix. */
    static final List<int[]> ROWS = List.of(new int[] {1, 1}, new int[] {1, 7}, new int[] {7, 17},
            new int[] {17, 1000}, new int[] {1000, 17}, new int[] {300, 1000});

    /** The largest shape, the one that runs multi-threaded. */
    int[] largest() {
        return shapes.get(shapes.size() - 1);
    }

    static String shape(int[] s) {
        return Arrays.toString(s);
    }

    @Override
    public String toString() {
        return name;
    }
}
