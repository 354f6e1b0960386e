// Test helper: the run folder a process leaves when it is killed right after a step checkpoint.
package curex.cli;

import curex.engine.io.RunLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Made from two runs of the same settings, one with the full budget and one stopped at step N: the full run's
 * config.json with the stopped run's checkpoints (and their resume state) and metrics, as the full run would have left
 * them if killed after step N. The runs must use a constant learning rate, so that their first N steps agree.
 */
final class KilledRun {
    private KilledRun() {
    }

    static Path assemble(Path whole, Path stopped, Path into) throws IOException {
        RunLayout w = new RunLayout(whole), p = new RunLayout(stopped), k = new RunLayout(into);
        Files.createDirectories(k.checkpoints());
        Files.copy(w.config(), k.config());
        Files.copy(p.metrics(), k.metrics());
        try (var files = Files.list(p.checkpoints())) {
            for (Path f : files.toList()) Files.copy(f, k.checkpoints().resolve(f.getFileName()));
        }
        return into;
    }
}
