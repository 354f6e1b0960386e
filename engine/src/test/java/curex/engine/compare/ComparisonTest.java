// A whole comparison on the tiny preset (2 seeds, 3 methods): files, aggregates, resume, refusal of other settings.
package curex.engine.compare;

import curex.engine.distill.DistillSettings;
import curex.engine.distill.Method;
import curex.engine.distill.StageLength;
import curex.engine.io.Json;
import curex.engine.io.RunLayout;
import curex.kernels.Backend;
import curex.engine.TestBackends;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ComparisonTest {
    private static final Backend BE = TestBackends.open();
    private static final List<Method> METHODS = List.of(Method.CE, Method.PROGRESSIVE, Method.EXTRACT);

    @TempDir
    static Path root;
    static Path dir;
    static ComparisonResult first;
    static String log;

    private static ComparisonPlan plan(Preset preset, int seeds, List<Method> methods) {
        return new ComparisonPlan(preset, seeds, methods);
    }

    private static ComparisonResult run(ComparisonPlan plan, Path dir, StringWriter sink) throws IOException {
        return new Comparison(plan, dir, BE, new PrintWriter(sink, true), false).run("curex compare --preset tiny");
    }

    @BeforeAll
    static void compare() throws IOException {
        dir = root.resolve("cmp");
        StringWriter sink = new StringWriter();
        first = run(plan(Preset.tiny(), 2, METHODS), dir, sink);
        log = sink.toString();
    }

    @Test
    void writesEveryFileAndOneLinePerRunStartAndEnd() {
        for (String f : List.of(SettingsFile.NAME, ReportWriter.JSON, ReportWriter.REPORT, "accuracy_vs_steps.png",
                "accuracy_vs_steps.svg", "accuracy_vs_flops.png", "accuracy_vs_flops.svg"))
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        for (long s = 0; s < 2; s++) {
            RunLayout t = new RunLayout(dir.resolve("seed-" + s).resolve("teacher"));
            assertTrue(Files.isRegularFile(t.model()) && Files.isRegularFile(t.summary()), "teacher of seed " + s);
            for (Method m : METHODS) {
                RunLayout r = new RunLayout(dir.resolve("seed-" + s).resolve(m.id()));
                for (Path p : List.of(r.summary(), r.metrics(), r.config(), r.model())) assertTrue(Files.isRegularFile(p), p.toString());
            }
        }
        assertEquals(8, first.runs().size());
        assertEquals(8, first.ran().size());
        assertEquals(8, log.lines().filter(l -> l.matches("\\[\\d/8] seed \\d \\w+: start.*")).count(), log);
        assertEquals(8, log.lines().filter(l -> l.matches("\\[\\d/8] seed \\d \\w+: done in .*")).count(), log);
    }

    @Test
    void aggregatesEqualThoseComputedFromTheRunSummaries() throws IOException {
        Map<String, Object> json = Json.readMap(dir.resolve(ReportWriter.JSON));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> methods = (Map<String, Map<String, Object>>) json.get("methods");
        assertEquals(METHODS.stream().map(Method::id).toList(), List.copyOf(methods.keySet()));
        for (Method m : METHODS) {
            List<Map<String, Object>> summaries = new ArrayList<>();
            for (long s = 0; s < 2; s++)
                summaries.add(Json.readMap(new RunLayout(dir.resolve("seed-" + s).resolve(m.id())).summary()));
            Map<String, Object> agg = methods.get(m.id());
            assertEquals(2, ((Number) agg.get("runs")).intValue());
            long reached = summaries.stream().filter(x -> x.get("steps_to_target") != null).count();
            assertEquals(reached, ((Number) agg.get("reached_target")).longValue());
            for (String key : List.of("steps_to_target", "train_flops_to_target", "final_accuracy", "wall_seconds",
                    "storage_bytes")) {
                List<Double> v = summaries.stream().map(x -> x.get(key)).filter(x -> x != null)
                        .map(x -> ((Number) x).doubleValue()).toList();
                @SuppressWarnings("unchecked")
                Map<String, Object> st = (Map<String, Object>) agg.get(key);
                assertEquals(v.size(), ((Number) st.get("count")).intValue(), m + " " + key);
                if (v.isEmpty()) {
                    assertNull(st.get("mean"));
                    continue;
                }
                assertEquals(v.stream().mapToDouble(d -> d).average().orElseThrow(), ((Number) st.get("mean")).doubleValue(),
                        1e-9 * Math.abs(v.getFirst()) + 1e-12, m + " " + key);
                assertEquals(v.stream().mapToDouble(d -> d).min().orElseThrow(), ((Number) st.get("min")).doubleValue());
                assertEquals(v.stream().mapToDouble(d -> d).max().orElseThrow(), ((Number) st.get("max")).doubleValue());
            }
        }
        // storage: ce reads nothing, extract the final teacher file, progressive its checkpoints and more
        for (long s = 0; s < 2; s++) {
            RunLayout teacher = new RunLayout(dir.resolve("seed-" + s).resolve("teacher"));
            assertEquals(0L, storage(s, Method.CE));
            assertEquals(Files.size(teacher.model()), storage(s, Method.EXTRACT));
            // progressive's 60 steps read the checkpoints up to step-60 (at speed 1, step s reads the first one at or
            // after s), and the final model when the teacher stopped earlier, whose weights repeat its last checkpoint's
            // and are counted once
            long checkpoints = 0;
            for (Path p : teacher.checkpointFiles()) if (RunLayout.stepOf(p).orElseThrow() <= 60) checkpoints += Files.size(p);
            assertTrue(checkpoints > 0);
            assertEquals(checkpoints, storage(s, Method.PROGRESSIVE), "progressive reads checkpoints");
        }
        String report = Files.readString(dir.resolve(ReportWriter.REPORT));
        for (String s : List.of("| method |", "| ce |", "| progressive |", "| extract |", "accuracy_vs_flops.png",
                "curex compare --preset tiny", "## Teachers"))
            assertTrue(report.contains(s), s);
    }

    private static long storage(long seed, Method m) throws IOException {
        return ((Number) Json.readMap(new RunLayout(dir.resolve("seed-" + seed).resolve(m.id())).summary())
                .get("storage_bytes")).longValue();
    }

    @Test
    void rerunningSkipsFinishedRunsAndRedoesOnlyAnUnfinishedOne() throws IOException {
        Path again = root.resolve("again");
        copy(dir, again);
        Map<Path, FileTime> before = summaryTimes(again);
        ComparisonResult second = run(plan(Preset.tiny(), 2, METHODS), again, new StringWriter());
        assertEquals(0, second.ran().size());
        assertEquals(8, second.skipped().size());
        assertEquals(before, summaryTimes(again), "no summary rewritten");
        assertEquals(first.table(), second.table(), "the same results from the stored summaries");

        // an interrupted run (no summary) is made again, nothing else
        Files.delete(new RunLayout(again.resolve("seed-1").resolve("extract")).summary());
        ComparisonResult third = run(plan(Preset.tiny(), 2, METHODS), again, new StringWriter());
        assertEquals(List.of("seed 1 extract"), third.ran().stream().map(r -> r.run().label()).toList());

        // a run stopped by a signal writes a summary saying so: it is not finished, and is made again
        Path stopped = new RunLayout(again.resolve("seed-0").resolve("ce")).summary();
        Map<String, Object> summary = new java.util.LinkedHashMap<>(Json.readMap(stopped));
        summary.put("stop_reason", "interrupted");
        Json.writeAtomic(stopped, summary);
        ComparisonResult interrupted = run(plan(Preset.tiny(), 2, METHODS), again, new StringWriter());
        assertEquals(List.of("seed 0 ce"), interrupted.ran().stream().map(r -> r.run().label()).toList());
        assertEquals("max_steps", Json.readMap(stopped).get("stop_reason"));

        // a teacher killed after a checkpoint continues from it, and ends with the same model; its students stay done
        RunLayout teacher = new RunLayout(again.resolve("seed-1").resolve("teacher"));
        var original = curex.engine.io.Safetensors.read(teacher.model()).tensors();
        Path newest = teacher.latestCheckpoint().orElseThrow();
        Files.delete(newest);
        Files.delete(curex.engine.checkpoint.TrainingCheckpoint.stateFile(newest));
        Files.delete(teacher.model());
        Files.delete(teacher.summary());
        StringWriter resumedLog = new StringWriter();
        ComparisonResult fourth = run(plan(Preset.tiny(), 2, METHODS), again, resumedLog);
        assertEquals(List.of("seed 1 teacher"), fourth.ran().stream().map(r -> r.run().label()).toList());
        assertTrue(resumedLog.toString().contains("seed 1 teacher: continuing from "), resumedLog.toString());
        var resumedModel = curex.engine.io.Safetensors.read(teacher.model()).tensors();
        for (String name : original.keySet())
            assertArrayEquals(original.get(name).data(), resumedModel.get(name).data(), name);

        // fewer seeds or methods would rewrite the report of this comparison with a part of it: refused, nothing written
        String report = Files.readString(again.resolve(ReportWriter.REPORT));
        SettingsFile.MismatchException e = assertThrows(SettingsFile.MismatchException.class,
                () -> run(plan(Preset.tiny(), 1, List.of(Method.EXTRACT)), again, new StringWriter()));
        assertTrue(e.getMessage().contains("seeds (there [0, 1], now [0])") && e.getMessage().contains("methods"),
                e.getMessage());
        assertEquals(report, Files.readString(again.resolve(ReportWriter.REPORT)));
    }

    @Test
    void aFolderHoldingOtherSettingsIsRefusedNamingThem() throws IOException {
        Path other = root.resolve("other");
        Files.createDirectories(other);
        Files.copy(dir.resolve(SettingsFile.NAME), other.resolve(SettingsFile.NAME));
        SettingsFile.MismatchException e = assertThrows(SettingsFile.MismatchException.class,
                () -> run(plan(Preset.tiny().withStudentHidden(8), 2, METHODS), other, new StringWriter()));
        assertTrue(e.getMessage().contains("student.model.widths (there [10, 16, 2], now [10, 8, 2])"), e.getMessage());
        assertTrue(e.getMessage().contains(other.toString()), e.getMessage());
        assertEquals(List.of(SettingsFile.NAME), list(other), "nothing run");
        Preset longer = Preset.tiny().withDistill(
                DistillSettings.builder().adapter(true).stageLength(StageLength.fixed(30)).standardizeSamples(256).build());
        SettingsFile.MismatchException stage = assertThrows(SettingsFile.MismatchException.class,
                () -> run(plan(longer, 2, METHODS), other, new StringWriter()));
        assertEquals(List.of("method_settings.extract.stage_length (there 20, now 30)"), stage.differences());
    }

    @Test
    void unknownPresetOrMethodListsTheValidOnes() {
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> Preset.named("huge"));
        assertTrue(p.getMessage().contains("'huge'") && p.getMessage().contains("quick, quick-early, paper"), p.getMessage());
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                () -> ComparisonPlan.parseMethods(List.of("extract", "kd")));
        assertTrue(m.getMessage().contains("'kd'") && m.getMessage().contains("ce|oneshot|progressive|extract"), m.getMessage());
        assertThrows(IllegalArgumentException.class, () -> plan(Preset.tiny(), 1, List.of(Method.CE, Method.CE)));
    }

    private static Map<Path, FileTime> summaryTimes(Path d) throws IOException {
        Map<Path, FileTime> m = new HashMap<>();
        try (var files = Files.walk(d)) {
            for (Path p : files.filter(f -> f.getFileName().toString().equals("summary.json")).toList())
                m.put(p, Files.getLastModifiedTime(p));
        }
        return m;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static List<String> list(Path d) throws IOException {
        try (var files = Files.list(d)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
