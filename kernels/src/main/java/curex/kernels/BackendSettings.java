// How to open a backend: the settings every provider understands.
package curex.kernels;

/**
 * Settings passed to {@link BackendProvider#open}. {@code threads}: worker threads for a CPU backend (the
 * caller's included), at least 1; a backend that has no use for it (a scalar or device backend) ignores it.
 */
public record BackendSettings(int threads) {

    public BackendSettings {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }

    /** Every available processor. */
    public static BackendSettings defaults() {
        return new BackendSettings(Runtime.getRuntime().availableProcessors());
    }
}
