// A masked-LM comparison with one shared teacher, students' target set from it, and accuracy at fixed steps.
package curex.engine.compare;

import curex.engine.TestBackends;
import curex.engine.distill.Method;
import curex.engine.io.Json;
import curex.engine.io.RunLayout;
import curex.engine.report.Curve;
import curex.kernels.Backend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SharedTeacherComparisonTest {
    private static final Backend BE = TestBackends.open();
    private static final List<Method> METHODS = List.of(Method.CE, Method.ONESHOT, Method.EXTRACT);

    @TempDir
    static Path dir;
    static ComparisonResult result;
    static double teacherAccuracy;

    private static ComparisonResult run(StringWriter log) throws IOException {
        return new Comparison(new ComparisonPlan(Preset.pcfgTiny(), 2, METHODS), dir, BE, new PrintWriter(log, true),
                false).run("curex compare --preset pcfg-tiny");
    }

    @BeforeAll
    static void compare() throws IOException {
        result = run(new StringWriter());
        teacherAccuracy = ((Number) Json.readMap(new RunLayout(dir.resolve("teacher")).summary())
                .get(MethodStats.FINAL_ACCURACY)).doubleValue();
    }

    @Test
    void oneTeacherServesEverySeed() {
        assertTrue(Files.isRegularFile(new RunLayout(dir.resolve("teacher")).summary()));
        for (long s = 0; s < 2; s++) assertFalse(Files.exists(dir.resolve("seed-" + s).resolve("teacher")), "seed " + s);
        assertEquals(1 + 2 * METHODS.size(), result.runs().size());
        assertEquals(1, result.runs().stream().filter(o -> o.run().isTeacher()).count());
    }

    @Test
    void everyStudentsTargetIsTwoPointsBelowTheTeacher() throws IOException {
        for (long s = 0; s < 2; s++)
            for (Method m : METHODS) {
                Map<String, Object> summary = Json.readMap(new RunLayout(dir.resolve("seed-" + s).resolve(m.id())).summary());
                assertEquals(teacherAccuracy - 0.02, ((Number) summary.get("target_accuracy")).doubleValue(), 1e-12,
                        "seed " + s + " " + m.id());
            }
    }

    @Test
    void accuracyAtStepsIsTheCurvesValueThere() throws IOException {
        Map<String, Object> json = Json.readMap(dir.resolve(ReportWriter.JSON));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Map<String, Object>>> at = (Map<String, Map<String, Map<String, Object>>>) json.get("accuracy_at_steps");
        assertEquals(METHODS.stream().map(Method::id).toList(), List.copyOf(at.keySet()));
        for (Method m : METHODS)
            for (long step : List.of(8L, 16L, 24L)) {
                double lo = 2, hi = -1, sum = 0;
                for (long s = 0; s < 2; s++) {
                    Curve c = Curve.read(new RunLayout(dir.resolve("seed-" + s).resolve(m.id())).metrics());
                    Double a = AccuracyAtSteps.at(c, step);
                    assertNotNull(a, m.id() + " seed " + s + " step " + step);
                    lo = Math.min(lo, a);
                    hi = Math.max(hi, a);
                    sum += a;
                }
                Map<String, Object> cell = at.get(m.id()).get(Long.toString(step));
                assertEquals(sum / 2, ((Number) cell.get("mean")).doubleValue(), 1e-12);
                assertEquals(lo, ((Number) cell.get("min")).doubleValue(), 1e-12);
                assertEquals(hi, ((Number) cell.get("max")).doubleValue(), 1e-12);
                assertEquals(2, ((Number) cell.get("count")).intValue());
            }
    }

    @Test
    void reportNamesTheSharedTeacherTheTargetAndTheTable() throws IOException {
        String report = Files.readString(dir.resolve(ReportWriter.REPORT));
        assertTrue(report.contains("One teacher, trained with seed 0, serves every seed."), report);
        assertTrue(report.contains("the teacher's final accuracy minus 2 points ("
                + Formats.percent(teacherAccuracy - 0.02) + ")"), report);
        assertTrue(report.contains("## Accuracy at fixed steps"), report);
        assertTrue(report.contains("| accuracy at 8 | accuracy at 16 | accuracy at 24 |"), report);
    }

    @Test
    void rerunningSkipsEveryRunBecauseTheResolvedTargetsMatch() throws IOException {
        StringWriter log = new StringWriter();
        ComparisonResult again = run(log);
        assertTrue(again.runs().stream().allMatch(ComparisonResult.Outcome::skipped), log.toString());
    }
}
