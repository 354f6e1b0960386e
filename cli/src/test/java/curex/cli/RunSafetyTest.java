// What the command line refuses or repairs: resume as started, finished runs, damaged checkpoints, extreme values,
// compare folders, failed starts, and Ctrl-C on a real process.
package curex.cli;

import curex.engine.checkpoint.TrainingCheckpoint;
import curex.engine.io.Json;
import curex.engine.io.RunLayout;
import curex.engine.io.RunLock;
import curex.engine.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunSafetyTest {
    @TempDir
    Path dir;

    private static DistillCommandTest.Result run(String... args) {
        return DistillCommandTest.run(args);
    }

    private static String[] train(Path out, String steps, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--n", "8", "--k", "2", "--hidden", "16", "--batch", "16",
                "--steps", steps, "--eval-every", "10", "--eval-size", "128", "--checkpoint-every", "10", "--threads", "1",
                "--seed", "4", "--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static void ok(DistillCommandTest.Result r) {
        assertEquals(Main.OK, r.code(), r.err() + r.out());
    }

    private static void usage(DistillCommandTest.Result r, String... fragments) {
        assertEquals(Main.USAGE, r.code(), r.err() + r.out());
        for (String f : fragments) assertTrue(r.err().contains(f), "'" + f + "' in " + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    /**
     * The folder a 40-step run leaves when killed after its step-{@code step} checkpoint: its config, and what a run of
     * the same settings stopped at that step wrote (checkpoints, their resume state, metrics). The learning rate is
     * constant, so the first steps of both runs are the same.
     */
    private Path killedAfter(String name, long step) throws IOException {
        Path whole = dir.resolve(name + "-whole"), part = dir.resolve(name + "-part"), killed = dir.resolve(name);
        ok(run(train(whole, "40")));
        ok(run(train(part, Long.toString(step))));
        return KilledRun.assemble(whole, part, killed);
    }

    @Test
    void aRunStoppedBeforeItsFirstCheckpointStartsAgainOnResume() throws IOException {
        Path whole = dir.resolve("early-whole"), early = dir.resolve("early");
        ok(run(train(whole, "40")));
        Files.createDirectories(early);   // killed before its first checkpoint: its config and its first evaluation
        Files.copy(new RunLayout(whole).config(), new RunLayout(early).config());
        Files.writeString(new RunLayout(early).metrics(), Files.readString(new RunLayout(whole).metrics()).lines()
                .filter(l -> l.contains("\"step\":0,")).findFirst().orElseThrow() + "\n");
        usage(run(train(early, "40")), "already holds a run; use --resume");
        DistillCommandTest.Result r = run("train", "--out", early.toString(), "--resume");
        ok(r);
        assertTrue(r.out().contains("stopped before its first checkpoint; starting it again from step 0"), r.out());
        assertArrayEquals(Files.readAllBytes(new RunLayout(whole).model()), Files.readAllBytes(new RunLayout(early).model()));
        Path none = dir.resolve("no-checkpoints");   // finished without checkpoints, its summary lost: not restarted
        String[] noCheckpoints = train(none, "20");
        noCheckpoints[java.util.Arrays.asList(noCheckpoints).indexOf("--checkpoint-every") + 1] = "0";
        ok(run(noCheckpoints));
        Files.delete(new RunLayout(none).summary());
        byte[] model = Files.readAllBytes(new RunLayout(none).model());
        usage(run("train", "--out", none.toString(), "--resume"), "got further than a restart would keep", "--force");
        assertArrayEquals(model, Files.readAllBytes(new RunLayout(none).model()), "the model kept");
    }

    @Test
    void resumeContinuesAsStartedAndRefusesOptionsThatDiffer() throws IOException {
        Path out = killedAfter("run", 20);
        RunLayout layout = new RunLayout(out);
        String config = Files.readString(layout.config());
        usage(run("eval", "--model", curex.engine.checkpoint.TrainingCheckpoint.stateFile(layout.checkpoint(20))
                .toString()), "is the resume state of a checkpoint", "step-20.safetensors");
        usage(run("train", "--out", out.toString(), "--resume", "--steps", "30", "--lr", "0.01"),
                "--steps (the run has 40, given 30)", "--lr (the run has 0.003, given 0.01)");
        assertEquals(config, Files.readString(layout.config()), "config.json untouched");
        ok(run("train", "--out", out.toString(), "--resume", "--lr", "3e-3", "--threads", "2"));   // 3e-3 is the same lr
        assertEquals(40, ((Number) Json.readMap(layout.summary()).get("steps")).intValue(), "the run's own 40 steps");
        assertEquals(config, Files.readString(layout.config()));
    }

    @Test
    void resumingAFinishedRunSaysSoAndChangesNothing() throws IOException {
        Path out = dir.resolve("done");
        ok(run(train(out, "20")));
        RunLayout layout = new RunLayout(out);
        byte[] summary = Files.readAllBytes(layout.summary()), metrics = Files.readAllBytes(layout.metrics());
        DistillCommandTest.Result r = run("train", "--out", out.toString(), "--resume");
        ok(r);
        assertTrue(r.out().contains("is finished (20 steps, final accuracy"), r.out());
        assertArrayEquals(summary, Files.readAllBytes(layout.summary()));
        assertArrayEquals(metrics, Files.readAllBytes(layout.metrics()));
    }

    @Test
    void aTruncatedNewestCheckpointFallsBackToThePreviousOneSayingSo() throws IOException {
        Path cut = killedAfter("cut", 30), whole = dir.resolve("cut-whole");
        RunLayout layout = new RunLayout(cut);
        Path newest = layout.checkpoint(30);
        byte[] bytes = Files.readAllBytes(newest);
        Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length / 2));   // a write cut short
        DistillCommandTest.Result r = run("train", "--out", cut.toString(), "--resume");
        ok(r);
        assertTrue(r.out().contains("step-30.safetensors cannot be read back") && r.out().contains("step-20"), r.out());
        var a = Safetensors.read(new RunLayout(whole).model()).tensors();
        var b = Safetensors.read(layout.model()).tensors();
        for (String name : a.keySet()) assertArrayEquals(a.get(name).data(), b.get(name).data(), name);
    }

    @Test
    void aLockedFolderIsRefusedAtOnceAndAFailedStartLeavesNoFolder() throws IOException {
        Path busy = Files.createDirectories(dir.resolve("busy"));
        try (RunLock lock = RunLock.acquire(busy)) {
            assertTrue(Files.exists(busy.resolve(RunLock.FILE)), lock.toString());
            DistillCommandTest.Result r = run(train(busy, "20"));
            assertEquals(Main.FAILURE, r.code(), r.err());
            assertTrue(r.err().contains("is in use by another curex run"), r.err());
        }
        Path wild = dir.resolve("wild");
        DistillCommandTest.Result r = run(train(wild, "200", "--lr", "1e6"));
        assertEquals(Main.FAILURE, r.code(), r.out());
        assertTrue(r.err().contains("training diverged"), r.err());
        assertFalse(Files.exists(wild), "nothing left to block the corrected command");
        ok(run(train(wild, "20")));
    }

    @Test
    void aFreshRunDoesNotReplaceAUsersFileOfTheNameItWrites() throws IOException {
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(mine.resolve("config.json"), "{\"mine\": 1}");
        Files.writeString(mine.resolve("notes.txt"), "kept");
        usage(run(train(mine, "10")), "already holds config.json, which the run would replace");
        assertEquals("{\"mine\": 1}", Files.readString(mine.resolve("config.json")));
        ok(run(train(mine, "10", "--force")));
        assertEquals("kept", Files.readString(mine.resolve("notes.txt")), "a file no run writes stays");
        assertTrue(Files.readString(mine.resolve("config.json")).contains("\"steps\""), "replaced with --force");
    }

    @Test
    void extremeValuesAreRefusedBeforeAnythingStarts() {
        usage(run("train", "--threads", "100000", "--out", dir.resolve("t").toString()), "--threads: 100000 is more than");
        usage(run("train", "--n", "100000000", "--out", dir.resolve("n").toString()), "needs at least", "java may use");
        usage(run("train", "--batch", "2000000000", "--out", dir.resolve("b").toString()), "needs at least");
        usage(run("train", "--out", ""), "--out: the folder name is empty");
        usage(run("compare", "--out", ""), "--out: the folder name is empty");
        assertFalse(Files.exists(dir.resolve("t")) || Files.exists(dir.resolve("n")) || Files.exists(dir.resolve("b")));
    }

    @Test
    void compareRefusesAFolderHoldingSomethingElse() throws IOException {
        Path trained = dir.resolve("trained");
        ok(run(train(trained, "10")));
        usage(run("compare", "--preset", "tiny", "--seeds", "1", "--methods", "ce", "--out", trained.toString()),
                "holds no comparison");
        assertFalse(Files.exists(trained.resolve("compare-settings.json")));
    }

    @Test
    void ctrlCStopsARealRunWithACheckpointASummaryAndExit130() throws Exception {
        Path out = dir.resolve("ctrl-c");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(train(out, "200000")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        RunLayout layout = new RunLayout(out);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (layout.checkpointFiles().isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
        assertFalse(layout.checkpointFiles().isEmpty(), "the run started");
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "stopped after its step");
        String said = new String(p.getInputStream().readAllBytes());
        assertEquals(Interrupts.EXIT_CODE, p.exitValue(), said);
        assertTrue(said.contains("INT received") && said.contains("curex train --out " + out + " --resume"), said);
        var summary = Json.readMap(layout.summary());
        assertEquals("interrupted", summary.get("stop_reason"));
        long steps = ((Number) summary.get("steps")).longValue();
        assertTrue(Files.isRegularFile(layout.checkpoint(steps)), "a checkpoint of the last step");
    }
}
