// What a comparison produced: every run's outcome, the per-method statistics and the Markdown table.
package curex.engine.compare;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code table} is the main table of report.md (one row per method); an {@code interrupted} comparison (Ctrl-C) has
 * the outcomes of the runs finished so far, no table, and no report written.
 */
public record ComparisonResult(Path dir, List<Outcome> runs, List<MethodStats> stats, String table, boolean interrupted) {

    /** A planned run with the summary it produced; {@code skipped}: finished earlier and not run again. */
    public record Outcome(PlannedRun run, Map<String, Object> summary, boolean skipped) {
        public Outcome {
            summary = Collections.unmodifiableMap(new LinkedHashMap<>(summary));
        }
    }

    public ComparisonResult {
        runs = List.copyOf(runs);
        stats = List.copyOf(stats);
    }

    /** Runs made by this invocation. */
    public List<Outcome> ran() {
        return runs.stream().filter(r -> !r.skipped()).toList();
    }

    /** Runs finished earlier with the same settings and not run again. */
    public List<Outcome> skipped() {
        return runs.stream().filter(Outcome::skipped).toList();
    }
}
