// The `--parallel` option of the commands that make many runs (`compare`, `demo`): how many go at a time.
package curex.cli;

import curex.engine.compare.ComparisonPlan;
import curex.engine.compare.ComparisonRules;
import curex.engine.compare.RunSpec;
import curex.engine.train.MemoryEstimate;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Small students gain little from a second thread, so on a CPU two runs side by side, each on half the threads, finish
 * sooner than one run on all of them. Every run is a pure function of its settings: the number of runs at a time
 * changes wall times only.
 */
public final class ParallelOption {
    /** Runs at a time by default on a CPU backend with at least this many threads. */
    static final int DEFAULT_LANES = 2;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--parallel", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Runs made at the same time, each on an equal share of --threads; a student starts once its "
                    + "teacher has finished (default: " + DEFAULT_LANES + " on a CPU backend with " + DEFAULT_LANES
                    + " threads or more when memory allows, else 1).")
    Integer parallel;

    /**
     * The number of runs at a time for {@code plan} on {@code backend}: the option's, checked (a device backend makes
     * one run at a time; each run needs a thread and its memory), or the default.
     */
    int lanes(BackendOptions backend, ComparisonPlan plan) {
        backend.check();
        long have = Runtime.getRuntime().maxMemory();
        if (parallel == null)
            return backend.computesOnHost() && backend.threads() >= DEFAULT_LANES && need(plan, DEFAULT_LANES) <= have
                    ? DEFAULT_LANES : 1;
        if (parallel == 1) return 1;
        if (!backend.computesOnHost())
            throw usage("the " + backend.name() + " backend makes one run at a time; leave --parallel out");
        if (parallel > backend.threads())
            throw usage(parallel + " runs at a time need a thread each, but --threads is " + backend.threads());
        if (need(plan, parallel) > have)
            throw usage(parallel + " runs at a time need at least " + MemoryEstimate.format(need(plan, parallel))
                    + " of memory, but java may use " + MemoryEstimate.format(have) + "; use a smaller --parallel");
        return parallel;
    }

    /**
     * Memory for {@code lanes} runs at a time: as many teachers or students side by side, except that a teacher shared
     * by every seed and setting every student's target runs alone (every other run waits on it).
     */
    static long need(ComparisonPlan plan, int lanes) {
        long teacher = need(plan, plan.preset().teacher()), student = need(plan, plan.preset().student());
        ComparisonRules rules = plan.preset().rules();
        if (rules.sharedTeacher() && rules.targetFromTeacher()) return Math.max(teacher, lanes * student);
        return lanes * Math.max(teacher, student);
    }

    private static long need(ComparisonPlan plan, RunSpec run) {
        return MemoryEstimate.bytes(plan.preset().task(), run.model(), run.training());
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), "--parallel: " + message);
    }
}
