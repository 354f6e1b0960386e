// End-to-end tests of `curex train` and `curex eval` on a tiny parity task: outputs, exact resume, evaluation.
package curex.cli;

import curex.engine.io.NamedArray;
import curex.engine.io.RunLayout;
import curex.engine.io.Safetensors;
import curex.engine.io.SafetensorsFile;
import curex.engine.metrics.MetricsLog;
import curex.engine.metrics.RunSummary;
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

class TrainEvalTest {
    @TempDir
    Path dir;

    private static String[] tiny(Path out, String steps, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "--n", "8", "--k", "2", "--hidden", "32",
                "--batch", "32", "--steps", steps, "--eval-every", "10", "--eval-size", "256", "--checkpoint-every", "10",
                "--threads", "1", "--seed", "3", "--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static String ok(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        assertEquals(Main.OK, code, "stderr: " + err + "\nstdout: " + out);
        return out.toString();
    }

    @Test
    void trainWritesEveryOutputAndResumesExactly() throws Exception {
        Path a = dir.resolve("a"), b = dir.resolve("b");
        ok(tiny(a, "30"));
        RunLayout la = new RunLayout(a);
        for (Path p : List.of(la.model(), la.config(), la.metrics(), la.summary(), la.checkpoint(10), la.checkpoint(30)))
            assertTrue(Files.isRegularFile(p), p + " written");
        Map<String, Object> s = RunSummary.read(la.summary());
        for (String key : List.of("steps", "samples", "final_accuracy", "best_accuracy", "wall_seconds",
                "steps_per_second", "train_flops"))
            assertNotNull(s.get(key), key);
        assertEquals(30, ((Number) s.get("steps")).intValue());
        assertEquals(30 * 32, ((Number) s.get("samples")).intValue());
        // MLP 8 -> 32 -> 2, batch 32: forward 2*32*(8*32 + 32*2) FLOPs; backward twice that minus the input gradient
        long forward = 2L * 32 * (8 * 32 + 32 * 2);
        long flops = ((Number) s.get("train_flops")).longValue();
        assertTrue(flops >= 30 * 2 * forward && flops <= 30 * 3 * forward, "train_flops " + flops);
        List<Map<String, Object>> evals = MetricsLog.readAll(la.metrics()).stream()
                .filter(r -> "eval".equals(r.get("kind"))).toList();
        assertEquals(List.of(0, 10, 20, 30), evals.stream().map(r -> ((Number) r.get("step")).intValue()).toList());
        assertEquals(List.of(8, 32, 2), ((Map<?, ?>) curex.engine.io.Json.readMap(la.config()).get("model")).get("widths"));

        // b: the same run killed after step 20 (its later checkpoint, model and summary never written), then resumed with
        // no options but the folder: it continues as configured from step-20, and ends with the same model as a
        ok(tiny(b, "30"));
        RunLayout lb = new RunLayout(b);
        for (Path p : List.of(lb.checkpoint(30), curex.engine.checkpoint.TrainingCheckpoint.stateFile(lb.checkpoint(30)),
                lb.model(), lb.summary()))
            Files.delete(p);
        String resumed = ok("train", "--out", b.toString(), "--resume", "--threads", "1");
        assertTrue(resumed.contains("resuming from") && resumed.contains("step-20"), resumed);
        SafetensorsFile ma = Safetensors.read(la.model()), mb = Safetensors.read(new RunLayout(b).model());
        assertEquals(ma.tensors().keySet(), mb.tensors().keySet());
        for (NamedArray t : ma.tensors().values()) assertArrayEquals(t.data(), mb.tensor(t.name()).data(), t.name());
        List<Map<String, Object>> evalsB = MetricsLog.readAll(new RunLayout(b).metrics()).stream()
                .filter(r -> "eval".equals(r.get("kind"))).toList();
        assertEquals(evals.size(), evalsB.size(), "no duplicate records after resume");
        assertEquals(evals.getLast().get("accuracy"), evalsB.getLast().get("accuracy"));
    }

