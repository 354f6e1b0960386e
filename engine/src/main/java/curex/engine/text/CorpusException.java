// A corpus that cannot be used as given: missing, empty, or holding a file that cannot be read as text.
package curex.engine.text;

/** A problem with the corpus the user named (a usage error: the command line maps it to exit code 2). */
public final class CorpusException extends IllegalArgumentException {
    public CorpusException(String message) {
        super(message);
    }

    public CorpusException(String message, Throwable cause) {
        super(message, cause);
    }
}
