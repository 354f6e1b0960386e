// Whether a run folder holds a finished run made with given settings (its summary.json records them).
package curex.engine.compare;

import curex.engine.io.Json;
import curex.engine.io.RunLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A run writes summary.json last, with its settings under {@value #SETTINGS}; a folder without it (an interrupted
 * run) or with other settings is not finished and the run is made again from the start.
 */
public final class FinishedRun {
    public static final String SETTINGS = "settings";

    private FinishedRun() {
    }

    /** The run's summary when {@code runDir} holds a finished run with exactly {@code settings}. */
    public static Optional<Map<String, Object>> summary(Path runDir, Map<String, Object> settings) throws IOException {
        Path file = new RunLayout(runDir).summary();
        if (!Files.isRegularFile(file)) return Optional.empty();
        Map<String, Object> summary;
        try {
            summary = Json.readMap(file);
        } catch (IOException e) {
            return Optional.empty();    // a damaged summary: make the run again
        }
        if (!(summary.get(SETTINGS) instanceof Map<?, ?> recorded)) return Optional.empty();
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) recorded;
        return SettingsDiff.same(r, settings) ? Optional.of(summary) : Optional.empty();
    }
}
