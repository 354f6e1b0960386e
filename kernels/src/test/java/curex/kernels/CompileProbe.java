// Runs every entry of the kernel test table once on VectorBackend: the workload KernelsCompileAtEveryTierTest compiles.
package curex.kernels;

/**
 * A main for a child JVM that compiles every method at its first call ({@code -Xcomp}): each entry of
 * {@link OpTable} runs at each of its shapes but the largest (which only adds the multi-threaded paths) on a
 * one-thread {@link VectorBackend}, so that every kernel method is compiled at least once.
 */
public final class CompileProbe {
    private CompileProbe() {
    }

    public static void main(String[] args) {
        try (Backend backend = new VectorBackend(1)) {
            for (OpCase c : OpTable.all())
                for (int[] shape : c.shapes())
                    if (shape != c.largest()) c.run().accept(new KernelFixture(backend, 1), shape);
        }
        System.out.println("probe done");
    }
}
