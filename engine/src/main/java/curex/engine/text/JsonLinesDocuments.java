// Reads the documents of a JSON Lines file: one per line, the string field "text" of an object.
package curex.engine.text;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import curex.engine.io.Json;

import java.io.IOException;

/**
 * Each non-blank line must be a JSON object with a string field {@code text}; other fields are ignored. A line that is
 * not JSON, holds more than one value, is not an object, or lacks a string {@code text} is skipped and counted in
 * {@link CorpusStats#skippedLines()} (the first one with its file and line number). Blank lines are ignored, and so
 * are records whose text is empty.
 */
final class JsonLinesDocuments {
    private static final ObjectReader READER = Json.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonLinesDocuments() {
    }

    /** Emits the file's documents; false if the sink asked to stop. */
    static boolean read(CorpusFileReader in, CorpusStats stats, PlainTextDocuments.Emitter emit) throws IOException {
        for (String line = in.nextLine(); line != null; line = in.nextLine()) {
            if (line.isBlank()) continue;
            String problem;
            try {
                JsonNode node = READER.readTree(line);
                JsonNode text = node == null ? null : node.get("text");
                if (node == null || !node.isObject()) problem = "not a JSON object";
                else if (text == null || !text.isTextual()) problem = "no string field 'text'";
                else {
                    String s = text.textValue();
                    if (!s.isEmpty() && !emit.emit(s, in.lineNumber())) return false;
                    continue;
                }
            } catch (JacksonException e) {
                problem = "not valid JSON (" + e.getOriginalMessage() + ")";
            }
            stats.skipLine(in.file, in.lineNumber(), problem);
        }
        return true;
    }
}
