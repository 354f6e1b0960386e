// Runs every entry of the kernel test table once on VectorBackend: the workload KernelsCompileInC1Test compiles.
package curex.kernels;

/**
 * A main for a child JVM that compiles every method at its first call ({@code -Xcomp}): each entry of
 * {@link OpTable} runs at each of its shapes on a one-thread {@link VectorBackend}, so that every kernel method is
 * compiled at least once. The largest shapes are left out (they add the multi-threaded paths, and take minutes in
 * this mode), except the products', the one shape that reaches their tiled kernels.
 */
public final class CompileProbe {
    private CompileProbe() {
    }

    public static void main(String[] args) {
        try (Backend backend = new VectorBackend(1)) {
            for (OpCase c : OpTable.all())
                for (int[] shape : c.shapes())
                    if (shape != c.largest() || c.name().startsWith("gemm"))
                        c.run().accept(new KernelFixture(backend, 1), shape);
        }
        System.out.println("probe done");
    }
}
