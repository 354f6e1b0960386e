// Finite-difference gradient checks of every backward kernel of CudaBackend: the kernels module's suite, on the GPU.
package curex.cuda;

import curex.kernels.Backend;
import curex.kernels.BackendGradientSuite;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RequiresCuda.class)
class CudaGradientTest extends BackendGradientSuite {
    @Override
    protected Backend open() {
        return new CudaBackend();
    }
}
