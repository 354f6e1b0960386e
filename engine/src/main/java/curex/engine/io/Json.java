// Shared JSON encoding for run outputs: one configured mapper, pretty atomic writes and map reads.
package curex.engine.io;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON files of a run (config.json, summary.json): records and maps in, ordered maps out. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private Json() {
    }

    /** {@code v} as a JSON number, or null where JSON has none (NaN, infinities). */
    public static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** The shared mapper (thread-safe once configured; do not reconfigure it). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Pretty JSON text of a map, record or bean, ending in a newline. */
    public static String pretty(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode as JSON: " + e.getMessage(), e);
        }
    }

    /** Writes {@code value} as pretty JSON to {@code file} atomically. */
    public static void writeAtomic(Path file, Object value) throws IOException {
        AtomicFiles.write(file, pretty(value).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Reads a JSON object file into an ordered map; a {@link CheckpointException} naming the file if malformed. */
    public static LinkedHashMap<String, Object> readMap(Path file) throws IOException {
        try {
            return MAPPER.readValue(file.toFile(), MAP);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new CheckpointException(file, "not a JSON object: " + e.getOriginalMessage(), e);
        } catch (java.io.FileNotFoundException e) {
            throw new CheckpointException(file, "no such file", e);
        }
    }

    /** Converts a record or bean into an ordered map of its JSON fields. */
    public static Map<String, Object> toMap(Object value) {
        return MAPPER.convertValue(value, MAP);
    }
}
