// A text corpus on disk (a file or a folder of them) read as a stream of documents in constant memory.
package curex.engine.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The corpus at a path: a file, or every file under a folder in sorted order ({@link CorpusFiles}), each read by its
 * name ({@link CorpusFormat}): plain UTF-8 text whose documents are separated by blank lines
 * ({@link PlainTextDocuments}) or JSON Lines with a {@code text} field ({@link JsonLinesDocuments}), either of them
 * gzip-compressed. Invalid UTF-8 is replaced by U+FFFD and counted. One pass holds one document (and one line) at a
 * time.
 */
public final class Corpus {
    private final Path path;
    private final List<Path> files;

    /** The corpus at {@code path}; a {@link CorpusException} if it is missing or an empty folder. */
    public Corpus(Path path) {
        this.path = path;
        this.files = CorpusFiles.list(path);
    }

    public Path path() {
        return path;
    }

    /** The files, in the order they are read. */
    public List<Path> files() {
        return files;
    }

    /** The files' size on disk, for a progress display. */
    public long fileBytes() {
        long total = 0;
        for (Path f : files) total += fileBytes(f);
        return total;
    }

    /** The size on disk of one file. */
    long fileBytes(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new CorpusException("corpus file '" + file + "': " + e.getMessage(), e);
        }
    }

    /** Reads every document into {@code sink} (until it returns false). */
    public CorpusStats read(DocumentSink sink) {
        return read(sink, bytes -> {
        });
    }

    /**
     * Reads the documents into {@code sink} until the corpus ends or the sink returns false, telling
     * {@code fileBytesRead} the bytes read from disk so far after each document. A {@link CorpusException} if a file
     * cannot be read (naming it) or the whole corpus holds no document.
     */
    public CorpusStats read(DocumentSink sink, LongConsumer fileBytesRead) {
        CorpusStats stats = new CorpusStats();
        long doneFileBytes = 0, doneTextBytes = 0, doneReplaced = 0;
        for (Path file : files) {
            boolean more;
            try (CorpusFileReader in = new CorpusFileReader(file)) {
                stats.files++;
                long fb = doneFileBytes, tb = doneTextBytes, rc = doneReplaced;
                PlainTextDocuments.Emitter emit = (text, line) -> {
                    stats.documents++;
                    stats.fileBytes = fb + in.fileBytes();
                    stats.textBytes = tb + in.textBytes();
                    stats.replacedChars = rc + in.replaced();
                    fileBytesRead.accept(stats.fileBytes);
                    return sink.accept(new Document(text, file, line));
                };
                more = in.format.jsonLines() ? JsonLinesDocuments.read(in, stats, emit) : PlainTextDocuments.read(in, emit);
                doneFileBytes += in.fileBytes();
                doneTextBytes += in.textBytes();
                doneReplaced += in.replaced();
                stats.fileBytes = doneFileBytes;
                stats.textBytes = doneTextBytes;
                stats.replacedChars = doneReplaced;
                fileBytesRead.accept(doneFileBytes);
            } catch (IOException e) {
                throw new CorpusException("corpus file '" + file + "' (" + CorpusFormat.of(file) + "): cannot read it: "
                        + e.getMessage(), e);
            }
            if (!more) return stats;
        }
        if (stats.documents == 0)
            throw new CorpusException("corpus '" + path + "' holds no documents (" + stats.files + " file(s), "
                    + stats.textBytes + " bytes of text" + (stats.skippedLines > 0 ? ", " + stats.skippedLines
                    + " JSON Lines line(s) skipped, the first: " + stats.firstBadLine() : "") + ")");
        return stats;
    }
}
