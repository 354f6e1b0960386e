// The formats a corpus file can have, told apart by the file name.
package curex.engine.text;

import java.nio.file.Path;
import java.util.Locale;

/**
 * How a corpus file is read: {@code .jsonl} (and {@code .jsonl.gz}) as JSON Lines with a {@code text} field, anything
 * else as plain UTF-8 text whose documents are separated by blank lines. A {@code .gz} suffix means gzip-compressed.
 */
public record CorpusFormat(boolean jsonLines, boolean gzip) {

    /** The format of {@code file}, from its name. */
    public static CorpusFormat of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean gz = name.endsWith(".gz");
        if (gz) name = name.substring(0, name.length() - 3);
        return new CorpusFormat(name.endsWith(".jsonl"), gz);
    }

    @Override
    public String toString() {
        return (jsonLines ? "JSON Lines" : "plain text") + (gzip ? ", gzip" : "");
    }
}
