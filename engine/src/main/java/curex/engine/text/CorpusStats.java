// Counters of one pass over a corpus: documents, bytes, replaced characters, skipped lines and the first bad line.
package curex.engine.text;

import java.nio.file.Path;

/** What a pass over a corpus met; filled in while reading, read at the end (one thread). */
public final class CorpusStats {
    long files;
    long documents;
    long fileBytes;
    long textBytes;
    long replacedChars;
    long skippedLines;
    Path firstBadFile;
    long firstBadLine;
    String firstBadReason;

    /** Files opened. */
    public long files() {
        return files;
    }

    /** Documents delivered (before any held-out split or sampling a caller applies). */
    public long documents() {
        return documents;
    }

    /** Bytes read from disk (compressed bytes for a .gz file). */
    public long fileBytes() {
        return fileBytes;
    }

    /** Bytes of text read (after decompression). */
    public long textBytes() {
        return textBytes;
    }

    /** Invalid UTF-8 sequences replaced by U+FFFD. */
    public long replacedChars() {
        return replacedChars;
    }

    /** JSON Lines lines skipped: not JSON, not an object, or without a string {@code text} field. */
    public long skippedLines() {
        return skippedLines;
    }

    /** "data/a.jsonl line 7: no string field 'text'", or null if no line was skipped. */
    public String firstBadLine() {
        return firstBadFile == null ? null : firstBadFile + " line " + firstBadLine + ": " + firstBadReason;
    }

    void skipLine(Path file, long line, String reason) {
        if (skippedLines++ == 0) {
            firstBadFile = file;
            firstBadLine = line;
            firstBadReason = reason;
        }
    }
}
