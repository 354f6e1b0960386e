// CudaBackend gives the same bits on every run, the CPU's random fills, and the CPU's argument errors: on the GPU.
package curex.cuda;

import curex.kernels.Backend;
import curex.kernels.BackendDeterminismSuite;
import org.junit.jupiter.api.extension.ExtendWith;

/** With one "thread count", two runs on one backend must agree bit for bit. */
@ExtendWith(RequiresCuda.class)
class CudaDeterminismTest extends BackendDeterminismSuite {
    @Override
    protected Backend open(int threads) {
        return new CudaBackend();
    }

    @Override
    protected int[] threadCounts() {
        return new int[] {1};
    }
}
