// An append-only JSON-lines log of a run: one object per training or evaluation record, flushed as written.
package curex.engine.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import curex.engine.io.CheckpointException;
import curex.engine.io.Json;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code metrics.jsonl}: each {@link #log} call appends one compact JSON object and a newline and flushes,
 * so a crash loses at most the record being written. Non-finite numbers are written as null.
 */
public final class MetricsLog implements AutoCloseable {
    private final Path file;
    private final BufferedWriter out;
    private final ObjectMapper mapper = new ObjectMapper();

    private MetricsLog(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** Opens {@code file} for appending (a resumed run) or truncates it ({@code append == false}). */
    public static MetricsLog open(Path file, boolean append) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        return new MetricsLog(file, w);
    }

    public Path file() {
        return file;
    }

    /** Appends one record (a map or a record class) as a JSON line and flushes. */
    public synchronized void log(Object record) throws IOException {
        Map<String, Object> fields = record instanceof Map<?, ?> m ? copy(m) : Json.toMap(record);
        fields.replaceAll((k, v) -> v instanceof Double d && !Double.isFinite(d) ? null
                : v instanceof Float f && !Float.isFinite(f) ? null : v);
        try {
            out.write(mapper.writeValueAsString(fields));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metrics record is not JSON-encodable: " + e.getOriginalMessage(), e);
        }
        out.write('\n');
        out.flush();
    }

    private static Map<String, Object> copy(Map<?, ?> m) {
        Map<String, Object> c = new LinkedHashMap<>();
        m.forEach((k, v) -> c.put(String.valueOf(k), v));
        return c;
    }

    /** Every record of a metrics file, in order; a torn last line (a crash mid-write) is skipped. */
    public static List<Map<String, Object>> readAll(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Map<String, Object>> records = new ArrayList<>();
        ObjectMapper mapper = Json.mapper();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            try {
                records.add(mapper.readValue(line, new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() {
                }));
            } catch (JsonProcessingException e) {
                if (i == lines.size() - 1) break;
                throw new CheckpointException(file, "line " + (i + 1) + " is not a JSON object: " + e.getOriginalMessage(), e);
            }
        }
        return records;
    }

    /**
     * Rewrites {@code file} (atomically) keeping only records whose {@code "step"} is at most {@code step} (and stage
     * records of stages that ended by then), so a run resumed from the checkpoint of that step does not log the steps
     * after it twice. A missing file is left missing.
     */
    public static void keepUpTo(Path file, long step) throws IOException {
        if (!Files.exists(file)) return;
        StringBuilder sb = new StringBuilder();
        ObjectMapper mapper = new ObjectMapper();
        for (Map<String, Object> r : readAll(file)) {
            if (r.get("step") instanceof Number s && s.longValue() > step) continue;
            if (r.get("start_step") instanceof Number a && r.get("steps") instanceof Number n
                    && a.longValue() + n.longValue() > step) continue;
            sb.append(mapper.writeValueAsString(r)).append('\n');
        }
        curex.engine.io.AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
