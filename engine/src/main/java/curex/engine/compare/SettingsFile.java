// compare-settings.json: written before any run, so a folder is never reused for a different comparison.
package curex.engine.compare;

import curex.engine.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Every setting must match the stored file, except the seed count and the method list: those only choose which
 * runs to make (each run checks its own settings), so a comparison can be extended to more seeds or methods.
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

    /**
     * Refuses {@code dir} with a {@link SettingsMismatchException} when it holds a comparison made with other
     * settings; otherwise (re)writes the current settings there.
     */
    public static void claim(Path dir, Map<String, Object> settings) throws IOException {
        Path file = in(dir);
        if (Files.exists(file)) {
            Map<String, Object> stored = Json.readMap(file);
            List<String> diff = SettingsDiff.differences(experiment(stored), experiment(settings));
            if (!diff.isEmpty()) throw new SettingsMismatchException(dir, diff);
        }
        Files.createDirectories(dir);
        Json.writeAtomic(file, settings);
    }

    private static Map<String, Object> experiment(Map<String, Object> settings) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(settings);
        m.remove(SEEDS);
        m.remove(METHODS);
        return m;
    }
}
