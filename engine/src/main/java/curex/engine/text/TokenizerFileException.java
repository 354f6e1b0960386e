// A tokenizer.json that cannot be used: missing, not JSON, truncated, or not a byte-level BPE tokenizer.
package curex.engine.text;

import java.nio.file.Path;

/** A problem with a tokenizer file, naming the file and the problem (a usage error on the command line). */
public final class TokenizerFileException extends IllegalArgumentException {
    public TokenizerFileException(Path file, String problem) {
        super("tokenizer '" + file + "': " + problem);
    }

    public TokenizerFileException(Path file, String problem, Throwable cause) {
        super("tokenizer '" + file + "': " + problem, cause);
    }
}
