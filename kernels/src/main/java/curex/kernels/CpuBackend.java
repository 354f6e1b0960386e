// What only CPU backends expose beyond the Backend contract: their thread count and SIMD width.
package curex.kernels;

/** A backend that computes on the host's cores. */
public interface CpuBackend extends Backend {

    /** Worker threads this backend computes with (the caller's included). */
    int threads();

    /** Float32 lanes per SIMD vector (1 for a scalar backend). */
    int vectorWidth();
}