    @Test
    void aParityRunThatEndsAtChanceSaysWhyAndOneThatReachesItsTargetDoesNot() {
        String stuck = ok(tiny(dir.resolve("stuck"), "2"));
        assertTrue(stuck.contains("stayed near chance") && stuck.contains("--seed"), stuck);
        String reached = ok(tiny(dir.resolve("reached"), "2", "--target", "0.3"));
        assertFalse(reached.contains("stayed near chance"), reached);
    }

    @Test
    void evalReproducesTheFinalAccuracyAndWritesLogits() throws Exception {
        Path a = dir.resolve("run");
        ok(tiny(a, "20"));
        RunLayout la = new RunLayout(a);
        double finalAcc = ((Number) RunSummary.read(la.summary()).get("final_accuracy")).doubleValue();
        Path logits = dir.resolve("logits.safetensors");
        String out = ok("eval", "--model", la.dir().toString(), "--eval-size", "256", "--logits", logits.toString(),
                "--threads", "1");
        assertTrue(out.contains(String.format(java.util.Locale.ROOT, "accuracy: %.4f", finalAcc)), out + " vs " + finalAcc);
        SafetensorsFile f = Safetensors.read(logits);
        assertArrayEquals(new int[]{256, 2}, f.tensor("logits").shape());
        float[] l = f.tensor("logits").data();
        int[] y = f.tensor("labels").ints();
        assertEquals("I32", f.tensor("labels").dtype(), "labels are stored as integers");
        int correct = 0;
        for (int r = 0; r < 256; r++) if ((l[2 * r + 1] > l[2 * r] ? 1 : 0) == y[r]) correct++;
        assertEquals(finalAcc, correct / 256.0, 1e-9, "argmax of the written logits gives the reported accuracy");

        // without --eval-size, the run's own held-out size (256 here), so that eval gives back the run's accuracy
        String plain = ok("eval", "--model", la.dir().toString(), "--threads", "1");
        assertTrue(plain.contains(String.format(java.util.Locale.ROOT, "accuracy: %.4f (256 held-out samples", finalAcc)),
                plain);
        String file = ok("eval", "--model", la.model().toString(), "--threads", "1");
        assertTrue(file.contains("(256 held-out samples"), "the file in its run folder: " + file);
        String step = ok("eval", "--model", la.checkpoint(10).toString(), "--threads", "1");
        assertTrue(step.contains("(256 held-out samples"), "one of the run's checkpoints: " + step);

        // an existing file is another run's model or checkpoint as often as an old logits file: --force replaces it
        byte[] checkpoint = Files.readAllBytes(la.checkpoint(10));
        DistillCommandTest.Result kept = DistillCommandTest.run("eval", "--model", la.dir().toString(), "--logits",
                la.checkpoint(10).toString(), "--threads", "1");
        assertEquals(Main.USAGE, kept.code(), kept.err());
        assertTrue(kept.err().contains("already exists (--force replaces it)"), kept.err());
        assertArrayEquals(checkpoint, Files.readAllBytes(la.checkpoint(10)), "the checkpoint is untouched");
        DistillCommandTest.Result folder = DistillCommandTest.run("eval", "--model", la.dir().toString(), "--logits",
                la.checkpoints().toString());
        assertEquals(Main.USAGE, folder.code(), folder.err());
        assertTrue(folder.err().contains("is a folder"), folder.err());
        DistillCommandTest.Result underFile = DistillCommandTest.run("eval", "--model", la.dir().toString(), "--logits",
                la.summary().resolve("x.safetensors").toString());
        assertEquals(Main.USAGE, underFile.code(), underFile.err());
        assertTrue(underFile.err().contains("is not a folder"), underFile.err());
        ok("eval", "--model", la.dir().toString(), "--eval-size", "64", "--logits", logits.toString(), "--force",
                "--threads", "1");
        assertArrayEquals(new int[]{64, 2}, Safetensors.read(logits).tensor("logits").shape(), "replaced with --force");
    }
}
