// Tests of `curex compare`: a tiny comparison end to end, resume, refusal of other settings, unknown names.
package curex.cli;

import curex.engine.compare.SettingsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CompareCommandTest {
    @TempDir
    Path dir;

    @Test
    void tinyComparisonWritesItsReportThenResumesAndRefusesOtherSettings() throws Exception {
        Path out = dir.resolve("cmp");
        String[] args = {"compare", "--preset", "tiny", "--seeds", "1", "--methods", "ce,extract", "--threads", "1",
                "--out", out.toString()};
        DistillCommandTest.Result r = DistillCommandTest.run(args);
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().contains("| method |") && r.out().contains("| extract |"), r.out());
        assertTrue(r.out().contains("as run: teacher up to 120 steps, students 60"), r.out());
        for (String f : List.of(SettingsFile.NAME, "compare.json", "report.md", "accuracy_vs_steps.png", "accuracy_vs_flops.svg"))
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        assertTrue(Files.readString(out.resolve("report.md")).contains("curex compare --preset tiny --seeds 1"));

        DistillCommandTest.Result again = DistillCommandTest.run(args);
        assertEquals(Main.OK, again.code(), again.err());
        assertEquals(3, again.out().lines().filter(l -> l.contains("skipped")).count(), again.out());

        DistillCommandTest.Result other = DistillCommandTest.run("compare", "--preset", "tiny", "--seeds", "1",
                "--student-hidden", "8", "--threads", "1", "--out", out.toString());
        assertEquals(Main.USAGE, other.code(), other.err());
        assertTrue(other.err().contains(
                        "holds a comparison made with other settings: student.model.widths (there [10, 16, 2], now [10, 8, 2])"),
                other.err());

        // its folders belong to the comparison: a train run there would mix its files into the comparison's
        for (Path inside : List.of(out, out.resolve("seed-0"))) {
            DistillCommandTest.Result train = DistillCommandTest.run("train", "--n", "10", "--k", "2", "--steps", "5",
                    "--out", inside.toString());
            assertEquals(Main.USAGE, train.code(), train.err());
            assertTrue(train.err().contains("holds a comparison"), train.err());
        }
        assertFalse(Files.exists(out.resolve("config.json")), "nothing written into the comparison");
    }

    @Test
    void transformerPresetComparesAllFourMethodsAndRefusesMlpOverrides() throws Exception {
        Path out = dir.resolve("tf");
        DistillCommandTest.Result r = DistillCommandTest.run("compare", "--preset", "tf-tiny", "--seeds", "1",
                "--threads", "1", "--out", out.toString());
        assertEquals(Main.OK, r.code(), r.err());
        for (String m : List.of("ce", "oneshot", "progressive", "extract"))
            assertTrue(r.out().contains("| " + m + " |"), m + " in " + r.out());
        assertTrue(Files.readString(out.resolve(SettingsFile.NAME)).contains("parity-tf"));

        for (String[] bad : List.of(new String[]{"--student-hidden", "8"}, new String[]{"--n", "8"},
                new String[]{"--task", "parity"})) {
            List<String> a = new java.util.ArrayList<>(List.of("compare", "--preset", "tf-tiny", "--seeds", "1",
                    "--out", dir.resolve("tf-bad").toString()));
            a.addAll(List.of(bad));
            DistillCommandTest.Result refused = DistillCommandTest.run(a.toArray(String[]::new));
            assertEquals(Main.USAGE, refused.code(), String.join(" ", bad) + ": " + refused.err());
            assertTrue(refused.err().contains("tf-tiny"), refused.err());
        }
        assertFalse(Files.exists(dir.resolve("tf-bad")), "nothing written by a refused comparison");
    }

    @Test
    void twoThreadsMakeTwoRunsAtATimeAndTooManyRunsAreAUsageError() throws Exception {
        Path out = dir.resolve("lanes");
        DistillCommandTest.Result r = DistillCommandTest.run("compare", "--preset", "tf-tiny", "--seeds", "1",
                "--threads", "2", "--out", out.toString());
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().contains("2 runs at a time on 1 thread(s) each"), r.out());
        assertTrue(r.out().contains("| extract |"), r.out());
        DistillCommandTest.Result uneven = DistillCommandTest.run("compare", "--preset", "tf-tiny", "--seeds", "1",
                "--methods", "ce", "--threads", "3", "--out", dir.resolve("lanes-3").toString());
        assertEquals(Main.OK, uneven.code(), uneven.err());
        assertTrue(uneven.out().contains("2 runs at a time on 2 + 1 threads"), uneven.out());

        for (String[] bad : List.of(new String[]{"--parallel", "3", "--threads", "2"}, new String[]{"--parallel", "0"})) {
            List<String> a = new java.util.ArrayList<>(List.of("compare", "--preset", "tf-tiny", "--seeds", "1",
                    "--out", dir.resolve("lanes-bad").toString()));
            a.addAll(List.of(bad));
            DistillCommandTest.Result refused = DistillCommandTest.run(a.toArray(String[]::new));
            assertEquals(Main.USAGE, refused.code(), String.join(" ", bad) + ": " + refused.err());
            assertTrue(refused.err().contains("--parallel"), refused.err());
        }
        assertTrue(DistillCommandTest.run("compare", "--preset", "tf-tiny", "--seeds", "1", "--parallel", "3",
                "--threads", "2", "--out", dir.resolve("lanes-bad").toString()).err()
                .contains("3 runs at a time need a thread each, but --threads is 2"));
        assertFalse(Files.exists(dir.resolve("lanes-bad")), "nothing written by a refused comparison");
    }

    @Test
    void maskedLmPresetReportsAccuracyAtStepsAndRefusesAnotherGrammarOrRoot() throws Exception {
        Path out = dir.resolve("pcfg");
        DistillCommandTest.Result r = DistillCommandTest.run("compare", "--preset", "pcfg-tiny", "--seeds", "1",
                "--methods", "ce,extract", "--threads", "1", "--out", out.toString());
        assertEquals(Main.OK, r.code(), r.err());
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("## Accuracy at fixed steps") && report.contains("One teacher, trained with seed 0"),
                report);
        assertTrue(Files.isRegularFile(out.resolve("teacher").resolve("model.safetensors")));
        for (String[] bad : List.of(new String[]{"--roots", "16"}, new String[]{"--grammar", "cfg3b"})) {
            List<String> a = new java.util.ArrayList<>(List.of("compare", "--preset", "pcfg-tiny", "--seeds", "1",
                    "--out", dir.resolve("pcfg-bad").toString()));
            a.addAll(List.of(bad));
            DistillCommandTest.Result refused = DistillCommandTest.run(a.toArray(String[]::new));
            assertEquals(Main.USAGE, refused.code(), String.join(" ", bad) + ": " + refused.err());
            assertTrue(refused.err().contains("fixes its task"), refused.err());
        }
        assertFalse(Files.exists(dir.resolve("pcfg-bad")), "nothing written by a refused comparison");
    }

    @Test
    void sweepRunsTheGridAndAutoAndWritesItsVerdict() throws Exception {
        Path out = dir.resolve("sweep");
        DistillCommandTest.Result r = DistillCommandTest.run("compare", "--preset", "tiny", "--sweep", "--stage-lengths",
                "10,20,60", "--seeds", "1", "--threads", "1", "--out", out.toString());
        assertEquals(Main.OK, r.code(), r.err());
        for (String arm : List.of("len10-all", "len10-all-noadapter", "len20-all", "len20-all-noadapter", "auto",
                "auto-adapter"))
            assertTrue(Files.isRegularFile(out.resolve("seed-0").resolve(arm).resolve("summary.json")), arm);
        String sweep = Files.readString(out.resolve("sweep.md"));
        assertTrue(sweep.contains("| setting | reached target |") && sweep.contains("| auto |"), sweep);
        Map<String, Object> json = curex.engine.io.Json.readMap(out.resolve("sweep.json"));
        assertTrue(List.of("len10-all", "len10-all-noadapter", "len20-all", "len20-all-noadapter")
                .contains(((Map<?, ?>) json.get("auto")).get("best_fixed")), String.valueOf(json));
        assertTrue(sweep.contains("auto-adapter needs") || sweep.contains("; auto-adapter"), sweep);
        assertFalse(Files.exists(out.resolve("seed-0").resolve("len60-all")), "a 60-step stage fills the 60-step budget");
        Map<?, ?> student = (Map<?, ?>) curex.engine.io.Json.readMap(out.resolve(SettingsFile.NAME)).get("student");
        assertEquals(true, student.get("stop_at_target"), "a sweep's arms end at the target by default");
        assertTrue(sweep.contains("Left out: len60-all"), sweep);
        assertTrue(Files.readString(out.resolve("report.md")).contains("## Stages"), "stage decisions in the report");

        DistillCommandTest.Result both = DistillCommandTest.run("compare", "--preset", "tiny", "--sweep", "--methods", "ce",
                "--out", dir.resolve("sweep-bad").toString());
        assertEquals(Main.USAGE, both.code(), both.err());
        DistillCommandTest.Result lengths = DistillCommandTest.run("compare", "--preset", "tiny", "--stage-lengths", "10",
                "--out", dir.resolve("sweep-bad").toString());
        assertEquals(Main.USAGE, lengths.code(), lengths.err());
        assertTrue(lengths.err().contains("--sweep"), lengths.err());
    }

    @Test
    void demoRunsAnyPresetAndRefusesAnUnknownOne() throws Exception {
        Path out = dir.resolve("demo-tf");
        DistillCommandTest.Result r = DistillCommandTest.run("demo", "--preset", "tf-tiny", "--seeds", "1", "--threads", "1",
                "--out", out.toString());
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().contains("| extract |") && Files.isRegularFile(out.resolve("report.md")), r.out());
        DistillCommandTest.Result bad = DistillCommandTest.run("demo", "--preset", "huge", "--out", dir.resolve("d").toString());
        assertEquals(Main.USAGE, bad.code());
        assertTrue(bad.err().contains("unknown preset 'huge'"), bad.err());
    }

    @Test
    void budgetsWithinThePresetsWarmupAreUsageErrors() {
        Path out = dir.resolve("warm");
        DistillCommandTest.Result teacher = DistillCommandTest.run("compare", "--preset", "pcfg-quick", "--seeds", "1",
                "--teacher-steps", "60", "--out", out.toString());
        assertEquals(Main.USAGE, teacher.code(), teacher.err());
        assertTrue(teacher.err().contains("--teacher-steps: 60 steps leave nothing after the teacher's 100-step warmup"),
                teacher.err());
        DistillCommandTest.Result student = DistillCommandTest.run("compare", "--preset", "pcfg-quick", "--seeds", "1",
                "--steps", "50", "--out", out.toString());
        assertEquals(Main.USAGE, student.code(), student.err());
        assertTrue(student.err().contains("--steps: 50 steps leave nothing after the 100-step warmup"), student.err());
        assertFalse(Files.exists(out), "nothing written by a refused comparison");
    }

    @Test
    void anExtractionStageThatLeavesNoBudgetIsRefusedBeforeTheTeacherTrains() {
        Path out = dir.resolve("short");
        DistillCommandTest.Result r = DistillCommandTest.run("compare", "--preset", "quick", "--seeds", "1",
                "--teacher-steps", "200", "--steps", "200", "--out", out.toString());
        assertEquals(Main.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("extract (the student's --steps): the 1 projection stage(s) take up to 300 steps"),
                r.err());
        DistillCommandTest.Result twice = DistillCommandTest.run("compare", "--preset", "quick", "--seeds", "1",
                "--methods", "ce,ce", "--out", out.toString());
        assertEquals(Main.USAGE, twice.code(), twice.err());
        assertTrue(twice.err().contains("--methods: methods listed twice"), twice.err());
        assertFalse(Files.exists(out), "nothing written by a refused comparison");
    }

    @Test
    void seedListsSayWhatIsWrongWithThem() {
        Converters.Seeds seeds = new Converters.Seeds();
        assertEquals(List.of(3L, 4L, 5L), seeds.convert("3..5").values());
        for (String[] bad : new String[][]{{"5..3", "A <= B"}, {"0..1000000", "at most 10000 seeds, got 1000001"},
                {"1,1", "listed twice"}, {"0", "1..10000"}}) {
            var e = assertThrows(picocli.CommandLine.TypeConversionException.class, () -> seeds.convert(bad[0]));
            assertTrue(e.getMessage().contains(bad[1]), bad[0] + ": " + e.getMessage());
        }
    }

    @Test
    void aTargetGivenReplacesTheOneBelowTheTeacher() {
        for (boolean given : new boolean[]{false, true}) {
            picocli.CommandLine cl = Main.commandLine();
            List<String> args = new java.util.ArrayList<>(List.of("compare", "--preset", "pcfg-quick", "--seeds", "1"));
            if (given) args.addAll(List.of("--target", "0.5"));
            cl.parseArgs(args.toArray(String[]::new));
            CompareCommand compare = cl.getSubcommands().get("compare").getCommand();
            var plan = compare.plan();
            assertEquals(!given, plan.preset().rules().targetFromTeacher(), String.join(" ", args));
            if (given) assertEquals(0.5, plan.preset().student().training().eval().target());
        }
    }

    @Test
    void unknownPresetOrMethodIsAUsageErrorListingTheValidOnes() {
        DistillCommandTest.Result p = DistillCommandTest.run("compare", "--preset", "huge", "--out", dir.toString());
        assertEquals(Main.USAGE, p.code());
        assertTrue(p.err().contains("unknown preset 'huge'; expected one of quick, quick-early, paper"), p.err());
        DistillCommandTest.Result m = DistillCommandTest.run("compare", "--methods", "ce,kd", "--out", dir.toString());
        assertEquals(Main.USAGE, m.code());
        assertTrue(m.err().contains("'kd'") && m.err().contains("ce|oneshot|progressive|extract"), m.err());
        assertFalse(Files.exists(dir.resolve(SettingsFile.NAME)));
        DistillCommandTest.Result text = DistillCommandTest.run("demo", "--preset", "text-quick", "--out",
                dir.resolve("demo").toString());
        assertEquals(Main.USAGE, text.code(), text.err());
        assertTrue(text.err().contains("run curex compare --preset text-quick --task text --corpus PATH"), text.err());
    }
}
