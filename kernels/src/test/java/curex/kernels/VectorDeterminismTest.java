// Reproducibility of VectorBackend: bitwise the same for 1 and 2 threads and across runs; named argument errors.
package curex.kernels;

class VectorDeterminismTest extends BackendDeterminismSuite {
    @Override
    protected Backend open(int threads) {
        return new VectorBackend(threads);
    }
}
