// The error a checkpoint read or write raises: names the file and what is wrong with it.
package curex.engine.io;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file that cannot be read or written; the message starts with the file's path. */
public class CheckpointException extends IOException {

    public CheckpointException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
