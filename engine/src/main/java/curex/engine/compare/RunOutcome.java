// A planned run with the summary it produced (now, or in an earlier invocation that this one skipped).
package curex.engine.compare;

import java.util.Map;

/** {@code skipped}: the run was finished earlier with the same settings and was not run again. */
public record RunOutcome(PlannedRun run, Map<String, Object> summary, boolean skipped) {

    public RunOutcome {
        summary = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(summary));
    }
}
