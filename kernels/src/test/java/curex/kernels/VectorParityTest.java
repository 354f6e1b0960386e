// Parity of VectorBackend (1 and 2 threads) with the reference backend over the whole op table.
package curex.kernels;

class VectorParityTest extends BackendParitySuite {
    @Override
    protected Backend open(int threads) {
        return new VectorBackend(threads);
    }
}
