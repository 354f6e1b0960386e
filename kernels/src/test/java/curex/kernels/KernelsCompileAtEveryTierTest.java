// Every kernel method compiles at C1's profiling tier: a method C1 gives up on runs with its vectors boxed until C2.
package curex.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * C1 bails out of a method with more live vectors than its register allocator takes ("out of virtual registers in
 * linear scan"), and the method then runs interpreted, its vectors boxed, until C2 compiles it: an eight-row
 * attention value product, or one method holding both of attention's value loops, ran attention 10-20 times slower
 * in most runs. A child JVM compiles every method at its first call at C1's profiling tier ({@code -Xcomp
 * -XX:TieredStopAtLevel=3}) while {@link CompileProbe} runs the kernel test table, and its compilation log
 * ({@code -XX:+PrintCompilation}) must name no kernel method it skipped.
 */
class KernelsCompileAtEveryTierTest {
    @Test
    void noKernelMethodIsSkippedByC1() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(List.of(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Xcomp", "-XX:TieredStopAtLevel=3", "-XX:+PrintCompilation",
                "-cp", System.getProperty("java.class.path"), CompileProbe.class.getName()))
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the probe did not finish");
        assertEquals(0, p.exitValue(), () -> "the probe failed:\n" + tail(log));
        assertTrue(log.contains("probe done"), () -> "the probe did not run the table:\n" + tail(log));
        assertTrue(log.contains("curex.kernels.VectorAttention::mixPairs"),
                "the log names no compiled kernel method: is -XX:+PrintCompilation still the flag?");
        List<String> skipped = log.lines()
                .filter(l -> l.contains("COMPILE SKIPPED") && l.contains("curex.kernels.")).toList();
        assertTrue(skipped.isEmpty(), () -> "C1 skipped kernel methods:\n" + String.join("\n", skipped));
    }

    private static String tail(String log) {
        return log.substring(Math.max(0, log.length() - 4000));
    }
}
