// compare-settings.json: written before any run, so a folder is never reused for a different comparison.
package curex.engine.compare;

import curex.engine.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every setting must match the stored file, the seeds and the methods included: a comparison folder holds one
 * comparison, and its report always describes every run in it (an extended or narrowed comparison goes to a new
 * folder). A folder that holds anything else (a train or distill run, other files) is refused too.
 */
public final class SettingsFile {
    public static final String NAME = "compare-settings.json";
    static final String SEEDS = "seeds";
    static final String METHODS = "methods";

    private SettingsFile() {
    }

    public static Path in(Path dir) {
        return dir.resolve(NAME);
    }

    /** Raised when a comparison folder already holds a comparison made with other settings; names each one. */
    public static final class MismatchException extends IllegalStateException {
        private final List<String> differences;

        MismatchException(Path dir, List<String> differences) {
            super(dir + " holds a comparison made with other settings: " + String.join("; ", differences)
                    + "; choose another --out folder, or delete this one to start afresh");
            this.differences = List.copyOf(differences);
        }

        /** "student.steps (there 8000, now 10000)", one per setting. */
        public List<String> differences() {
            return differences;
        }
    }

    /**
     * Refuses {@code dir} with a {@link MismatchException} when it holds a comparison made with other settings, and with
     * an IllegalStateException when it holds something else; otherwise (re)writes the current settings there.
     */
    public static void claim(Path dir, Map<String, Object> settings) throws IOException {
        check(dir, settings);
        Files.createDirectories(dir);
        Json.writeAtomic(in(dir), settings);
    }

    /** The checks of {@link #claim}, without writing anything. */
    public static void check(Path dir, Map<String, Object> settings) throws IOException {
        Path file = in(dir);
        if (Files.exists(dir) && !Files.isDirectory(dir))
            throw new IllegalStateException(dir + " exists and is not a folder; choose another --out folder");
        if (Files.exists(file)) {
            List<String> diff = SettingsDiff.differences(Json.readMap(file), settings);
            if (!diff.isEmpty()) throw new MismatchException(dir, diff);
        } else if (Files.isDirectory(dir) && !isEmpty(dir)) {
            throw new IllegalStateException(dir + " is not empty and holds no comparison (no " + NAME + "); a comparison "
                    + "needs a folder of its own: choose another --out folder");
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        }
    }
}
