// Writes and reads summary.json, the one-object result of a run (steps, accuracy, time, FLOPs, ...).
package curex.engine.metrics;

import curex.engine.io.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's summary as ordered key/value pairs, written as pretty JSON atomically. Conventional keys (snake_case):
 * steps, samples, final_accuracy, best_accuracy, wall_seconds, steps_per_second, train_flops.
 */
public final class RunSummary {
    private final LinkedHashMap<String, Object> fields = new LinkedHashMap<>();

    /** Sets {@code key} (replacing an earlier value, keeping its position); returns this for chaining. */
    public RunSummary put(String key, Object value) {
        fields.put(key, value instanceof Double d && !Double.isFinite(d) ? null : value);
        return this;
    }

    /** Copies every field of a map or record. */
    public RunSummary putAll(Object mapOrRecord) {
        Map<?, ?> m = mapOrRecord instanceof Map<?, ?> mm ? mm : Json.toMap(mapOrRecord);
        m.forEach((k, v) -> put(String.valueOf(k), v));
        return this;
    }

    public Object get(String key) {
        return fields.get(key);
    }

    /** An unmodifiable view of the fields. */
    public Map<String, Object> fields() {
        return java.util.Collections.unmodifiableMap(fields);
    }

    /** Writes the summary to {@code file} (temp file + rename). */
    public void write(Path file) throws IOException {
        Json.writeAtomic(file, fields);
    }

    /** Writes any map or record to {@code file} as pretty JSON atomically. */
    public static void write(Path file, Object summary) throws IOException {
        Json.writeAtomic(file, summary);
    }

    /** Reads a summary file back. */
    public static RunSummary read(Path file) throws IOException {
        RunSummary s = new RunSummary();
        s.fields.putAll(Json.readMap(file));
        return s;
    }
}
