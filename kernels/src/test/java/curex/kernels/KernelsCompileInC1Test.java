// Every kernel method compiles at C1's profiling tier: a method C1 gives up on runs with its vectors boxed until C2.
package curex.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * C1 bails out of a method with more live vectors than its register allocator takes ("out of virtual registers in
 * linear scan"), and the method then runs interpreted, its vectors boxed, until C2 compiles it: an eight-row
 * attention value product, or one method holding both of attention's value loops, ran attention 10-20 times slower
 * in most runs. A child JVM compiles every method at its first call at C1's profiling tier, the one with the most
 * live values ({@code -Xcomp -XX:TieredStopAtLevel=3}), while {@link CompileProbe} runs the kernel test table, and
 * its compilation log ({@code -XX:+PrintCompilation}) must name no kernel method it skipped.
 */
class KernelsCompileInC1Test {
    @Test
    void noKernelMethodIsSkippedByC1(@TempDir Path dir) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java"), logFile = dir.resolve("compilation.log");
        Process p = new ProcessBuilder(List.of(java.toString(), "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Xcomp", "-XX:TieredStopAtLevel=3", "-XX:+PrintCompilation",
                "-cp", System.getProperty("java.class.path"), CompileProbe.class.getName()))
                .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the probe did not finish in 5 minutes");
        }
        String log = Files.readString(logFile, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> "the probe failed:\n" + tail(log));
        assertTrue(log.contains("probe done"), () -> "the probe did not run the table:\n" + tail(log));
        assertTrue(log.contains("curex.kernels.VectorAttention::"),
                "the log names no compiled kernel method: is -XX:+PrintCompilation still the flag?");
        List<String> skipped = log.lines()
                .filter(l -> l.contains("COMPILE SKIPPED") && l.contains("curex.kernels.")).toList();
        assertTrue(skipped.isEmpty(), () -> "C1 skipped kernel methods:\n" + String.join("\n", skipped));
    }

    private static String tail(String log) {
        return log.substring(Math.max(0, log.length() - 4000));
    }
}
