// Parity of every op of CudaBackend with the reference backend: the kernels module's suite, on the GPU.
package curex.cuda;

import curex.kernels.Backend;
import curex.kernels.BackendParitySuite;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RequiresCuda.class)
class CudaParityTest extends BackendParitySuite {
    @Override
    protected Backend open(int threads) {
        return new CudaBackend();
    }

    @Override
    protected int[] threadCounts() {
        return new int[] {1};
    }
}
