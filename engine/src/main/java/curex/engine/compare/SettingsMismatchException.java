// Raised when a comparison folder already holds a comparison made with other settings.
package curex.engine.compare;

import java.nio.file.Path;
import java.util.List;

/** The message names the folder and every differing setting on one line. */
public final class SettingsMismatchException extends IllegalStateException {
    private final List<String> differences;

    SettingsMismatchException(Path dir, List<String> differences) {
        super(dir + " holds a comparison made with other settings: " + String.join("; ", differences)
                + "; choose another --out folder, or delete this one to start afresh");
        this.differences = List.copyOf(differences);
    }

    /** "student.steps (there 8000, now 10000)", one per setting. */
    public List<String> differences() {
        return differences;
    }
}
