// The task options (--task, --n, --k), with defaults that may come from a model's or teacher's metadata.
package curex.cli;

import curex.engine.data.SparseParity;
import curex.engine.data.Task;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Sparse parity (n, k) for now; a value given on the command line must agree with the metadata's, if any. */
public final class TaskOptions {
    static final int DEFAULT_N = 40;
    static final int DEFAULT_K = 6;

    /** The task families `--task` chooses from. */
    enum Name { parity }

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--task", defaultValue = "parity", description = "Task: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Name task;

    @Option(names = "--n", converter = Converters.PositiveInt.class,
            description = "Parity: input bits (default: the model's or teacher's, else " + DEFAULT_N + ").")
    Integer n;

    @Option(names = "--k", converter = Converters.PositiveInt.class,
            description = "Parity: support size, 1 <= k <= n (default: the model's or teacher's, else " + DEFAULT_K + ").")
    Integer k;

    /** The task from the options alone (defaults where not given). */
    Task task() {
        return parity(n != null ? n : DEFAULT_N, k != null ? k : DEFAULT_K);
    }

    /**
     * The task {@code recorded} (a model's or teacher's metadata, {@code where} names it), refusing options that
     * contradict it; with nothing recorded, {@link #task()}.
     */
    Task task(Task recorded, String where) {
        if (recorded == null) return task();
        if (!(recorded instanceof SparseParity p)) throw usage("--task: " + where + " was trained on " + recorded.describe());
        agree("--n", n, p.n(), where);
        agree("--k", k, p.k(), where);
        return recorded;
    }

    private void agree(String option, Integer given, int recorded, String where) {
        if (given != null && given != recorded)
            throw usage(option + ": " + where + " was trained on parity " + option.substring(2) + "=" + recorded + ", but "
                    + option + " is " + given + "; omit " + option + " to use the recorded value");
    }

    private Task parity(int nn, int kk) {
        if (kk > nn) throw usage("--k: must be <= --n (" + nn + "), got " + kk);
        return new SparseParity(nn, kk);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
