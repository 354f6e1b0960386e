// The task options (--task, --n, --k, --grammar, --roots), with defaults that may come from a model's metadata.
package curex.cli;

import curex.engine.data.Grammar;
import curex.engine.data.ParitySequence;
import curex.engine.data.PcfgTask;
import curex.engine.data.SparseParity;
import curex.engine.data.Task;
import curex.engine.settings.Choice;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.Arrays;

/**
 * Sparse parity for an MLP ({@code parity}) or as a token sequence for a transformer ({@code parity-tf}), or masked LM
 * on a grammar's strings ({@code pcfg}). A value given on the command line must agree with the metadata's, if any.
 */
public final class TaskOptions {
    static final int DEFAULT_N = 40;
    static final int DEFAULT_K = 6;
    static final int DEFAULT_TF_N = 20;
    static final int DEFAULT_TF_K = 3;
    static final String DEFAULT_GRAMMAR = "cfg3b";
    static final String DEFAULT_ROOTS = "16,17,18";

    /** The task families `--task` chooses from. */
    public enum Kind {
        PARITY, PARITY_TF, PCFG;

        /** The kind of a task, by its name. */
        static Kind of(Task t) {
            return Choice.parse(Kind.class, "task", t.name());
        }

        @Override
        public String toString() {
            return Choice.id(this);
        }
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--task", defaultValue = "parity",
            description = "Task: ${COMPLETION-CANDIDATES}: sparse parity for an MLP, parity as a token sequence for a "
                    + "transformer, or masked LM on a grammar's strings (default: ${DEFAULT-VALUE}, or the model's).")
    Kind kind;

    @Option(names = "--n", converter = Converters.PositiveInt.class,
            description = "Parity: input bits (default: the model's or teacher's, else " + DEFAULT_N + "; parity-tf "
                    + DEFAULT_TF_N + ").")
    Integer n;

    @Option(names = "--k", converter = Converters.PositiveInt.class,
            description = "Parity: support size, 1 <= k <= n (default: the model's or teacher's, else " + DEFAULT_K
                    + "; parity-tf " + DEFAULT_TF_K + ").")
    Integer k;

    @Option(names = "--grammar", paramLabel = "NAME|FILE",
            description = "PCFG: a built-in grammar (cfg3b) or a grammar file (default: the model's, else "
                    + DEFAULT_GRAMMAR + ").")
    String grammar;

    @Option(names = "--roots", paramLabel = "SYM[,SYM...]",
            description = "PCFG: root nonterminals, each drawn equally often; 16,17,18 gives cfg3b's short strings "
                    + "(35-72 terminals), 22 the published ones (161-432) (default: the model's, else " + DEFAULT_ROOTS
                    + ").")
    String roots;

    /** The task from the options alone (defaults where not given). */
    Task task() {
        return switch (kind) {
            case PARITY -> {
                noPcfgOptions();
                yield parity(n != null ? n : DEFAULT_N, k != null ? k : DEFAULT_K, false);
            }
            case PARITY_TF -> {
                noPcfgOptions();
                yield parity(n != null ? n : DEFAULT_TF_N, k != null ? k : DEFAULT_TF_K, true);
            }
            case PCFG -> {
                if (n != null || k != null) throw usage((n != null ? "--n" : "--k") + ": applies to parity tasks, not pcfg");
                yield pcfg(grammar != null ? grammar : DEFAULT_GRAMMAR, roots != null ? roots : DEFAULT_ROOTS);
            }
        };
    }

    /** Whether --task was given on the command line (not defaulted). */
    boolean kindGiven() {
        return spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption("--task");
    }

    /**
     * The task {@code recorded} (a model's or teacher's metadata, {@code where} names it), refusing options that
     * contradict it; with nothing recorded, {@link #task()}.
     */
    Task task(Task recorded, String where) {
        if (recorded == null) return task();
        Kind was = Kind.of(recorded);
        if (kindGiven() && kind != was)
            throw usage("--task: " + where + " was trained on " + recorded.describe() + ", not " + kind
                    + "; omit --task to use the recorded task");
        if (recorded instanceof SparseParity p) {
            noPcfgOptions();
            agree("--n", n, p.n(), where);
            agree("--k", k, p.k(), where);
        } else if (recorded instanceof ParitySequence p) {
            noPcfgOptions();
            agree("--n", n, p.n(), where);
            agree("--k", k, p.k(), where);
        } else if (recorded instanceof PcfgTask p) {
            if (n != null || k != null) throw usage((n != null ? "--n" : "--k") + ": applies to parity tasks, not pcfg");
            if (grammar != null && !grammar(grammar).canonicalText().equals(p.grammar().canonicalText()))
                throw usage("--grammar: " + where + " was trained on grammar " + p.grammar().name() + ", which '" + grammar
                        + "' is not; omit --grammar to use the recorded one");
            if (roots != null && !Arrays.equals(splitRoots(roots), p.roots()))
                throw usage("--roots: " + where + " was trained on roots " + String.join(",", p.roots()) + ", but --roots is "
                        + roots + "; omit --roots to use the recorded ones");
        }
        return recorded;
    }

    private void noPcfgOptions() {
        if (grammar != null || roots != null)
            throw usage((grammar != null ? "--grammar" : "--roots") + ": applies to --task pcfg, not " + kind);
    }

    private void agree(String option, Integer given, int recorded, String where) {
        if (given != null && given != recorded)
            throw usage(option + ": " + where + " was trained on parity " + option.substring(2) + "=" + recorded + ", but "
                    + option + " is " + given + "; omit " + option + " to use the recorded value");
    }

    private Task parity(int nn, int kk, boolean sequence) {
        if (kk > nn) throw usage("--k: must be <= --n (" + nn + "), got " + kk);
        return sequence ? new ParitySequence(nn, kk) : new SparseParity(nn, kk);
    }

    private Task pcfg(String grammarName, String rootList) {
        Grammar g = grammar(grammarName);
        try {
            return new PcfgTask(g, splitRoots(rootList));
        } catch (IllegalArgumentException e) {
            throw usage("--roots: " + e.getMessage());
        }
    }

    private Grammar grammar(String nameOrPath) {
        try {
            return Grammar.resolve(nameOrPath);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw usage("--grammar: " + e.getMessage());
        }
    }

    private static String[] splitRoots(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).toArray(String[]::new);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
