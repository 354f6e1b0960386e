// The task options (--task, --n, --k, --grammar, --roots, --corpus, ...), with defaults that may come from a model's metadata.
package curex.cli;

import curex.engine.data.Grammar;
import curex.engine.data.ParitySequence;
import curex.engine.data.PcfgTask;
import curex.engine.data.SparseParity;
import curex.engine.data.Task;
import curex.engine.data.Tasks;
import curex.engine.data.TextTask;
import curex.engine.settings.Choice;
import curex.engine.text.HeldOutSplit;
import curex.engine.text.PreparedText;
import curex.engine.text.TextPreparation;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Sparse parity for an MLP ({@code parity}) or as a token sequence for a transformer ({@code parity-tf}), or masked LM
 * on a grammar's strings ({@code pcfg}) or on a text corpus ({@code text}, prepared into token files by
 * {@link TextPreparation}). A value given on the command line must agree with the metadata's, if any.
 */
public final class TaskOptions {
    static final int DEFAULT_N = 40;
    static final int DEFAULT_K = 6;
    static final int DEFAULT_TF_N = 20;
    static final int DEFAULT_TF_K = 3;
    static final String DEFAULT_GRAMMAR = "cfg3b";
    static final String DEFAULT_ROOTS = "16,17,18";
    static final int DEFAULT_SEQ_LEN = 128;
    private static final List<String> TEXT_OPTIONS = List.of("--corpus", "--tokenizer", "--vocab-size", "--seq-len",
            "--mask-rate", "--whole-word-masking", "--heldout-fraction", "--cache");

