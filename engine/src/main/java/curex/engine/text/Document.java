// One document of a corpus: its text and where it starts (file and 1-based line).
package curex.engine.text;

import java.nio.file.Path;

/** A document: a paragraph of a text file (lines up to a blank line) or the {@code text} of a JSON Lines record. */
public record Document(String text, Path file, long line) {
}
