// One open corpus file: raw bytes counted, gzip undone, UTF-8 decoded with replacement, read line by line.
package curex.engine.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** The line source of one corpus file, with its line number and byte counts. */
final class CorpusFileReader implements AutoCloseable {
    private static final int BUFFER = 1 << 16;

    final Path file;
    final CorpusFormat format;
    private final CountingInputStream raw;
    private final ReplacingUtf8Reader utf8;
    private final BufferedReader lines;
    private long lineNumber;

    CorpusFileReader(Path file) throws IOException {
        this.file = file;
        this.format = CorpusFormat.of(file);
        this.raw = new CountingInputStream(Files.newInputStream(file));
        InputStream body = raw;
        try {
            if (format.gzip()) body = new GZIPInputStream(raw, BUFFER);
        } catch (IOException e) {
            raw.close();
            throw e;
        }
        this.utf8 = new ReplacingUtf8Reader(body);
        this.lines = new BufferedReader(utf8, BUFFER);
    }

    /**
     * The next line without its terminator (\n, \r\n or \r), or null at the end of the file. A byte order mark
     * (U+FEFF) that starts the file is dropped.
     */
    String nextLine() throws IOException {
        String line = lines.readLine();
        if (line == null) return null;
        if (lineNumber++ == 0 && line.startsWith("\uFEFF")) line = line.substring(1);
        return line;
    }

    /** The 1-based number of the line last returned. */
    long lineNumber() {
        return lineNumber;
    }

    long fileBytes() {
        return raw.count();
    }

    long textBytes() {
        return utf8.bytes();
    }

    long replaced() {
        return utf8.replaced();
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
