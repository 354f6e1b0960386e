// Finite-difference and beta checks of every backward kernel of the reference backend.
package curex.kernels;

class ReferenceGradientTest extends BackendGradientSuite {
    @Override
    protected Backend open() {
        return new ReferenceBackend();
    }
}
