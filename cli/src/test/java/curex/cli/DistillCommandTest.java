// Tests of `curex distill`: help, task sizes from the teacher, clear errors, and the files a run writes.
package curex.cli;

import curex.engine.metrics.RunSummary;
import curex.engine.io.Json;
import curex.engine.io.RunLayout;
import curex.engine.io.Safetensors;
import curex.engine.metrics.MetricsLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class DistillCommandTest {
    @TempDir
    static Path dir;
    static Path teacher;
    static Path bare;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** A parity(8, 2) teacher 8-32-2 trained for 40 steps by `curex train`, with and without checkpoints. */
    @BeforeAll
    static void trainTeachers() {
        teacher = dir.resolve("teacher");
        bare = dir.resolve("bare");
        for (Path p : List.of(teacher, bare)) {
            Result r = run("train", "--n", "8", "--k", "2", "--hidden", "32", "--batch", "32", "--steps", "40",
                    "--eval-every", "20", "--eval-size", "256", "--threads", "1", "--out", p.toString(),
                    "--checkpoint-every", p == teacher ? "20" : "0");
            assertEquals(Main.OK, r.code(), r.err());
        }
    }

    private static String[] distill(String method, Path teacherDir, Path out, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("distill", "--method", method, "--hidden", "16",
                "--batch", "32", "--steps", "60", "--eval-every", "20", "--eval-size", "256", "--stage-length", "20",
                "--standardize-samples", "256", "--threads", "1", "--out", out.toString()));
        if (teacherDir != null) a.addAll(List.of("--teacher", teacherDir.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        Result r = run("distill", "--help");
        assertEquals(Main.OK, r.code());
        for (String o : List.of("--method", "--teacher", "--out", "--hidden", "--optimizer", "--lr", "--steps", "--seed",
                "--threads", "--batch", "--eval-every", "--target", "--[no-]stop-at-target", "--temperature", "--hard-labels",
                "--alpha", "--projection", "--projection-dim", "--[no-]adapter", "--stage-loss", "--stages",
                "--layer-map", "--trained-layers", "--stage-length", "--speed", "ce, oneshot, progressive, extract",
                "gaussian, rademacher, sparse, orthogonal", "(default: 0.99)", "(default: auto)"))
            assertTrue(r.out().replaceAll("\\s+", " ").contains(o), o + " in\n" + r.out());
        assertFalse(r.err().contains("WARN"), r.err());
        for (String cmd : List.of("compare", "demo")) {
            Result h = run(cmd, "--help");
            assertEquals(Main.OK, h.code());
            assertTrue(h.out().contains("--seeds") && h.out().contains("(default: 3)"), h.out());
        }
    }

    @Test
    void extractWritesEveryOutputWithTheTaskFromTheTeacher() throws Exception {
        Path out = dir.resolve("extract");
        Result r = run(distill("extract", teacher, out));
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().contains("done: 60 steps"), r.out());
        RunLayout run = new RunLayout(out);
        for (Path p : List.of(run.metrics(), run.summary(), run.config(), run.model())) assertTrue(Files.isRegularFile(p), p.toString());
        Map<String, Object> summary = Json.readMap(run.summary());
        RunSummary empty = new RunSummary("m", "t", "s", "t", 0.9, null, null, null, null, null, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, null, null, List.of(), List.of(), Map.of());
        for (String key : empty.toMap().keySet()) assertTrue(summary.containsKey(key), "summary has " + key);
        assertEquals("extract", summary.get("role"));
        assertEquals(60, ((Number) summary.get("steps")).intValue());
        assertEquals(Files.size(new RunLayout(teacher).model()), ((Number) summary.get("storage_bytes")).longValue());
        @SuppressWarnings("unchecked")
        Map<String, Object> task = (Map<String, Object>) Json.readMap(run.config()).get("task");
        assertEquals(8, ((Number) task.get("n")).intValue(), "n from the teacher's metadata");
        assertEquals(2, ((Number) task.get("k")).intValue());
        assertTrue(MetricsLog.readAll(run.metrics()).stream().anyMatch(m -> "stage".equals(m.get("kind"))));
        assertEquals("8", Safetensors.read(run.model()).metadata().get("parity.n"));
        Result again = run(distill("extract", teacher, out));
        assertEquals(Main.USAGE, again.code());
        assertTrue(again.err().contains("already holds a run"), again.err());
    }

    @Test
    void distillResumesAsStartedToTheSameStudent() throws Exception {
        // extract with 20-step stages, checkpoints every 10, "killed" after step 30
        Path killed = killedAfterStep30("extract", teacher, "resume"), whole = dir.resolve("resume-whole");
        RunLayout w = new RunLayout(whole), k = new RunLayout(killed);
        Result wrong = run("train", "--out", killed.toString(), "--resume");   // another command's run: refused
        assertEquals(Main.USAGE, wrong.code(), wrong.err());
        assertTrue(wrong.err().contains("holds a run of curex distill (--method extract); continue it with curex "
                + "distill --out"), wrong.err());
        Result r = run("distill", "--out", killed.toString(), "--resume");   // the run's own method, from config.json
        assertEquals(Main.OK, r.code(), r.err());
        var a = Safetensors.read(w.model()).tensors();
        var b = Safetensors.read(k.model()).tensors();
        for (String name : a.keySet()) org.junit.jupiter.api.Assertions.assertArrayEquals(a.get(name).data(),
                b.get(name).data(), name);
        assertEquals(Json.readMap(w.summary()).get("stages").toString(), Json.readMap(k.summary()).get("stages").toString());
    }

    @Test
    void aResumedRunKeepsItsTeacherByFullPathAndRefusesOneThatChanged() throws Exception {
        Path swapped = copyTree(teacher, dir.resolve("teacher-swapped"));
        Path killed = killedAfterStep30("oneshot", swapped, "swap");
        assertEquals(swapped.toAbsolutePath().normalize().toString(),
                SavedOptions.read(new RunLayout(killed).config()).get("--teacher"));
        Path model = new RunLayout(swapped).model();
        byte[] bytes = Files.readAllBytes(model);
        bytes[bytes.length - 2] ^= 1;   // another value of the last weight: a teacher trained on further, say
        Files.write(model, bytes);
        Result bogus = run("distill", "--out", killed.toString(), "--resume", "--bogus");
        assertEquals(Main.USAGE, bogus.code(), bogus.err());
        assertTrue(bogus.err().contains("'--bogus' is not a checkpoint file, and not an option of curex distill"),
                bogus.err());
        Result r = run("distill", "--out", killed.toString(), "--resume");
        assertEquals(Main.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--teacher: the run was trained with distill.teacher_sha256")
                && r.err().contains("the teacher's model.safetensors changed since the run started"), r.err());
    }

    /**
     * {@code name}-killed: a 60-step distill run (checkpoints every 10) as if killed after step 30, assembled from the
     * run ({@code name}-whole) and a 30-step run of the same settings ({@code name}-part); the learning rate is
     * constant, so both agree up to step 30.
     */
    private static Path killedAfterStep30(String method, Path teacherDir, String name) throws IOException {
        Path whole = dir.resolve(name + "-whole"), part = dir.resolve(name + "-part");
        assertEquals(Main.OK, run(distill(method, teacherDir, whole, "--checkpoint-every", "10")).code());
        String[] partial = distill(method, teacherDir, part, "--checkpoint-every", "10");
        partial[java.util.Arrays.asList(partial).indexOf("--steps") + 1] = "30";
        assertEquals(Main.OK, run(partial).code());
        return KilledRun.assemble(whole, part, dir.resolve(name + "-killed"));
    }

    /** A copy of the folder tree {@code from} at {@code to}. */
    private static Path copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else Files.copy(f, target);
            }
        }
        return to;
    }

    @Test
    void progressiveOnATeacherWithoutCheckpointsFailsWithExitOne() {
        Path out = dir.resolve("prog");
        Result r = run(distill("progressive", bare, out));
        assertEquals(Main.FAILURE, r.code(), r.err());
        assertTrue(r.err().startsWith("curex: error: progressive needs the teacher's checkpoints"), r.err());
        assertTrue(r.err().contains(bare.resolve("checkpoints").toString()), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void progressiveChecksEveryTeacherCheckpointBeforeItStarts() throws IOException {
        Path copy = copyTree(teacher, dir.resolve("teacher-cut")), out = dir.resolve("prog-cut");
        Path later = new RunLayout(copy).checkpoint(40);   // the second of two: read only once the run reaches it
        byte[] whole = Files.readAllBytes(later);
        Files.write(later, java.util.Arrays.copyOf(whole, whole.length - 100));
        Result r = run(distill("progressive", copy, out));
        assertEquals(Main.FAILURE, r.code(), r.err());
        assertTrue(r.err().contains(later.getFileName().toString()) && r.err().contains("truncated"), r.err());
        assertFalse(r.out().contains("distilling with"), "refused before the run starts: " + r.out());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void taskSizesThatContradictTheTeacherAreRefused() {
        Result n = run(distill("oneshot", teacher, dir.resolve("n9"), "--n", "9"));
        assertEquals(Main.USAGE, n.code(), n.err());
        assertTrue(n.err().contains("--n: the teacher in '" + teacher + "' was trained on parity n=8, but --n is 9"), n.err());
        Result k = run(distill("oneshot", teacher, dir.resolve("k3"), "--k", "3"));
        assertEquals(Main.USAGE, k.code(), k.err());
        assertTrue(k.err().contains("parity k=2, but --k is 3"), k.err());
        Result same = run(distill("ce", teacher, dir.resolve("same"), "--n", "8"));
        assertEquals(Main.OK, same.code(), same.err());
    }

    @Test
    void missingOrBadTeachersAndOptionsAreUsageErrors() {
        Result none = run(distill("oneshot", null, dir.resolve("x")));
        assertEquals(Main.USAGE, none.code());
        assertTrue(none.err().contains("--teacher: oneshot distils from a teacher"), none.err());
        Result missing = run(distill("extract", dir.resolve("nowhere"), dir.resolve("y")));
        assertEquals(Main.USAGE, missing.code());
        assertTrue(missing.err().contains("no such folder"), missing.err());
        Result length = run(distill("extract", teacher, dir.resolve("z"), "--stage-length", "soon"));
        assertEquals(Main.USAGE, length.code());
        assertTrue(length.err().contains("bad stage length 'soon'"), length.err());
        Result autoFixed = run(distill("extract", teacher, dir.resolve("z"), "--stages", "auto"));   // with --stage-length 20
        assertEquals(Main.USAGE, autoFixed.code());
        assertTrue(autoFixed.err().contains("--stages auto"), autoFixed.err());
        String[] wholeBudget = distill("extract", teacher, dir.resolve("z"));
        wholeBudget[java.util.Arrays.asList(wholeBudget).indexOf("--stage-length") + 1] = "60";   // of 60 steps
        Result budget = run(wholeBudget);
        assertEquals(Main.USAGE, budget.code(), budget.err());
        assertTrue(budget.err().contains("--stage-length/--steps: ") && budget.err().contains("leaving nothing for the "
                + "final KD stage"), budget.err());
        Result deep = run(distill("extract", teacher, dir.resolve("z"), "--layer-map", "9"));
        assertEquals(Main.USAGE, deep.code(), deep.err());
        assertTrue(deep.err().contains("--layer-map: ") && deep.err().contains("teacher layer 9"), deep.err());
        Result file = run(distill("extract", teacher.resolve("model.safetensors"), dir.resolve("z")));
        assertEquals(Main.USAGE, file.code(), file.err());
        assertTrue(file.err().contains("is a file; give the teacher's run folder"), file.err());
        assertFalse(Files.exists(dir.resolve("z")), "nothing written");
        Result badStages = run(distill("extract", teacher, dir.resolve("z"), "--stages", "last"));
        assertEquals(Main.USAGE, badStages.code());
        assertTrue(badStages.err().contains("expected auto or comma-separated positive integers"), badStages.err());
        Result unordered = run(distill("extract", teacher, dir.resolve("z"), "--stages", "2,1"));
        assertEquals(Main.USAGE, unordered.code());
        assertTrue(unordered.err().contains("--stages: stages must be strictly increasing"), unordered.err());
        Result noMethod = run("distill", "--teacher", teacher.toString(), "--out", dir.resolve("z").toString());
        assertEquals(Main.USAGE, noMethod.code());
        assertTrue(noMethod.err().contains("--method: required: one of ce, oneshot, progressive, extract"),
                noMethod.err());
        assertFalse(Files.exists(dir.resolve("z")), "nothing written");
        Result method = run("distill", "--method", "kd");
        assertEquals(Main.USAGE, method.code());
        assertTrue(method.err().contains("ce, oneshot, progressive, extract"), method.err());
        Result ce = run(distill("ce", null, dir.resolve("ce")));
        assertEquals(Main.OK, ce.code(), ce.err());
    }
}
