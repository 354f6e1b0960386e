// `curex tokenizer train`: trains a byte-level BPE tokenizer on a corpus and writes tokenizer.json.
package curex.cli;

import curex.engine.metrics.Progress;
import curex.engine.text.Corpus;
import curex.engine.text.CorpusException;
import curex.engine.text.CorpusStats;
import curex.engine.text.HeldOutSplit;
import curex.engine.text.TokenizerJson;
import curex.engine.text.TokenizerTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Reads the corpus once (showing the bytes read), learns the merges and writes the file in Hugging Face's format. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a byte-level BPE tokenizer (BERT's special tokens, GPT-2's pre-tokenization) and write "
                + "it as a Hugging Face tokenizer.json.")
public final class TokenizerTrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--corpus", required = true, paramLabel = "PATH",
            description = "A text file, a .jsonl file (a 'text' field per line), either gzip-compressed (.gz), or a "
                    + "folder of such files (read recursively, in sorted order).")
    Path corpus;

    @Option(names = "--vocab-size", required = true, paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Tokens in the vocabulary, specials and the 256 bytes included (at least 261).")
    int vocabSize;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "Where to write tokenizer.json (a folder, existing or ending in '/', gets tokenizer.json in it).")
    String outArg;

    Path out;

    @Option(names = "--heldout-fraction", paramLabel = "F", converter = Converters.UnitInterval.class,
            defaultValue = "" + HeldOutSplit.DEFAULT_FRACTION,
            description = "Fraction of documents held out of training, chosen by a hash of their text (default: ${DEFAULT-VALUE}).")
    double heldOutFraction;

    @Option(names = "--sample-bytes", paramLabel = "B", converter = ByteSizes.class, defaultValue = "256M",
            description = "Most bytes of text to count; a larger corpus is sampled by document (default: ${DEFAULT-VALUE}).")
    long sampleBytes;

    @Option(names = "--max-words", paramLabel = "N", converter = Converters.PositiveInt.class,
            defaultValue = "" + TokenizerTraining.DEFAULT_MAX_WORDS,
            description = "Most distinct pre-tokens held while counting; the rarest are dropped beyond it (default: ${DEFAULT-VALUE}).")
    int maxWords;

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        TokenizerTraining.Options options;
        Corpus c;
        try {
            options = new TokenizerTraining.Options(vocabSize, heldOutFraction, sampleBytes, Math.max(2, maxWords));
            c = new Corpus(corpus);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        out = Path.of(outArg);
        if (outArg.endsWith("/") || outArg.endsWith(java.io.File.separator) || Files.isDirectory(out))
            out = out.resolve("tokenizer.json");
        if (Files.exists(out) && !force) throw usage("--out: '" + out + "' exists; add --force to replace it");
        Path parent = out.toAbsolutePath().getParent();
        String unwritable = Main.unwritable(parent);
        if (unwritable != null) throw usage("--out: " + unwritable);

        o.println("training a tokenizer of " + vocabSize + " tokens on " + corpus + " (" + c.files().size()
                + " file(s), " + ByteSizes.format(c.fileBytes()) + ")");
        o.flush();
        TokenizerTraining.Result r;
        try (ReadProgress progress = new ReadProgress("reading", c.fileBytes(), o, Progress.isInteractive())) {
            r = TokenizerTraining.run(c, options, progress, () -> {
                progress.close();
                o.println("learning merges...");
                o.flush();
            });
        } catch (CorpusException e) {
            throw usage(e.getMessage());
        }
        TokenizerJson.save(r.tokenizer(), out);
        report(o, r);
        return Main.OK;
    }

    private void report(PrintWriter o, TokenizerTraining.Result r) {
        CorpusStats s = r.corpus();
        if (r.sampled()) o.println("sampled: " + r.sampling());
        if (s.skippedLines() > 0)
            o.println("skipped " + s.skippedLines() + " JSON Lines line(s); the first: " + s.firstBadLine());
        if (r.prunedWords() > 0)
            o.println("dropped " + r.prunedWords() + " rare pre-tokens to stay within --max-words " + maxWords);
        int v = r.tokenizer().vocabularySize();
        if (v < vocabSize)
            o.println("note: the vocabulary stopped at " + v + " tokens: no pair of tokens occurs twice more");
        o.printf(Locale.ROOT, "done: %d documents (%d held out), %s read (%s of text), %d characters replaced, "
                        + "%d lines skipped, vocabulary %d, %.1f s -> %s%n", s.documents(), r.heldOutDocuments(),
                ByteSizes.format(s.fileBytes()), ByteSizes.format(s.textBytes()), s.replacedChars(), s.skippedLines(),
                v, r.seconds(), out);
        o.flush();
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
