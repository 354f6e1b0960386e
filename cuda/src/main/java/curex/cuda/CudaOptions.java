// Options of the CUDA backend that BackendSettings does not carry: TF32 products and the device, from system properties.
package curex.cuda;

/**
 * {@code -Dcurex.cuda.tf32=true} lets cuBLAS run FP32 products on TF32 tensor cores (faster, about 10 bits of
 * mantissa in the products; off by default, so results stay FP32). {@code -Dcurex.cuda.device=N} picks the GPU
 * (default 0). With {@code ./curex}, pass them in {@code CUREX_JAVA_OPTS}.
 */
public record CudaOptions(boolean tf32, int device) {
    public static final String TF32 = "curex.cuda.tf32", DEVICE = "curex.cuda.device";

    public CudaOptions {
        if (device < 0) throw new IllegalArgumentException(DEVICE + " must be >= 0, got " + device);
    }

    /** FP32 products on device 0. */
    public static CudaOptions defaults() {
        return new CudaOptions(false, 0);
    }

    /** From the system properties of this JVM. */
    public static CudaOptions fromSystemProperties() {
        String device = System.getProperty(DEVICE, "0").strip();
        int d;
        try {
            d = Integer.parseInt(device);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(DEVICE + " must be a device number, got '" + device + "'");
        }
        return new CudaOptions(Boolean.parseBoolean(System.getProperty(TF32, "false").strip()), d);
    }
}
