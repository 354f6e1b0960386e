// Reports the SIMD width the JDK Vector API offers on this machine, without failing when it is absent.
package curex.cli;

/** The preferred float species of {@code jdk.incubator.vector}, if the module was added at launch. */
final class SimdInfo {
    private SimdInfo() {
    }

    /** Float lanes of the preferred species, or 0 when the Vector API module is not available. */
    static int floatLanes() {
        try {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        } catch (LinkageError e) {
            return 0;
        }
    }

    /** e.g. "16 float lanes (512-bit Vector API)". */
    static String describe() {
        int lanes = floatLanes();
        return lanes == 0 ? "Vector API unavailable (launch with --add-modules jdk.incubator.vector)"
                : lanes + " float lanes (" + lanes * 32 + "-bit Vector API)";
    }
}
