// Runs a comparison for `curex compare` and `curex demo`: opens the backend, runs the plan, returns the result.
package curex.cli;

import curex.engine.compare.Comparison;
import curex.engine.compare.ComparisonPlan;
import curex.engine.compare.ComparisonResult;
import curex.engine.metrics.Progress;
import curex.kernels.Backend;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** The command text recorded in the report is {@code curex <arguments as given>}. */
final class ComparisonLauncher {
    private ComparisonLauncher() {
    }

    static ComparisonResult run(ComparisonPlan plan, Path dir, BackendOptions backendOptions, PrintWriter out,
                                List<String> args) throws IOException {
        String command = "curex " + String.join(" ", args);
        try (Backend backend = backendOptions.open()) {
            out.println("comparing " + plan.methods().stream().map(m -> m.id()).toList() + " on preset "
                    + plan.preset().name() + " (" + plan.preset().description() + "), " + plan.seeds() + " seed(s), "
                    + backend.name() + " backend, " + backend.threads() + " thread(s) -> " + dir);
            out.flush();
            return new Comparison(plan, dir, backend, out, Progress.isInteractive()).run(command);
        }
    }
}
