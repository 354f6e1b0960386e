// `curex train` and `curex eval` on the transformer tasks: outputs, task defaults, logits files and bad input.
package curex.cli;

import curex.engine.io.Json;
import curex.engine.io.NamedArray;
import curex.engine.io.RunLayout;
import curex.engine.io.Safetensors;
import curex.engine.io.SafetensorsFile;
import curex.engine.metrics.MetricsLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransformerCliTest {
    @TempDir
    Path dir;

    /** A tiny run; {@code more} adds options or replaces the base ones (pairs of option and value). */
    private static String[] train(Path out, String task, String... more) {
        Map<String, String> o = new java.util.LinkedHashMap<>(Map.of("--task", task, "--layers", "1", "--d-model", "8",
                "--heads", "2", "--batch", "8", "--steps", "20", "--eval-every", "10", "--eval-size", "32",
                "--threads", "1", "--out", out.toString()));
        for (int i = 0; i < more.length; i += 2) o.put(more[i], more[i + 1]);
        List<String> a = new ArrayList<>(List.of("train"));
        o.forEach((k, v) -> a.addAll(List.of(k, v)));
        return a.toArray(String[]::new);
    }

    private static DistillCommandTest.Result ok(DistillCommandTest.Result r) {
        assertEquals(Main.OK, r.code(), r.err() + r.out());
        return r;
    }

    private static void usage(DistillCommandTest.Result r, String... fragments) {
        assertEquals(Main.USAGE, r.code(), r.err() + r.out());
        for (String f : fragments) assertTrue(r.err().contains(f), "'" + f + "' in " + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void parityAsASequenceTrainsWithItsTaskDefaultsAndEvaluatesToALogitsFile() throws Exception {
        Path run = dir.resolve("tf"), logits = dir.resolve("tf-logits.safetensors");
        ok(DistillCommandTest.run(train(run, "parity-tf", "--n", "6", "--k", "2")));
        RunLayout layout = new RunLayout(run);
        @SuppressWarnings("unchecked")
        Map<String, Object> options = (Map<String, Object>) Json.readMap(layout.config()).get("options");
        assertEquals("0.9,0.95", options.get("--betas"), "parity-tf's own default");
        assertEquals("1.0", options.get("--clip"));
        assertEquals("2", options.get("--warmup"), "a run shorter than the default warmup warms up for a tenth of it");
        assertEquals("true", String.valueOf(options.get("--stop-at-target")), "parity-tf ends at its target by default");
        SafetensorsFile model = Safetensors.read(layout.model());
        assertEquals("curex.transformer", model.metadata().get("format"));
        assertTrue(model.tensors().containsKey("bert.encoder.layer.0.attention.self.query.weight"));
        assertTrue(model.tensors().containsKey("classifier.weight"));
        assertEquals("torch", model.metadata().get("init"), "PyTorch's init by default");

        ok(DistillCommandTest.run("eval", "--model", run.toString(), "--logits", logits.toString(), "--eval-size", "32"));
        DistillCommandTest.Result info = ok(DistillCommandTest.run("info", logits.toString()));
        assertTrue(info.out().contains("tensors: 4") && info.out().contains("  logits F32 [32, 2]")
                && info.out().contains("  input_ids I32 [32, 7]"), info.out());
        info = ok(DistillCommandTest.run("info", run.toString()));   // a run folder: its model
        assertTrue(info.out().contains("  task: parity-tf") && info.out().contains("  classifier.weight F32 [2, "),
                info.out());
        DistillCommandTest.Result foreign = DistillCommandTest.run("info", layout.config().toString());
        assertEquals(Main.FAILURE, foreign.code(), "a file it cannot read, as eval's --model");
        assertTrue(foreign.err().contains("not a safetensors file"), foreign.err());
        SafetensorsFile f = Safetensors.read(logits);
        NamedArray ids = f.tensor("input_ids"), mask = f.tensor("attention_mask");
        assertArrayEquals(new int[]{32, 7}, ids.shape());
        for (int i = 0; i < 32; i++) assertEquals(2, ids.ints()[i * 7 + 6], "the CLS token closes every sequence");
        for (int m : mask.ints()) assertEquals(1, m, "parity-tf pads nothing");
        assertArrayEquals(new int[]{32, 2}, f.tensor("logits").shape());
        assertArrayEquals(new int[]{32}, f.tensor("labels").shape());

        // extraction from the transformer teacher: one projection stage per block, then KD, on a smaller transformer
        Path student = dir.resolve("tf-extract");
        ok(DistillCommandTest.run("distill", "--method", "extract", "--teacher", run.toString(), "--layers", "1",
                "--d-model", "4", "--heads", "1", "--batch", "8", "--steps", "12", "--stage-length", "4",
                "--eval-every", "6", "--eval-size", "32", "--threads", "1", "--out", student.toString()));
        List<String> stages = MetricsLog.readAll(new RunLayout(student).metrics()).stream()
                .filter(m -> "stage".equals(m.get("kind"))).map(m -> (String) m.get("name")).toList();
        assertEquals(List.of("project-1", "kd"), stages, "a stage for the student's one block, then KD");
        assertEquals("curex.transformer", Safetensors.read(new RunLayout(student).model()).metadata().get("format"));
        @SuppressWarnings("unchecked")
        Map<String, Object> distilled = (Map<String, Object>) Json.readMap(new RunLayout(student).config()).get("options");
        assertEquals("0.9,0.95", distilled.get("--betas"), "the teacher's task's optimizer defaults");
        assertEquals("1.0", distilled.get("--clip"));
        assertEquals("1", distilled.get("--warmup"), "a tenth of a run shorter than the task's warmup");
        assertEquals("8", distilled.get("--batch"), "an option given wins over the task's default");
    }

    @Test
    void pcfgLogitsCoverEveryPositionAndMaskThePadding() throws Exception {
        Path run = dir.resolve("pcfg"), logits = dir.resolve("pcfg-logits.safetensors");
        ok(DistillCommandTest.run(train(run, "pcfg", "--roots", "16,18", "--norm", "post", "--init", "bert")));
        ok(DistillCommandTest.run("eval", "--model", run.toString(), "--logits", logits.toString(), "--eval-size", "32"));
        SafetensorsFile f = Safetensors.read(logits);
        NamedArray ids = f.tensor("input_ids"), mask = f.tensor("attention_mask"), labels = f.tensor("labels");
        int T = ids.shape()[1];
        assertArrayEquals(new int[]{32, T, 8}, f.tensor("logits").shape());
        assertArrayEquals(new int[]{32, T}, labels.shape());
        int padded = 0;
        for (int i = 0; i < ids.ints().length; i++) {
            assertEquals(ids.ints()[i] == 5 ? 0 : 1, mask.ints()[i], "attention_mask is 0 exactly at PAD");
            if (ids.ints()[i] == 5) {
                padded++;
                assertEquals(-100, labels.ints()[i], "padding carries no label");
            }
        }
        assertTrue(padded > 0, "sequences of different lengths are padded");
        // every method distils the masked-LM teacher; extraction: a projection stage for the student's block, then KD
        Path student = dir.resolve("pcfg-extract");
        ok(DistillCommandTest.run("distill", "--method", "extract", "--teacher", run.toString(), "--layers", "1",
                "--d-model", "4", "--heads", "1", "--batch", "8", "--steps", "8", "--stage-length", "4",
                "--eval-every", "4", "--eval-size", "32", "--threads", "1", "--out", student.toString()));
        assertEquals(List.of("project-1", "kd"), MetricsLog.readAll(new RunLayout(student).metrics()).stream()
                .filter(m -> "stage".equals(m.get("kind"))).map(m -> (String) m.get("name")).toList());
        Map<String, String> meta = Safetensors.read(new RunLayout(run).model()).metadata();
        assertEquals("post", meta.get("norm"));
        assertEquals("bert", meta.get("init"));
    }

    @Test
    void aGrammarFileGivenByARelativePathIsSavedAbsoluteForResumingElsewhere() throws Exception {
        Path file = Files.writeString(dir.resolve("rel.grammar"), "terminals: a b\nS -> A b\nA -> a | b\n");
        Path relative = Path.of("").toAbsolutePath().relativize(file), out = dir.resolve("rel");
        assertFalse(relative.isAbsolute());
        ok(DistillCommandTest.run(train(out, "pcfg", "--grammar", relative.toString(), "--roots", "S")));
        Map<String, String> saved = SavedOptions.read(new RunLayout(out).config());
        assertEquals(file.toAbsolutePath().normalize().toString(), saved.get("--grammar"));
    }

    @Test
    void badTransformerOptionsAreUsageErrorsThatWriteNothing() throws Exception {
        Path out = dir.resolve("bad");
        usage(DistillCommandTest.run(train(out, "parity-tf", "--heads", "3")), "--heads: ",
                "3 heads do not divide d_model 8");
        usage(DistillCommandTest.run(train(out, "parity-tf", "--init", "foo")), "--init",
                "expected one of torch, bert, got 'foo'");
        usage(DistillCommandTest.run(train(out, "parity-tf", "--norm", "sideways")), "--norm",
                "expected one of pre, post");
        usage(DistillCommandTest.run(train(out, "pcfg", "--mlp-ratio", "268435460")), "--mlp-ratio/--d-model: ",
                "more than an array holds");   // the MLP width would wrap around an int
        Path own = Files.writeString(dir.resolve("own.grammar"), "terminals: a b\nS -> A b\nA -> a | b\n");
        usage(DistillCommandTest.run(train(out, "pcfg", "--grammar", own.toString())), "--roots: ",
                "root nonterminal(s) of grammar own (its nonterminals: S, A)");
        StringBuilder deep = new StringBuilder("terminals: a b\n");
        for (int i = 0; i < 30; i++) deep.append("N").append(i).append(" -> N").append(i + 1).append(" N").append(i + 1)
                .append('\n');
        deep.append("N30 -> a | b\n");
        Path doubling = Files.writeString(dir.resolve("deep.grammar"), deep);
        usage(DistillCommandTest.run(train(out, "pcfg", "--grammar", doubling.toString(), "--roots", "N0")),
                "--roots: ", "derives strings of up to 1073741824 terminals", "at most 65536");
        Path binary = Files.write(dir.resolve("binary.grammar"), new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        usage(DistillCommandTest.run(train(out, "pcfg", "--grammar", binary.toString(), "--roots", "S")),
                "--grammar: ", "is not UTF-8 text");
        Path folder = Files.createDirectories(dir.resolve("folder.grammar"));
        usage(DistillCommandTest.run(train(out, "pcfg", "--grammar", folder.toString(), "--roots", "S")),
                "--grammar: ", "is a folder");
        usage(DistillCommandTest.run(train(out, "parity-tf", "--hidden", "64")), "--hidden", "transformer");
        usage(DistillCommandTest.run("train", "--task", "parity", "--layers", "3", "--out", out.toString()),
                "--layers", "MLP");
        usage(DistillCommandTest.run(train(out, "pcfg", "--n", "10")), "--n", "parity tasks");
        usage(DistillCommandTest.run(train(out, "pcfg", "--roots", "99")), "--roots", "'99'");
        Path grammar = Files.writeString(dir.resolve("broken.grammar"), "terminals: a b\nS -> A b\nA -> | a\n");
        usage(DistillCommandTest.run(train(out, "pcfg", "--grammar", grammar.toString(), "--roots", "S")),
                "--grammar", "line 3");
        usage(DistillCommandTest.run(train(out, "lm")), "--task", "parity-tf");
        usage(DistillCommandTest.run(train(out, "parity-tf", "--init", "xavier")), "--init", "xavier", "bert");
        usage(DistillCommandTest.run("train", "--task", "parity", "--init", "bert", "--out", out.toString()),
                "--init", "MLP");
        assertFalse(Files.exists(out), "nothing written by a refused command");
    }

    @Test
    void evalRefusesATaskThatDoesNotMatchTheModel() throws Exception {
        Path run = dir.resolve("tf");
        ok(DistillCommandTest.run(train(run, "parity-tf", "--n", "6", "--k", "2")));
        usage(DistillCommandTest.run("eval", "--model", run.toString(), "--task", "pcfg"), "--task", "parity-tf(n=6, k=2)");
        usage(DistillCommandTest.run("eval", "--model", run.toString(), "--k", "3"), "--k", "k=2");
    }
}
