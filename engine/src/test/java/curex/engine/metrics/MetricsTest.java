// Tests of run outputs: the JSON-lines metrics log, summary.json and the progress display.
package curex.engine.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class MetricsTest {
    @TempDir
    Path dir;

    record EvalRecord(String kind, long step, double accuracy) {
    }

    @Test
    void metricsLogWritesOneFlushedObjectPerLineAndAppendsOnResume() throws IOException {
        Path f = dir.resolve("run/metrics.jsonl");
        try (MetricsLog log = MetricsLog.open(f, false)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", 1);
            m.put("loss", 0.69);
            m.put("bad", Double.NaN);
            log.log(m);
            // visible before close: each record is flushed
            assertEquals(1, Files.readAllLines(f).size());
            log.log(new EvalRecord("eval", 2, 0.75));
        }
        try (MetricsLog log = MetricsLog.open(f, true)) {
            log.log(Map.of("step", 3));
        }
        List<String> lines = Files.readAllLines(f);
        assertEquals(3, lines.size());
        assertTrue(lines.getFirst().startsWith("{\"step\":1"), lines.getFirst());
        List<Map<String, Object>> r = MetricsLog.readAll(f);
        assertEquals(0.69, r.get(0).get("loss"));
        assertNull(r.get(0).get("bad"));
        assertTrue(r.get(0).containsKey("bad"));
        assertEquals("eval", r.get(1).get("kind"));
        assertEquals(0.75, r.get(1).get("accuracy"));
        assertEquals(3, r.get(2).get("step"));
        try (MetricsLog log = MetricsLog.open(f, false)) {
            log.log(Map.of("step", 9));
        }
        assertEquals(1, MetricsLog.readAll(f).size(), "append=false starts afresh");
    }

    @Test
    void keepUpToDropsRecordsAfterTheResumedStep() throws IOException {
        Path f = dir.resolve("m.jsonl");
        Files.writeString(f, "{\"step\":10,\"loss\":1}\n{\"kind\":\"note\"}\n{\"step\":20}\n{\"step\":30}\n");
        MetricsLog.keepUpTo(f, 20);
        List<Map<String, Object>> r = MetricsLog.readAll(f);
        assertEquals(3, r.size());
        assertEquals(20, r.get(2).get("step"));
        assertEquals("note", r.get(1).get("kind"));
        MetricsLog.keepUpTo(dir.resolve("absent.jsonl"), 5);
        assertFalse(Files.exists(dir.resolve("absent.jsonl")));
    }

    @Test
    void readAllSkipsATornLastLineButNotAnEarlierOne() throws IOException {
        Path f = dir.resolve("m.jsonl");
        Files.writeString(f, "{\"step\":1}\n{\"step\":2}\n{\"st");
        assertEquals(2, MetricsLog.readAll(f).size());
        Files.writeString(f, "{\"step\":1}\n{\"st\n{\"step\":2}\n");
        IOException e = assertThrows(IOException.class, () -> MetricsLog.readAll(f));
        assertTrue(e.getMessage().contains("m.jsonl") && e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void summaryRoundTripsAsPrettyJsonWithoutTempFiles() throws IOException {
        Path f = dir.resolve("summary.json");
        EvalPoint e = new EvalPoint(1000, 128_000, 0.99, 0.05, 123456789012L, 0, 0, null);
        new RunSummary("train", "parity", "MLP 4-8-2 (relu)", null, 0.99, 1000L, 128_000L, 123456789012L, 0L, 0L, 1000,
                128_000, 0.99, 0.99, 0.05, Double.NaN, Double.NaN, 1.5, 123456789012L, 0, 0, 0, 0, 0, 0,
                "max_steps", null, List.of(), List.of(e), Map.of("lr", 0.003)).write(f);
        String text = Files.readString(f);
        assertTrue(text.contains("\n"), "pretty printed");
        Map<String, Object> s = RunSummary.read(f);
        assertEquals(1000, ((Number) s.get("steps")).longValue());
        assertEquals(0.99, s.get("final_accuracy"));
        assertNull(s.get("wall_seconds"), "NaN is written as null");
        assertNull(s.get("steps_per_second"));
        assertEquals(123456789012L, ((Number) s.get("train_flops")).longValue());
        assertEquals(List.of("role", "task", "model", "teacher"), List.copyOf(s.keySet()).subList(0, 4));
        assertEquals(Map.of("lr", 0.003), s.get("settings"));
        assertEquals(1, ((List<?>) s.get("evals")).size());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }


    @Test
    void plainProgressPrintsThrottledLinesWithRateEtaAndMetrics() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong(0);
        try (Progress p = new Progress("train", 1000, new PrintWriter(bytes, true, StandardCharsets.UTF_8), false, 10,
                now::get)) {
            p.update(0, 0.7, Double.NaN);
            now.set(5_000_000_000L);
            p.update(250, 0.6, Double.NaN);            // 5 s: under the 10 s interval, not printed
            now.set(10_000_000_000L);
            p.update(500, 0.5, 0.75);                  // printed: 50 it/s, 500 left -> ETA 0:10
            now.set(11_000_000_000L);
            p.update(550, Double.NaN, Double.NaN);     // pending, printed on close
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length, String.join("|", lines));
        assertTrue(lines[0].startsWith("train 500/1000"), lines[0]);
        assertTrue(lines[0].contains("50.0 it/s") && lines[0].contains("ETA 0:10"), lines[0]);
        assertTrue(lines[0].contains("loss 0.5000") && lines[0].contains("acc 75.00%"), lines[0]);
        assertFalse(lines[0].contains("\r") || lines[0].contains("["), "no bar in plain mode");
        assertTrue(lines[1].contains("550/1000") && lines[1].contains("loss 0.5000"), lines[1]);
    }

    @Test
    void slowStepsShowSecondsPerStep() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong(0);
        try (Progress p = new Progress("train", 100, new PrintWriter(bytes, true, StandardCharsets.UTF_8), false, 10,
                now::get)) {
            p.update(0, Double.NaN, Double.NaN);
            now.set(25_000_000_000L);
            p.update(10, Double.NaN, Double.NaN);      // 10 steps in 25 s: 2.5 s a step, 90 left -> ETA 3:45
        }
        String line = bytes.toString(StandardCharsets.UTF_8).split("\n")[0];
        assertTrue(line.contains("2.5 s/it") && line.contains("ETA 3:45"), line);
        assertFalse(line.contains("it/s"), line);
    }

    @Test
    void terminalProgressRedrawsOneLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong(0);
        try (Progress p = new Progress("t", 10, new PrintWriter(bytes, true, StandardCharsets.UTF_8), true, 10, now::get)) {
            for (int i = 0; i <= 10; i++) {
                now.addAndGet(200_000_000L);
                p.update(i, 1.0 / (i + 1), Double.NaN);
            }
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, out.chars().filter(c -> c == '\n').count(), "one final newline");
        assertTrue(out.contains("\r"));
        assertTrue(out.contains("[" + "=".repeat(24) + "]") && out.contains("10/10"), out);
    }

    @Test
    void durationsFormat() {
        assertEquals("0:05", Progress.duration(5));
        assertEquals("2:03", Progress.duration(123));
        assertEquals("1:00:01", Progress.duration(3601));
    }
}
