// A failed CUDA, NVRTC or cuBLAS call, with the call's name and the library's name and text for the status.
package curex.cuda;

/** Thrown when a native call returns a status other than success; the message names the call and the error. */
public final class CudaException extends RuntimeException {
    private final String call;
    private final int status;

    public CudaException(String call, int status, String errorName, String errorText) {
        super(format(call, status, errorName, errorText));
        this.call = call;
        this.status = status;
    }

    /** For failures that are not a status code (a missing symbol, a compile error with its log). */
    public CudaException(String message) {
        super(message);
        this.call = "";
        this.status = -1;
    }

    /** "cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (out of memory)"; the status number when the names are unknown. */
    static String format(String call, int status, String errorName, String errorText) {
        String name = errorName == null || errorName.isBlank() ? "error " + status : errorName;
        String text = errorText == null || errorText.isBlank() || errorText.equals(errorName) ? "" : " (" + errorText + ")";
        return call + " failed: " + name + text;
    }

    /** The native function that failed, e.g. "cuLaunchKernel"; empty when no single call failed. */
    public String call() {
        return call;
    }

    /** The status it returned, or -1. */
    public int status() {
        return status;
    }
}
