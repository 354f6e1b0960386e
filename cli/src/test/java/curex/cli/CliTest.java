// Tests of the command line: exit codes, messages for bad options, `info`, and the settings `train` derives.
package curex.cli;

import curex.engine.io.Safetensors;
import curex.engine.io.NamedArray;
import curex.engine.io.RunLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CliTest {
    @TempDir
    Path dir;

    /** Exit code, standard output and standard error of one invocation. */
    record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static void assertUsageError(Result r, String... fragments) {
        assertEquals(Main.USAGE, r.code(), r.err());
        for (String f : fragments) assertTrue(r.err().contains(f), "stderr mentions '" + f + "': " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void outOfMemoryIsOneLineSayingWhatToChange() {
        StringWriter text = new StringWriter();
        int code = Main.onOutOfMemory(new OutOfMemoryError("Java heap space"), new PrintWriter(text), 6_300_000_000L);
        assertEquals(Main.FAILURE, code);
        String line = text.toString();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("curex: error: out of memory (Java heap space; java may use 6.3 GB)"), line);
        assertTrue(line.contains("--batch") && line.contains("CUREX_JAVA_OPTS=-Xmx"), line);
    }

    @Test
    void infoPrintsVectorWidthThreadsAndProcessors() {
        Result r = run("info", "--threads", "1");
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().contains("backend: vector"), r.out());
        assertTrue(r.out().matches("(?s).*vector width: \\d+ floats.*"), r.out());
        assertTrue(r.out().contains("threads: 1"), r.out());
        assertTrue(r.out().contains("available processors: " + Runtime.getRuntime().availableProcessors()), r.out());
        assertTrue(r.out().contains("java: " + Runtime.version()), r.out());
        Result nope = run("info", "--backend", "nope");
        assertEquals(Main.USAGE, nope.code(), nope.err());
        assertEquals("", nope.out(), "the error comes before any line of information");
        assertTrue(nope.err().contains("unknown backend 'nope'; the backends are reference, vector"), nope.err());
        Result one = run("train", "--backend", "reference", "--threads", "2", "--n", "8", "--k", "2", "--hidden", "8",
                "--steps", "2", "--eval-size", "64", "--out", dir.resolve("ref").toString());
        assertEquals(Main.OK, one.code(), one.err());
        assertTrue(one.out().contains("reference backend, 1 thread(s)"), "the threads it computes with: " + one.out());
        Result ref = run("info", "--backend", "reference");
        assertTrue(ref.out().contains("backend: reference") && ref.out().contains("vector width: 1 floats"), ref.out());
    }

    /** Without a GPU (CI, this machine), asking for cuda is a usage error that says what is missing; info says it too. */
    @Test
    void cudaWithoutAGpuIsAUsageErrorNamingWhatIsMissing() {
        java.util.Optional<String> why = curex.kernels.Backends.provider("cuda").unavailableReason();
        org.junit.jupiter.api.Assumptions.assumeTrue(why.isPresent(), "CUDA is usable here");
        assertUsageError(run("train", "--backend", "cuda", "--steps", "1"),
                "--backend: backend 'cuda' is not available here: ", why.get());
        Result info = run("info", "--backend", "cuda");
        assertEquals(Main.OK, info.code(), info.err());
        assertTrue(info.out().contains("backend: cuda (unavailable: " + why.get() + ")"), info.out());
        Result plain = run("info");
        assertTrue(plain.out().contains("cuda: unavailable (" + why.get() + ")"), plain.out());
    }

    @Test
    void versionAndHelp() {
        Result v = run("--version");
        assertEquals(Main.OK, v.code());
        assertTrue(v.out().startsWith("curex "), v.out());
        Result h = run("train", "--help");
        assertEquals(Main.OK, h.code());
        assertTrue(h.out().contains("--hidden") && h.out().contains("sgd, adamw"), h.out());
    }

    @Test
    void badOptionsGiveExitTwoAndSayWhy() {
        assertUsageError(run("train", "--hidden", "10,x"),
                "--hidden", "expected comma-separated positive integers, got '10,x'", "curex train --help");
        assertUsageError(run("train", "--hidden", "10,0"), "got '10,0'");
        assertUsageError(run("train", "--n", "5", "--k", "7"), "--k: must be <= --n (5), got 7");
        assertUsageError(run("train", "--lr", "-1"), "--lr", "expected a positive number, got '-1'");
        assertUsageError(run("train", "--lr", "NaN"), "--lr");
        assertUsageError(run("train", "--momentum", "1"), "[0, 1)");
        assertUsageError(run("train", "--batch", "0"), "--batch", "expected a positive integer");
        assertUsageError(run("train", "--steps", "100", "--warmup", "100"), "--warmup: must be < --steps (100)");
        assertUsageError(run("train", "--optimizer", "lbfgs"), "--optimizer", "sgd", "adamw");
        assertUsageError(run("train", "--backend", "gpu"), "--backend", "vector", "reference");
        assertUsageError(run("train", "--threads", "0"), "--threads");
        assertUsageError(run("train", "--stepz", "5"), "--stepz");
        assertUsageError(run("bogus"), "bogus");
        assertUsageError(run(), "missing command");
        assertUsageError(run("eval"), "--model");
    }

    @Test
    void trainSettingsDeriveWidthsAndDefaultFolder() throws Exception {
        CommandLine cl = Main.commandLine();
        cl.parseArgs("train", "--n", "30", "--k", "3", "--hidden", "64, 32", "--seed", "7", "--threads", "1");
        TrainCommand train = cl.getSubcommands().get("train").getCommand();
        TrainCommand.Request s = train.request();
        assertArrayEquals(new int[]{30, 64, 32, 2}, ((curex.engine.nn.MlpConfig) s.model()).widths());
        assertEquals(Path.of("runs", "parity-n30-k3-seed7"), s.out());
        assertEquals(1, s.threads());
        assertNull(s.resumeFrom());
        Map<String, Object> m = s.toMap();
        assertEquals(List.of(30, 64, 32, 2), ((Map<?, ?>) m.get("model")).get("widths"));
        assertEquals("adamw", ((Map<?, ?>) m.get("training")).get("optimizer"));
    }

    @Test
    void trainRefusesToOverwriteOrResumeNothing() throws Exception {
        Path out = dir.resolve("run");
        assertUsageError(run("train", "--out", out.toString(), "--resume"), "--resume", "no checkpoints");
        Files.createDirectories(out);
        Files.writeString(out.resolve("metrics.jsonl"), "{}\n");
        assertUsageError(run("train", "--out", out.toString()), "already holds a run", "--force");
        assertUsageError(run("train", "--out", out.toString(), "--resume", dir.resolve("none.safetensors").toString()),
                "no such file");
        // the newest checkpoint is chosen by step number, not by name
        Path run = dir.resolve("steps");
        assertEquals(Main.OK, run("train", "--n", "8", "--k", "2", "--hidden", "8", "--batch", "8", "--steps", "20",
                "--checkpoint-every", "5", "--eval-every", "0", "--eval-size", "64", "--threads", "1",
                "--out", run.toString()).code());
        new RunLayout(run).summary().toFile().delete();       // as if killed before its end
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.parseArgs("train", "--out", run.toString(), "--resume");
        TrainCommand train = cl.getSubcommands().get("train").getCommand();
        assertTrue(train.folder.prepareResume(train.spec, run, new PrintWriter(new StringWriter())));
        assertEquals(new RunLayout(run).checkpoint(20), train.request().resumeFrom());

        // an explicit checkpoint: this run's own, with its resume state beside it
        Path other = dir.resolve("other");
        assertEquals(Main.OK, run("train", "--n", "8", "--k", "2", "--hidden", "8", "--batch", "8", "--steps", "10",
                "--checkpoint-every", "5", "--eval-every", "0", "--eval-size", "64", "--threads", "1",
                "--out", other.toString()).code());
        assertUsageError(run("train", "--out", run.toString(), "--resume=" + new RunLayout(other).checkpoint(5)),
                "is not one of this run's checkpoints");
        assertUsageError(run("train", "--out", run.toString(), "--resume=" + new RunLayout(run).checkpoint(5)),
                "has no resume state beside it");   // only the newest two keep theirs
    }

    @Test
    void runtimeFailuresGiveExitOneAndOneLineWithoutStackTrace() throws Exception {
        Path bad = dir.resolve("broken.safetensors");
        Files.write(bad, new byte[]{1, 2, 3});
        Result r = run("eval", "--model", bad.toString(), "--n", "10", "--k", "2");
        assertEquals(Main.FAILURE, r.code(), r.err());
        assertTrue(r.err().startsWith("curex: error: ") && r.err().contains("broken.safetensors"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        Result d = run("eval", "--debug", "--model", bad.toString(), "--n", "10", "--k", "2");
        assertEquals(Main.FAILURE, d.code());
        assertTrue(d.err().contains("CheckpointException") && d.err().contains("\tat "), d.err());
    }

    @Test
    void evalTakesTaskSizesFromMetadataOrAsksForThem() throws Exception {
        Path model = dir.resolve("m.safetensors");
        Safetensors.write(model, Map.of("parity.n", "12", "parity.k", "3", "seed", "5"),
                List.of(new NamedArray("w", new int[]{2}, new float[2])));
        CommandLine cl = Main.commandLine();
        cl.parseArgs("eval", "--model", model.toString());
        EvalCommand.Request s = cl.getSubcommands().get("eval").<EvalCommand>getCommand().request();
        assertEquals(12, ((curex.engine.data.SparseParity) s.task()).n());
        assertEquals(3, ((curex.engine.data.SparseParity) s.task()).k());
        assertEquals(5, s.seed());
        Path bare = dir.resolve("bare.safetensors");
        Safetensors.write(bare, Map.of(), List.of(new NamedArray("w", new int[]{2}, new float[2])));
        assertUsageError(run("eval", "--model", bare.toString()), "--n", "metadata");
        assertUsageError(run("eval", "--model", model.toString(), "--k", "13"),
                "--k: the model " + model + " was trained on parity k=3, but --k is 13");
    }
}
