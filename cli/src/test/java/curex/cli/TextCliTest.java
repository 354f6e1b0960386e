// `--task text` on the command line: train, eval and distill on a small corpus, the text presets, and usage errors.
package curex.cli;

import curex.engine.io.Json;
import curex.engine.io.RunLayout;
import curex.engine.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextCliTest {
    private static final Path STORIES = Path.of("..", "test-data", "text", "stories.txt");

    @TempDir
    Path dir;

    /** The shipped stories copied into the test folder, so that the cache beside it is the test's. */
    private Path corpus() throws Exception {
        Path c = dir.resolve("corpus").resolve("stories.txt");
        if (!Files.exists(c)) {
            Files.createDirectories(c.getParent());
            Files.copy(STORIES, c);
        }
        return c;
    }

    /** A tiny text run; {@code more} adds options or replaces the base ones (pairs of option and value). */
    private String[] train(Path out, String... more) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("--task", "text", "--corpus", corpus().toString(),
                "--vocab-size", "300", "--seq-len", "24", "--layers", "1", "--d-model", "16", "--heads", "2"));
        o.putAll(Map.of("--batch", "8", "--steps", "20", "--eval-every", "10", "--eval-size", "32"));
        o.put("--threads", "1");
        o.put("--out", out.toString());
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
    void trainEvalAndDistillOnACorpus() throws Exception {
        Path run = dir.resolve("teacher");
        DistillCommandTest.Result t = ok(DistillCommandTest.run(train(run)));
        assertTrue(t.out().contains("prepared: 635 documents"), t.out());
        assertTrue(t.out().contains("held-out accuracy"), t.out());
        Map<String, String> meta = Safetensors.readMetadata(new RunLayout(run).model());
        assertEquals("text", meta.get("task"));
        assertEquals("24", meta.get("text.seq_len"));
        Path prepared = Path.of(meta.get("text.train")).getParent();
        assertEquals(corpus().toAbsolutePath().getParent().resolve(".curex-cache"), prepared.getParent());

        DistillCommandTest.Result e = ok(DistillCommandTest.run("eval", "--model", run.toString(), "--eval-size", "32",
                "--threads", "1"));
        assertTrue(e.out().contains("accuracy: ") && e.out().contains("text("), e.out());

        // a second run reuses the prepared corpus
        DistillCommandTest.Result again = ok(DistillCommandTest.run(train(dir.resolve("again"), "--steps", "2",
                "--eval-every", "2")));
        assertTrue(again.out().contains("reusing the prepared corpus " + prepared), again.out());

        Path student = dir.resolve("student");
        DistillCommandTest.Result d = ok(DistillCommandTest.run("distill", "--method", "extract", "--teacher",
                run.toString(), "--layers", "1", "--d-model", "8", "--heads", "2", "--batch", "8", "--steps", "12",
                "--stage-length", "4", "--eval-every", "6", "--eval-size", "32", "--threads", "1", "--out",
                student.toString()));
        assertTrue(d.out().contains("on text("), d.out());
        usage(DistillCommandTest.run("distill", "--method", "oneshot", "--teacher", run.toString(), "--seq-len", "32",
                "--steps", "2", "--out", dir.resolve("bad").toString()), "--seq-len", "24");

        // with the token files gone, eval asks for the corpus, and prepares it again when given one
        Path tokenizer = dir.resolve("tokenizer.json");
        Files.copy(prepared.resolve("tokenizer.json"), tokenizer);
        try (var files = Files.walk(prepared)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
        usage(DistillCommandTest.run("eval", "--model", run.toString(), "--eval-size", "32"), "--corpus");
        DistillCommandTest.Result back = ok(DistillCommandTest.run("eval", "--model", run.toString(), "--corpus",
                corpus().toString(), "--tokenizer", tokenizer.toString(), "--eval-size", "32", "--threads", "1"));
        assertTrue(back.out().contains("accuracy: "), back.out());
        Path unused = dir.resolve("unused-cache");
        usage(DistillCommandTest.run("eval", "--model", run.toString(), "--corpus", corpus().toString(),
                "--vocab-size", "280", "--eval-size", "32", "--cache", unused.toString()), "--vocab-size",
                "vocabulary of 300");
        usage(DistillCommandTest.run("eval", "--model", run.toString(), "--corpus", corpus().toString(),
                "--seq-len", "32", "--cache", unused.toString()), "--seq-len", "24 tokens");
        assertFalse(Files.exists(unused), "refused before the corpus is tokenized");
        // without --tokenizer, the one trained again takes the model's vocabulary size (not the default 4096), and so
        // gives back the run's own accuracy
        DistillCommandTest.Result retrained = ok(DistillCommandTest.run("eval", "--model", run.toString(), "--corpus",
                corpus().toString(), "--eval-size", "32", "--threads", "1"));
        assertEquals(back.out().lines().filter(l -> l.startsWith("accuracy: ")).toList(),
                retrained.out().lines().filter(l -> l.startsWith("accuracy: ")).toList(), retrained.out());
    }

    @Test
    void evalOnTheCorpusAgainHoldsOutWhatTheRunHeldOut() throws Exception {
        // a run split its corpus with --heldout-fraction 0.2; with its token files gone, eval --corpus prepares the
        // corpus again with the recorded fraction, not the default, and so evaluates on the run's held-out documents
        Path run = dir.resolve("fifth");
        ok(DistillCommandTest.run(train(run, "--heldout-fraction", "0.2", "--steps", "4", "--eval-every", "4")));
        Map<String, String> meta = Safetensors.readMetadata(new RunLayout(run).model());
        assertEquals("0.2", meta.get("text.heldout_fraction"));
        DistillCommandTest.Result before = ok(DistillCommandTest.run("eval", "--model", run.toString(), "--eval-size",
                "32", "--threads", "1"));
        // on the recorded token files, options that only shape a new preparation are refused, not ignored
        ok(DistillCommandTest.run("eval", "--model", run.toString(), "--eval-size", "32", "--heldout-fraction", "0.2",
                "--threads", "1"));
        usage(DistillCommandTest.run("eval", "--model", run.toString(), "--heldout-fraction", "0.1"),
                "--heldout-fraction", "0.2 of the corpus held out", "only with --corpus");
        usage(DistillCommandTest.run("eval", "--model", run.toString(), "--vocab-size", "400"), "--vocab-size",
                "only with --corpus");
        usage(DistillCommandTest.run("distill", "--method", "ce", "--teacher", run.toString(), "--tokenizer",
                corpus().toString(), "--out", dir.resolve("nope").toString()), "--tokenizer", "only with --corpus");
        usage(DistillCommandTest.run("eval", "--model", run.toString(), "--n", "10"), "--n", "not text");
        Path prepared = Path.of(meta.get("text.train")).getParent();
        Path tokenizer = dir.resolve("fifth-tokenizer.json");
        Files.copy(prepared.resolve("tokenizer.json"), tokenizer);
        try (var files = Files.walk(prepared)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
        DistillCommandTest.Result after = ok(DistillCommandTest.run("eval", "--model", run.toString(), "--corpus",
                corpus().toString(), "--tokenizer", tokenizer.toString(), "--eval-size", "32", "--threads", "1"));
        assertEquals(before.out().lines().filter(l -> l.startsWith("accuracy: ")).toList(),
                after.out().lines().filter(l -> l.startsWith("accuracy: ")).toList(), after.out());
        assertFalse(after.out().contains("note: the held-out tokens give"), after.out());
        long windows = Long.parseLong(meta.get("text.heldout_tokens")) - (Long.parseLong(meta.get("text.seq_len")) - 2);
        DistillCommandTest.Result more = ok(DistillCommandTest.run("eval", "--model", run.toString(), "--corpus",
                corpus().toString(), "--tokenizer", tokenizer.toString(), "--eval-size", Long.toString(windows + 1),
                "--threads", "1"));
        assertTrue(more.out().contains("note: the held-out tokens give " + windows + " different windows"), more.out());
        usage(DistillCommandTest.run("eval", "--model", run.toString(), "--corpus", corpus().toString(), "--tokenizer",
                tokenizer.toString(), "--heldout-fraction", "0.1", "--eval-size", "32"), "--heldout-fraction",
                "split with 0.2", "omit --heldout-fraction");
        // a tokenizer of the same size that is not the model's is refused (it would evaluate on other token ids)
        assertEquals(64, meta.get("text.tokenizer_sha256").length());
        Path other = dir.resolve("other-tokenizer.json");
        ok(DistillCommandTest.run("tokenizer", "train", "--corpus", corpus().toString(), "--vocab-size", "300",
                "--heldout-fraction", "0.5", "--out", other.toString()));
        usage(DistillCommandTest.run("eval", "--model", run.toString(), "--corpus", corpus().toString(), "--tokenizer",
                other.toString(), "--eval-size", "32"), "--tokenizer", "not the model's", "give the model's tokenizer");
    }

    @Test
    void aCorpusGivenByARelativePathIsSavedAbsoluteForResumingElsewhere() throws Exception {
        Path relative = Path.of("").toAbsolutePath().relativize(corpus().toAbsolutePath()), out = dir.resolve("rel");
        assertFalse(relative.isAbsolute());
        ok(DistillCommandTest.run(train(out, "--corpus", relative.toString(), "--steps", "2", "--eval-every", "2")));
        Map<String, String> saved = SavedOptions.read(new RunLayout(out).config());
        assertEquals(corpus().toAbsolutePath().normalize().toString(), saved.get("--corpus"));
        // the same corpus given again by its relative path is not a change of options
        DistillCommandTest.Result again = ok(DistillCommandTest.run("train", "--resume", "--corpus",
                relative.toString(), "--out", out.toString()));
        assertTrue(again.out().contains("nothing to resume"), again.out());
    }

    /**
     * A 4-step run in folder {@code name}-run on a copy of the corpus at {@code name}/stories.txt, as if stopped after its
     * last checkpoint (its model and summary gone); returns the copy.
     */
    private Path stoppedRunOnACopy(String name) throws Exception {
        Path text = dir.resolve(name).resolve("stories.txt"), out = dir.resolve(name + "-run");
        Files.createDirectories(text.getParent());
        Files.copy(corpus(), text);
        ok(DistillCommandTest.run(train(out, "--corpus", text.toString(), "--steps", "4", "--eval-every", "2",
                "--checkpoint-every", "2")));
        RunLayout run = new RunLayout(out);
        Files.delete(run.model());
        Files.delete(run.summary());
        return text;
    }

    @Test
    void aRunWhoseCorpusChangedIsNotResumedOnOtherTokens() throws Exception {
        Path text = stoppedRunOnACopy("changing"), out = dir.resolve("changing-run");
        Files.writeString(text, "\nOne more document, written after the run started.\n",
                java.nio.file.StandardOpenOption.APPEND);
        usage(DistillCommandTest.run("train", "--resume", "--out", out.toString()), "--resume: the run was trained on",
                "text.train_tokens", "the corpus or its tokenizer changed");
    }

    @Test
    void aRunWhoseCorpusWasReorderedIsNotResumedThoughItsTokenCountsAgree() throws Exception {
        Path text = stoppedRunOnACopy("reordered"), out = dir.resolve("reordered-run");
        java.util.List<String> docs = new java.util.ArrayList<>(List.of(Files.readString(text).split("\n\n")));
        java.util.Collections.reverse(docs);   // the same documents, the same split, the same counts
        Files.writeString(text, String.join("\n\n", docs));
        usage(DistillCommandTest.run("train", "--resume", "--out", out.toString()), "--resume: the run was trained on",
                "text.tokens_sha256", "the corpus or its tokenizer changed");
    }

    @Test
    void preparationNamesTheFirstSkippedJsonLinesLine() throws Exception {
        StringBuilder sb = new StringBuilder("not json\n");   // then one JSON object per document of the corpus
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String doc : Files.readString(corpus()).split("\n\n"))
            if (!doc.isBlank()) sb.append(mapper.writeValueAsString(Map.of("text", doc.strip()))).append('\n');
        Path jsonl = Files.writeString(dir.resolve("docs.jsonl"), sb.toString());
        DistillCommandTest.Result r = ok(DistillCommandTest.run(train(dir.resolve("jsonl-run"), "--corpus",
                jsonl.toString(), "--steps", "2", "--eval-every", "2")));
        assertTrue(r.out().contains("1 lines skipped"), r.out());
        assertTrue(r.out().contains("skipped 1 JSON Lines line(s); the first: " + jsonl + " line 1: not valid JSON"),
                r.out());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(Path run, String key) throws Exception {
        return (Map<String, Object>) Json.readMap(new RunLayout(run).config()).get(key);
    }

    @Test
    void wholeWordMaskingTrainsIsRecordedAndCarriesToEvalAndDistill() throws Exception {
        Path run = dir.resolve("wwm"), plain = dir.resolve("plain");
        List<String> a = new ArrayList<>(List.of(train(run, "--steps", "2", "--eval-every", "2")));
        a.add("--whole-word-masking");
        DistillCommandTest.Result t = ok(DistillCommandTest.run(a.toArray(String[]::new)));
        assertTrue(t.out().contains("whole-word masking"), t.out());
        assertEquals("true", Safetensors.readMetadata(new RunLayout(run).model()).get("text.whole_word_masking"));
        assertEquals("true", config(run, "options").get("--whole-word-masking"));
        assertEquals(true, config(run, "task").get("whole_word_masking"));

        // off by default: recorded as off, and absent from the task's settings as before the option
        ok(DistillCommandTest.run(train(plain, "--steps", "2", "--eval-every", "2")));
        assertEquals("false", Safetensors.readMetadata(new RunLayout(plain).model()).get("text.whole_word_masking"));
        assertEquals("false", config(plain, "options").get("--whole-word-masking"));
        assertFalse(config(plain, "task").containsKey("whole_word_masking"));

        DistillCommandTest.Result e = ok(DistillCommandTest.run("eval", "--model", run.toString(), "--eval-size", "32",
                "--threads", "1"));
        assertTrue(e.out().contains("whole-word masking"), e.out());
        DistillCommandTest.Result d = ok(DistillCommandTest.run("distill", "--method", "oneshot", "--teacher",
                run.toString(), "--layers", "1", "--d-model", "8", "--heads", "2", "--batch", "8", "--steps", "2",
                "--eval-every", "2", "--eval-size", "32", "--threads", "1", "--out", dir.resolve("student").toString()));
        assertTrue(d.out().contains("whole-word masking"), "the student learns on the teacher's masks: " + d.out());

        usage(DistillCommandTest.run("eval", "--model", plain.toString(), "--whole-word-masking", "--eval-size", "32"),
                "--whole-word-masking", "single-token");
        usage(DistillCommandTest.run("train", "--out", plain.toString(), "--resume", "--whole-word-masking"),
                "--whole-word-masking (the run has false, given true)");
        usage(DistillCommandTest.run("train", "--out", plain.toString(), "--resume", "--mask-rate", "0.2"),
                "--mask-rate (the run left it unset, given 0.2)");
        usage(DistillCommandTest.run("compare", "--preset", "quick", "--whole-word-masking", "--out",
                dir.resolve("bad").toString()), "--whole-word-masking", "text-quick");
        usage(DistillCommandTest.run("train", "--task", "pcfg", "--whole-word-masking", "--out",
                dir.resolve("bad").toString()), "--whole-word-masking", "--task text");
    }

    @Test
    void textPresetComparesOnTheCorpusAndListsAccuracyAtSteps() throws Exception {
        Path out = dir.resolve("cmp");
        DistillCommandTest.Result r = ok(DistillCommandTest.run("compare", "--preset", "text-tiny", "--task", "text",
                "--corpus", corpus().toString(), "--seeds", "1", "--methods", "ce,oneshot,extract", "--threads", "1",
                "--out", out.toString()));
        assertTrue(r.out().contains("on preset text-tiny"), r.out());
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("## Accuracy at fixed steps") && report.contains("One teacher, trained with seed 0"),
                report);
        assertTrue(Files.isRegularFile(out.resolve("teacher").resolve("model.safetensors")));
    }

    @Test
    void usageErrors() throws Exception {
        Path out = dir.resolve("bad");
        String c = corpus().toString();
        usage(DistillCommandTest.run("train", "--task", "text", "--out", out.toString()), "--corpus", "needs a corpus");
        usage(DistillCommandTest.run(train(out, "--roots", "16")), "--roots", "pcfg");
        usage(DistillCommandTest.run(train(out, "--n", "6")), "--n", "parity");
        usage(DistillCommandTest.run(train(out, "--hidden", "20")), "--hidden");
        usage(DistillCommandTest.run("train", "--task", "pcfg", "--corpus", c, "--out", out.toString()),
                "--corpus", "--task text");
        usage(DistillCommandTest.run("train", "--seq-len", "16", "--out", out.toString()), "--seq-len", "--task text");
        usage(DistillCommandTest.run(train(out, "--seq-len", "100000")), "--seq-len");
        usage(DistillCommandTest.run(train(out, "--heldout-fraction", "0")), "--heldout-fraction", "(0, 1)");
        usage(DistillCommandTest.run(train(out, "--mask-rate", "0")), "--mask-rate", "(0, 1)");
        Path cache = dir.resolve("bad-cache");
        usage(DistillCommandTest.run(train(out, "--seq-len", "1", "--cache", cache.toString())), "--seq-len: ",
                "must be >= 3");
        assertFalse(Files.exists(cache), "refused before the corpus is prepared");
        if (Files.isDirectory(Path.of("/proc")))   // a folder that looks writable to root but takes no new folders
            usage(DistillCommandTest.run(train(out, "--cache", "/proc/curex-cache")), "--cache DIR");
        usage(DistillCommandTest.run(train(out, "--corpus", dir.resolve("missing.txt").toString())), "missing.txt");
        usage(DistillCommandTest.run(train(out, "--tokenizer", dir.resolve("none.json").toString())), "--vocab-size");
        usage(DistillCommandTest.run("train", "--task", "text", "--corpus", c, "--tokenizer",
                dir.resolve("none.json").toString(), "--out", out.toString()), "none.json", "no such file");
        Path tiny = dir.resolve("tiny.txt");
        Files.writeString(tiny, "A fox.\n\nA cat.\n");
        usage(DistillCommandTest.run(train(out, "--corpus", tiny.toString())), "--heldout-fraction");

        usage(DistillCommandTest.run("compare", "--preset", "text-quick", "--out", out.toString()), "--corpus");
        usage(DistillCommandTest.run("compare", "--preset", "quick", "--task", "text", "--corpus", c, "--out",
                out.toString()), "--corpus", "text-quick");
        usage(DistillCommandTest.run("compare", "--preset", "text-tiny", "--corpus", c, "--roots", "16", "--out",
                out.toString()), "--roots");
        usage(DistillCommandTest.run("compare", "--preset", "text-tiny", "--task", "pcfg", "--corpus", c, "--out",
                out.toString()), "--task");
        usage(DistillCommandTest.run("compare", "--preset", "text-tiny", "--corpus", c, "--student-hidden", "8",
                "--out", out.toString()), "--student-hidden");
        assertFalse(Files.exists(out), "nothing written by a refused command");
    }
}