    /** The task families `--task` chooses from. */
    public enum Kind {
        PARITY, PARITY_TF, PCFG, TEXT;

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
                    + "transformer, masked LM on a grammar's strings, or masked LM on a text corpus (--corpus) "
                    + "(default: ${DEFAULT-VALUE}, or the model's).")
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
                    + " for cfg3b; a grammar file needs them).")
    String roots;

    @Option(names = "--corpus", paramLabel = "PATH",
            description = "Text: the corpus, a text file (documents separated by blank lines), a .jsonl file (a 'text' "
                    + "field per line), either gzip-compressed, or a folder of them; tokenized once into token files "
                    + "that are reused while the corpus and tokenizer are unchanged (see --cache). With eval and "
                    + "distill: prepare the model's task from this corpus instead of its recorded token files.")
    Path corpus;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "Text: a tokenizer.json with BERT's special tokens first (default: train one on the "
                    + "training documents with --vocab-size and keep it beside the token files).")
    Path tokenizer;

    @Option(names = "--vocab-size", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Text: the vocabulary of the tokenizer trained when --tokenizer is not given (default: the "
                    + "model's, else " + TextPreparation.DEFAULT_VOCAB_SIZE + ").")
    Integer vocabSize;

    @Option(names = "--seq-len", paramLabel = "L", converter = Converters.PositiveInt.class,
            description = "Text: tokens per sequence, [CLS] and [SEP] included (default: the model's, else "
                    + DEFAULT_SEQ_LEN + ").")
    Integer seqLen;

    @Option(names = "--mask-rate", paramLabel = "R", converter = Converters.OpenUnitInterval.class,
            description = "Text: fraction of the tokens selected for prediction, BERT's way (default: the model's, "
                    + "else " + TextTask.DEFAULT_MASK_RATE + ").")
    Double maskRate;

    @Option(names = "--whole-word-masking",
            description = "Text: select whole words for prediction (all the tokens of a word together, about "
                    + "--mask-rate of the tokens), a word beginning at a token that starts with a space or follows "
                    + "punctuation (default: the model's, else off: single tokens).")
    boolean wholeWordMasking;

    @Option(names = "--heldout-fraction", paramLabel = "F", converter = Converters.OpenUnitInterval.class,
            description = "Text: fraction of the documents held out for evaluation, chosen by a hash of their text "
                    + "(default: " + HeldOutSplit.DEFAULT_FRACTION + "; with eval and distill --corpus, the fraction the "
                    + "model's corpus was split with).")
    Double heldOutFraction;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Text: where the prepared token files go, in a folder named after the corpus and its key "
                    + "(default: .curex-cache in the folder holding the corpus).")
    Path cache;

    /** The last text preparation of this command, by its options, so that asking twice prepares once. */
    private TextPreparation.Options preparedFor;
    private PreparedText prepared;

    /** The task from the options alone (defaults where not given). */
    Task task() {
        return switch (kind) {
            case PARITY -> {
                noPcfgOptions();
                noTextOptions();
                yield parity(n != null ? n : DEFAULT_N, k != null ? k : DEFAULT_K, false);
            }
            case PARITY_TF -> {
                noPcfgOptions();
                noTextOptions();
                yield parity(n != null ? n : DEFAULT_TF_N, k != null ? k : DEFAULT_TF_K, true);
            }
            case PCFG -> {
                noParityOptions();
                noTextOptions();
                yield pcfg(grammar != null ? grammar : DEFAULT_GRAMMAR, roots);
            }
            case TEXT -> text(DEFAULT_SEQ_LEN, TextPreparation.DEFAULT_VOCAB_SIZE);
        };
    }

    /**
     * The text task from --corpus and the other text options, {@code defaultSeqLen} where --seq-len is not given and
     * {@code defaultVocabSize} where a tokenizer is trained without --vocab-size; usage errors for a missing corpus,
     * options of other tasks, or a corpus too small.
     */
    TextTask text(int defaultSeqLen, int defaultVocabSize) {
        noParityOptions();
        noPcfgOptions();
        if (corpus == null)
            throw usage("--corpus: --task text needs a corpus: a text file, a .jsonl file or a folder of them");
        if (seqLen != null && seqLen < 3)   // before the corpus is read
            throw usage("--seq-len: sequence length must be >= 3 ([CLS], a token, [SEP]), got " + seqLen);
        PreparedText p = prepare(defaultVocabSize, HeldOutSplit.DEFAULT_FRACTION);
        try {
            return p.task(seqLen != null ? seqLen : defaultSeqLen,
                    maskRate != null ? maskRate : TextTask.DEFAULT_MASK_RATE, wholeWordMasking);
        } catch (IllegalArgumentException e) {
            throw usage(SettingOptions.prefixed(e, null));
        }
    }

    /**
     * Prepares --corpus (or reuses the preparation), showing the progress on the command's output; without
     * --heldout-fraction, {@code defaultFraction} of the documents are held out.
     */
    private PreparedText prepare(int defaultVocabSize, double defaultFraction) {
        // kept absolute, as --grammar is, so that the run's saved options find them again from another folder
        corpus = corpus.toAbsolutePath().normalize();
        if (tokenizer != null) tokenizer = tokenizer.toAbsolutePath().normalize();
        if (cache != null) cache = cache.toAbsolutePath().normalize();
        TextPreparation.Options o;
        try {
            o = new TextPreparation.Options(corpus, tokenizer, vocabSize != null ? vocabSize
                    : defaultVocabSize, heldOutFraction != null ? heldOutFraction : defaultFraction, cache);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (tokenizer != null && vocabSize != null)
            throw usage("--vocab-size: sizes the tokenizer trained without --tokenizer; the tokenizer given has its own");
        if (o.equals(preparedFor)) return prepared;
        try {
            prepared = TextPreparationDisplay.run(o, spec.commandLine().getOut());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        preparedFor = o;
        return prepared;
    }

    /**
     * The task a model's metadata records. A text task is prepared again from --corpus when given (its token files may
     * be gone, or the model is to be evaluated on another corpus), with the recorded sequence length, mask rate and
     * masking (whole words or single tokens) and a vocabulary that must match the model's; otherwise its recorded token
     * files are reopened; {@code where} names the model in messages. An IllegalArgumentException says what is
     * missing.
     */
    Task recorded(Map<String, String> meta, String where) {
        if (corpus == null || !TextTask.NAME.equals(meta.get(Tasks.KEY))) return Tasks.fromMetadata(meta);
        int len, vocabulary;
        double rate;
        try {
            len = Integer.parseInt(meta.get("text.seq_len"));
            rate = Double.parseDouble(meta.get("text.mask_rate"));
            vocabulary = Integer.parseInt(meta.get("text.vocabulary"));
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("the metadata of a text task is incomplete or damaged");
        }
        // what the options contradict, before the corpus is read and tokenized
        agreeText(len, rate, TextTask.wholeWordMasking(meta), where);
        if (vocabSize != null && vocabSize != vocabulary)
            throw usage("--vocab-size: " + where + " reads a vocabulary of " + vocabulary + " tokens, but --vocab-size "
                    + "is " + vocabSize + "; omit --vocab-size to train a tokenizer of the model's size");
        TextTask.Origin origin = TextTask.Origin.of(meta);
        double fraction = origin.heldOutFraction();
        if (heldOutFraction != null && !Double.isNaN(fraction) && heldOutFraction != fraction)
            throw usage("--heldout-fraction: the model's corpus was split with " + fraction + " of its documents held "
                    + "out, but --heldout-fraction is " + heldOutFraction + "; omit --heldout-fraction to evaluate on "
                    + "the same held-out documents");
        // without --tokenizer: one trained to the model's vocabulary size; the split the model's run used
        PreparedText p = prepare(vocabulary, Double.isNaN(fraction) ? HeldOutSplit.DEFAULT_FRACTION : fraction);
        if (p.vocabulary() != vocabulary)
            throw usage("--corpus: the model reads a vocabulary of " + vocabulary + " tokens, but the corpus was "
                    + "tokenized with " + p.vocabulary() + " (" + p.tokenizerTraining() + "); give the model's tokenizer "
                    + "with --tokenizer");
        String own = origin.tokenizerSha256();
        if (own != null && !own.equals(p.origin().tokenizerSha256()))
            throw usage((tokenizer != null ? "--tokenizer" : "--corpus") + ": the corpus was tokenized with "
                    + (tokenizer != null ? "'" + tokenizer + "'" : "a tokenizer trained on it (" + p.tokenizerTraining()
                    + ")") + ", not the model's (SHA-256 " + own.substring(0, Math.min(16, own.length())) + "...); "
                    + "give the model's tokenizer with --tokenizer");
        try {
            return p.task(len, rate, TextTask.wholeWordMasking(meta));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
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
        if (!(recorded instanceof TextTask)) noTextOptions(was);
        if (recorded instanceof SparseParity p) {
            noPcfgOptions(was);
            agree("--n", n, p.n(), where);
            agree("--k", k, p.k(), where);
        } else if (recorded instanceof ParitySequence p) {
            noPcfgOptions(was);
            agree("--n", n, p.n(), where);
            agree("--k", k, p.k(), where);
        } else if (recorded instanceof TextTask t) {
            noParityOptions(was);
            noPcfgOptions(was);
            agreeText(t.sampleShape()[0], t.maskRate(), t.wholeWordMasking(), where);
            if (corpus == null) {   // the recorded token files: options that only shape a new preparation
                double split = t.origin().heldOutFraction();
                String shaping = tokenizer != null ? "--tokenizer" : vocabSize != null ? "--vocab-size"
                        : cache != null ? "--cache" : heldOutFraction != null && heldOutFraction != split
                        ? "--heldout-fraction" : null;
                if (shaping != null)
                    throw usage(shaping + ": " + where + " reads the token files it was trained on"
                            + (Double.isNaN(split) ? "" : " (" + split + " of the corpus held out)") + "; " + shaping
                            + " applies only with --corpus, which prepares a corpus again");
            }
        } else if (recorded instanceof PcfgTask p) {
            noParityOptions(was);
            if (grammar != null && !grammar(grammar).canonicalText().equals(p.grammar().canonicalText()))
                throw usage("--grammar: " + where + " was trained on grammar " + p.grammar().name() + ", which '" + grammar
                        + "' is not; omit --grammar to use the recorded one");
            if (roots != null && !Arrays.equals(splitRoots(roots), p.roots()))
                throw usage("--roots: " + where + " was trained on roots " + String.join(",", p.roots()) + ", but --roots is "
                        + roots + "; omit --roots to use the recorded ones");
        }
        return recorded;
    }

    /** Usage errors for text options that contradict the recorded length, mask rate or masking. */
    private void agreeText(int length, double rate, boolean wholeWords, String where) {
        if (seqLen != null && seqLen != length)
            throw usage("--seq-len: " + where + " was trained on sequences of " + length + " tokens, "
                    + "but --seq-len is " + seqLen + "; omit --seq-len to use the recorded length");
        if (maskRate != null && maskRate != rate)
            throw usage("--mask-rate: " + where + " was trained at mask rate " + rate + ", but --mask-rate "
                    + "is " + maskRate + "; omit --mask-rate to use the recorded rate");
        if (wholeWordMasking && !wholeWords)
            throw usage("--whole-word-masking: " + where + " was trained with single-token masking; omit "
                    + "--whole-word-masking to use the recorded masking");
    }

    private void noPcfgOptions() {
        noPcfgOptions(kind);
    }

    /** A usage error if a grammar option was given, naming the task {@code other} instead. */
    private void noPcfgOptions(Kind other) {
        if (grammar != null || roots != null)
            throw usage((grammar != null ? "--grammar" : "--roots") + ": applies to --task pcfg, not " + other);
    }

    private void noParityOptions() {
        noParityOptions(kind);
    }

    /** A usage error if a parity size was given, naming the task {@code other} instead. */
    private void noParityOptions(Kind other) {
        if (n != null || k != null)
            throw usage((n != null ? "--n" : "--k") + ": applies to parity tasks, not " + other);
    }

    private void noTextOptions() {
        noTextOptions(kind);
    }

    /** A usage error if any text option was given, naming the task {@code other} instead. */
    void noTextOptions(Kind other) {
        String given = textOptionGiven();
        if (given != null) throw usage(given + ": applies to --task text, not " + other);
    }

    /** The first text option given, or null. */
    String textOptionGiven() {
        Object[] values = {corpus, tokenizer, vocabSize, seqLen, maskRate, wholeWordMasking ? true : null, heldOutFraction,
                cache};
        for (int i = 0; i < values.length; i++) if (values[i] != null) return TEXT_OPTIONS.get(i);
        return null;
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

    /** The pcfg task; without --roots, cfg3b's default roots, and for another grammar a usage error naming its own. */
    private Task pcfg(String grammarName, String rootList) {
        Grammar g = grammar(grammarName);
        if (rootList == null) {
            if (!grammarName.strip().equals(DEFAULT_GRAMMAR)) {
                List<String> names = g.nonterminals();
                throw usage("--roots: give the root nonterminal(s) of grammar " + g.name() + " (its nonterminals: "
                        + String.join(", ", names.subList(0, Math.min(12, names.size())))
                        + (names.size() > 12 ? ", ..." : "") + ")");
            }
            rootList = DEFAULT_ROOTS;
        }
        try {
            return new PcfgTask(g, splitRoots(rootList));
        } catch (IllegalArgumentException e) {
            throw usage("--roots: " + e.getMessage());
        }
    }

    /**
     * The grammar named or in the file given; a file's path is kept absolute in --grammar, so that the run's saved
     * options find it again when it is resumed from another folder.
     */
    private Grammar grammar(String nameOrPath) {
        Grammar g;
        try {
            g = Grammar.resolve(nameOrPath);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw usage("--grammar: " + e.getMessage());
        }
        if (nameOrPath.equals(grammar) && java.nio.file.Files.isRegularFile(Path.of(nameOrPath)))
            grammar = Path.of(nameOrPath).toAbsolutePath().normalize().toString();
        return g;
    }

    private static String[] splitRoots(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).toArray(String[]::new);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
