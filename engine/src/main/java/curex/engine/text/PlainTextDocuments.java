// Splits a plain text file into documents at blank lines.
package curex.engine.text;

import java.io.IOException;

/**
 * A document is a run of non-blank lines (a blank line is empty or only whitespace), joined with "\n"; line
 * terminators are not kept otherwise. A document longer than {@link #MAX_DOCUMENT_CHARS} is cut at the first line end
 * past that length, so that memory stays bounded by the longest line plus that.
 */
final class PlainTextDocuments {
    static final int MAX_DOCUMENT_CHARS = 1 << 20;

    private PlainTextDocuments() {
    }

    /** Emits the file's documents; false if the sink asked to stop. */
    static boolean read(CorpusFileReader in, Emitter emit) throws IOException {
        StringBuilder doc = new StringBuilder();
        long start = 0;
        for (String line = in.nextLine(); line != null; line = in.nextLine()) {
            if (line.isBlank()) {
                if (!doc.isEmpty() && !emit.emit(doc.toString(), start)) return false;
                doc.setLength(0);
                continue;
            }
            if (doc.isEmpty()) start = in.lineNumber();
            else doc.append('\n');
            doc.append(line);
            if (doc.length() > MAX_DOCUMENT_CHARS) {
                if (!emit.emit(doc.toString(), start)) return false;
                doc.setLength(0);
            }
        }
        return doc.isEmpty() || emit.emit(doc.toString(), start);
    }

    /** Where a format reader hands its documents (text and first line); false to stop. */
    interface Emitter {
        boolean emit(String text, long line);
    }
}
