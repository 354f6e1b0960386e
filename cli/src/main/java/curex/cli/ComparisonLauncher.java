// Runs a comparison for `curex compare` and `curex demo`: opens the backend, runs the plan, prints the table.
package curex.cli;

import curex.engine.compare.Comparison;
import curex.engine.compare.ComparisonPlan;
import curex.engine.compare.Variant;
import curex.engine.compare.ComparisonResult;
import curex.engine.compare.SettingsFile;
import curex.engine.metrics.Progress;
import curex.kernels.Backend;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the folder before opening anything (a folder holding another comparison, or anything else, is a usage
 * error); the command text recorded in the report is {@code curex <arguments as given>}. Ctrl-C stops the run in
 * progress after its current step (it saves itself) and the comparison with exit code 130.
 */
final class ComparisonLauncher {
    private ComparisonLauncher() {
    }

    /** Runs the plan and prints its table; returns the exit code. */
    static int run(ComparisonPlan plan, Path dir, BackendOptions backendOptions, int lanes, CommandLine cl)
            throws IOException {
        return run(plan, dir, backendOptions, lanes, cl, r -> {
        });
    }

    /**
     * As {@link #run(ComparisonPlan, Path, BackendOptions, int, CommandLine)}, then hands a finished result to
     * {@code after}. {@code lanes} runs go at a time, each on its own backend with an equal share of the threads; a run
     * that can only go alone (every other waits on it) gets a backend with all of them.
     */
    static int run(ComparisonPlan plan, Path dir, BackendOptions backendOptions, int lanes, CommandLine cl,
                   IoConsumer<ComparisonResult> after) throws IOException {
        PrintWriter out = cl.getOut();
        try {
            SettingsFile.check(dir, plan.settings());
        } catch (IllegalStateException e) {
            throw new ParameterException(cl, "--out: " + e.getMessage());
        }
        String command = "curex " + String.join(" ", cl.getParseResult().originalArgs());
        ComparisonResult r;
        int total = backendOptions.threads();
        List<Integer> shares = new ArrayList<>();   // the threads split as evenly as they go: 3 over 2 lanes is 2 + 1
        for (int i = 0; i < lanes; i++) shares.add(Math.max(1, total / lanes + (i < total % lanes ? 1 : 0)));
        List<Backend> backends = new ArrayList<>();
        Backend whole = null;   // for a run that goes alone among several
        try (Interrupts interrupts = new Interrupts(cl.getErr())) {
            for (int share : shares) backends.add(backendOptions.open(share));
            if (lanes > 1) whole = backendOptions.open(total);
            out.println("comparing " + plan.variants().stream().map(Variant::id).toList() + " on preset "
                    + plan.preset().name() + " (" + plan.preset().description() + "; as run: teacher up to "
                    + plan.preset().teacher().training().steps() + " steps, students "
                    + plan.preset().student().training().steps() + "), seeds " + plan.seeds() + ", "
                    + backends.getFirst().name() + " backend, " + (lanes == 1 ? total + " thread(s)"
                    : lanes + " runs at a time on " + (shares.stream().distinct().count() == 1 ? shares.getFirst()
                    + " thread(s) each" : String.join(" + ", shares.stream().map(String::valueOf).toList())
                    + " threads")) + " -> " + dir);
            out.flush();
            r = new Comparison(plan, dir, backends, whole, out, Progress.isInteractive())
                    .stopOn(interrupts.signal()).run(command);
        } finally {
            for (Backend b : backends) b.close();
            if (whole != null) whole.close();
        }
        if (r.interrupted()) {
            out.println("comparison interrupted; the same command continues it:");
            out.println("  " + command);
            out.flush();
            return Interrupts.EXIT_CODE;
        }
        out.println();
        out.print(r.table());
        out.println();
        out.flush();
        after.accept(r);
        return Main.OK;
    }

    /** What to do with a finished comparison; may write files. */
    @FunctionalInterface
    interface IoConsumer<T> {
        void accept(T t) throws IOException;
    }
}
