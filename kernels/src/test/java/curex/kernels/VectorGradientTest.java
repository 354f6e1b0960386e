// Finite-difference and beta checks of every backward kernel of VectorBackend.
package curex.kernels;

class VectorGradientTest extends BackendGradientSuite {
    @Override
    protected Backend open() {
        return new VectorBackend(2);
    }
}
