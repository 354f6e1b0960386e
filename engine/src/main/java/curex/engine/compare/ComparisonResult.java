// What a comparison produced: every run's outcome, the per-method statistics and the Markdown table.
package curex.engine.compare;

import java.nio.file.Path;
import java.util.List;

/** {@code table} is the main table of report.md (one row per method). */
public record ComparisonResult(Path dir, List<RunOutcome> runs, List<MethodStats> stats, String table) {

    public ComparisonResult {
        runs = List.copyOf(runs);
        stats = List.copyOf(stats);
    }

    /** Runs made by this invocation. */
    public List<RunOutcome> ran() {
        return runs.stream().filter(r -> !r.skipped()).toList();
    }

    /** Runs finished earlier with the same settings and not run again. */
    public List<RunOutcome> skipped() {
        return runs.stream().filter(RunOutcome::skipped).toList();
    }
}
