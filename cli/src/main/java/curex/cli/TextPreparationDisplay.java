// Prepares a corpus for `--task text` on the command line: the bytes and tokens read as it goes, then one closing line.
package curex.cli;

import curex.engine.metrics.Progress;
import curex.engine.text.PreparedText;
import curex.engine.text.TextPreparation;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/** One {@link ReadProgress} per pass over the corpus (counting for a tokenizer, encoding), on the command's output. */
final class TextPreparationDisplay implements TextPreparation.Listener {
    private final PrintWriter out;
    private ReadProgress progress;
    private boolean encoding;

    private TextPreparationDisplay(PrintWriter out) {
        this.out = out;
    }

    /** Prepares (or reuses) the corpus of {@code o}, saying so on {@code out}. */
    static PreparedText run(TextPreparation.Options o, PrintWriter out) throws IOException {
        TextPreparationDisplay d = new TextPreparationDisplay(out);
        PreparedText p;
        try {
            p = TextPreparation.prepare(o, d);
        } finally {
            d.passDone();
        }
        if (p.reused()) {
            out.printf(Locale.ROOT, "reusing the prepared corpus %s (%d documents, %d held out; %,d training tokens, "
                            + "%,d held-out tokens; vocabulary %d)%n", p.folder(), p.documents(), p.heldOutDocuments(),
                    p.trainTokens(), p.heldOutTokens(), p.vocabulary());
        } else {
            out.printf(Locale.ROOT, "prepared: %d documents (%d held out), %,d training tokens, %,d held-out tokens, "
                            + "%d characters replaced, %d lines skipped, vocabulary %d, %.1f s -> %s%n", p.documents(),
                    p.heldOutDocuments(), p.trainTokens(), p.heldOutTokens(), p.replacedChars(), p.skippedLines(),
                    p.vocabulary(), p.seconds(), p.folder());
            if (p.firstSkippedLine() != null)
                out.println("skipped " + p.skippedLines() + " JSON Lines line(s); the first: " + p.firstSkippedLine());
        }
        out.flush();
        return p;
    }

    @Override
    public void passStarted(String what, long totalBytes) {
        passDone();
        encoding = what.equals("encoding");
        out.println(encoding ? "encoding the corpus into token files..."
                : "training a tokenizer on the corpus's training documents...");
        out.flush();
        progress = new ReadProgress(what, totalBytes, out, Progress.isInteractive());
    }

    @Override
    public void progress(long fileBytes, long tokens) {
        if (progress != null) progress.update(fileBytes, encoding ? tokens : -1);
    }

    @Override
    public void passDone() {
        if (progress == null) return;
        progress.close();
        progress = null;
    }

    @Override
    public void learningMerges() {
        out.println("learning merges...");
        out.flush();
    }
}
