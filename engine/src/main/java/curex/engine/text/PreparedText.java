// The token files of a prepared corpus, with what the preparation counted; builds the text task on them.
package curex.engine.text;

import curex.engine.data.TextTask;
import curex.engine.data.TokenFile;
import curex.engine.data.WordBoundaries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Where a preparation put its files ({@code folder}: {@code train.tokens}, {@code heldout.tokens},
 * {@code tokenizer.json}, {@code prepared.json}), whether they were {@code reused} from an earlier run, and the counts
 * of the pass that wrote them: documents (training and held out), tokens ([SEP] after each document included),
 * replaced characters, skipped JSON Lines lines, and the seconds it took (this run's: near zero when reused);
 * {@code heldOutFraction} is the share of the documents held out, which the tasks built here record;
 * {@code firstSkippedLine} says where the first skipped line is and why (null: none, or a reused preparation);
 * {@code tokensSha256} is the SHA-256 of the two token files, training then held out.
 */
public record PreparedText(Path folder, boolean reused, TextTask.Specials specials, int vocabulary,
                           long trainDocuments, long heldOutDocuments, long trainTokens, long heldOutTokens,
                           long replacedChars, long skippedLines, String tokenizerTraining, double seconds,
                           double heldOutFraction, String firstSkippedLine, String tokensSha256) {

    public Path trainFile() {
        return folder.resolve(TextPreparation.TRAIN);
    }

    public Path heldOutFile() {
        return folder.resolve(TextPreparation.HELD_OUT);
    }

    public Path tokenizerFile() {
        return folder.resolve(TextPreparation.TOKENIZER);
    }

    /**
     * Where these files came from, as the tasks built on them record it: the split, the tokenizer's SHA-256 and the
     * token files'.
     */
    public TextTask.Origin origin() {
        return new TextTask.Origin(heldOutFraction, TextCacheKey.sha256(tokenizerFile()), tokensSha256);
    }

    public long documents() {
        return trainDocuments + heldOutDocuments;
    }

    /**
     * Masked LM on windows of {@code seqLen} tokens of these files, masking single tokens; an IllegalArgumentException
     * naming the option to change when a file holds less than one window.
     */
    public TextTask task(int seqLen, double maskRate) {
        return task(seqLen, maskRate, false);
    }

    /**
     * As {@link #task(int, double)}, masking whole words when {@code wholeWords} is set, their boundaries read from
     * the tokens of {@code tokenizer.json} ({@link WordBoundaries}).
     */
    public TextTask task(int seqLen, double maskRate, boolean wholeWords) {
        try {
            return new TextTask(TokenFile.open(trainFile()), TokenFile.open(heldOutFile()), specials, seqLen, maskRate,
                    wholeWords ? wordBoundaries() : null, origin());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The word boundaries of the tokenizer these files were encoded with. */
    public WordBoundaries wordBoundaries() {
        BpeTokenizer t = TokenizerJson.load(tokenizerFile());
        return WordBoundaries.of(t.vocabularySize(), specials.count(), t::bytes);
    }
}
