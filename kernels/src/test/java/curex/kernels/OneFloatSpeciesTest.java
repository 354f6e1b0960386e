// The kernels' float vectors are all of one species, so that C2 never compiles a kernel against another's profile.
package curex.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The JDK's vector methods ({@code FloatVector.intoArray}, {@code fromArray}, ...) keep one type profile for all their
 * callers. When a 128-bit copy in A's packing was the first to fill it, C2 compiled the 4 x 2 micro-kernel with
 * its stores left as calls, its accumulators boxed, and the weight-gradient products ran at 2.5 instead of ~40
 * GFLOP/s, in about half of the runs. Half-width (256-bit) vectors in attention's value products for heads of 8 floats
 * did it every time: a JVM that ran that attention for three seconds before its first products ran them at 13-18
 * GFLOP/s, against 76-94 with the products first (four runs each). So the kernels name no float species but the
 * preferred one (through {@link GemmMicroKernel#S} and {@link VectorMath#F}); an integer species for integer data is
 * another class and allowed.
 */
class OneFloatSpeciesTest {
    private static final Path SOURCES = Path.of("src/main/java/curex/kernels");
    private static final Pattern FLOAT_SPECIES = Pattern.compile("FloatVector\\.SPECIES_(\\w+)");

    @Test
    void theKernelsNameOnlyThePreferredFloatSpecies() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), "run from the kernels module: " + SOURCES.toAbsolutePath());
        List<String> others = new ArrayList<>();
        int preferred = 0;
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = FLOAT_SPECIES.matcher(lines.get(i));
                    while (m.find()) {
                        if (m.group(1).equals("PREFERRED")) preferred++;
                        else others.add(file.getFileName() + ":" + (i + 1) + ": " + m.group());
                    }
                }
            }
        }
        assertTrue(preferred > 0, "no FloatVector.SPECIES_PREFERRED found: is " + SOURCES + " still the kernels?");
        assertEquals(List.of(), others, "float species other than SPECIES_PREFERRED");
    }
}
