// A comparison made two runs at a time ends exactly as one made a run at a time: same models, counts and report.
package curex.engine.compare;

import curex.engine.TestBackends;
import curex.engine.distill.Method;
import curex.engine.io.RunLayout;
import curex.engine.train.StopSignal;
import curex.kernels.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ParallelComparisonTest {
    private static final Backend ONE = TestBackends.open(2);
    private static final List<Backend> TWO = List.of(TestBackends.open(1), TestBackends.open(1));
    private static final List<String> SAME = List.of("final_accuracy", "best_accuracy", "final_eval_loss",
            "steps_to_target", "train_flops", "teacher_flops", "setup_teacher_flops", "storage_bytes", "evals");

    @TempDir
    static Path root;

    @AfterAll
    static void close() {
        ONE.close();
        TWO.forEach(Backend::close);
    }

    private static ComparisonResult run(Preset preset, Path dir, List<Backend> lanes, StringWriter log) throws IOException {
        return new Comparison(new ComparisonPlan(preset, 2, ComparisonPlan.allMethods()), dir, lanes,
                lanes.size() > 1 ? ONE : null, new PrintWriter(log, true), false).run("curex compare --preset " + preset.name());
    }

    private static void assertSameRuns(Preset preset) throws IOException {
        Path one = root.resolve(preset.name() + "-one"), two = root.resolve(preset.name() + "-two");
        ComparisonResult a = run(preset, one, List.of(ONE), new StringWriter());
        StringWriter log = new StringWriter();
        ComparisonResult b = run(preset, two, TWO, log);
        assertEquals(a.runs().size(), b.runs().size());
        for (int i = 0; i < a.runs().size(); i++) {
            PlannedRun run = a.runs().get(i).run();
            assertEquals(run.dir(), b.runs().get(i).run().dir(), "outcomes in plan order");
            for (String key : SAME)
                assertEquals(a.runs().get(i).summary().get(key), b.runs().get(i).summary().get(key), run.label() + " " + key);
            assertArrayEquals(Files.readAllBytes(new RunLayout(one.resolve(run.dir())).model()),
                    Files.readAllBytes(new RunLayout(two.resolve(run.dir())).model()), run.label());
            assertEquals(1, log.toString().lines().filter(l -> l.contains("] " + run.label() + ": start")).count(),
                    log.toString());
        }
        assertEquals(a.stats().size(), b.stats().size());
        for (int i = 0; i < a.stats().size(); i++) {
            MethodStats x = a.stats().get(i), y = b.stats().get(i);
            assertEquals(x.reached(), y.reached(), x.method());
            for (String measure : MethodStats.MEASURES)
                if (!measure.equals(MethodStats.WALL))
                    assertEquals(x.stats().get(measure), y.stats().get(measure), x.method() + " " + measure);
            assertEquals(x.medians(), y.medians(), x.method());
        }
    }

    @Test
    void transformerParityWithATeacherPerSeed() throws IOException {
        assertSameRuns(Preset.tfTiny());
    }

    @Test
    void maskedLmWithOneSharedTeacher() throws IOException {
        assertSameRuns(Preset.pcfgTiny());
    }

    @Test
    void aStudentStartsOnlyAfterItsTeacherHasFinished() throws IOException {
        StringWriter log = new StringWriter();
        Path dir = root.resolve("order");
        run(Preset.tfTiny(), dir, TWO, log);
        List<String> lines = log.toString().lines().toList();
        for (long s = 0; s < 2; s++) {
            String seed = "seed " + s + " ";
            int teacherDone = indexOf(lines, seed + "teacher: done");
            for (Method m : List.of(Method.ONESHOT, Method.PROGRESSIVE, Method.EXTRACT))
                assertTrue(indexOf(lines, seed + m.id() + ": start") > teacherDone, seed + m.id() + "\n" + log);
        }
        assertTrue(Files.isRegularFile(dir.resolve(ReportWriter.REPORT)));
    }

    @Test
    void aStopWithTwoRunsInProgressSavesBothAndTheSameCallEndsAsAnUninterruptedComparison() throws IOException {
        Path dir = root.resolve("stopped"), whole = root.resolve("uninterrupted");
        StopSignal stop = new StopSignal();
        StringWriter log = new StringWriter() {
            @Override
            public void write(String s, int off, int len) {
                super.write(s, off, len);
                if (toString().split(": start", -1).length > 2) stop.request();   // once two runs have started
            }
        };
        ComparisonResult stopped = new Comparison(new ComparisonPlan(Preset.tfTiny(), 1, ComparisonPlan.allMethods()),
                dir, TWO, ONE, new PrintWriter(log, true), false).stopOn(stop).run("curex compare --preset tf-tiny");
        assertTrue(stopped.interrupted());
        assertEquals(2, log.toString().lines().filter(l -> l.contains(": interrupted; its checkpoint is saved")).count(),
                log.toString());

        ComparisonResult resumed = new Comparison(new ComparisonPlan(Preset.tfTiny(), 1, ComparisonPlan.allMethods()),
                dir, TWO, ONE, new PrintWriter(new StringWriter(), true), false).run("curex compare --preset tf-tiny");
        ComparisonResult fresh = run(Preset.tfTiny(), whole, List.of(ONE), new StringWriter());
        assertFalse(resumed.interrupted());
        assertEquals(5, resumed.runs().size());
        assertEquals(5 + 5, fresh.runs().size());
        for (ComparisonResult.Outcome o : resumed.runs())
            assertArrayEquals(Files.readAllBytes(new RunLayout(whole.resolve(o.run().dir())).model()),
                    Files.readAllBytes(new RunLayout(dir.resolve(o.run().dir())).model()), o.run().label());
    }

    private static int indexOf(List<String> lines, String fragment) {
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains(fragment)) return i;
        fail("no line with '" + fragment + "'");
        return -1;
    }
}
