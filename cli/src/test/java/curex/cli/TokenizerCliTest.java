// Tests of `curex tokenizer train` and `curex tokenizer encode`: outputs, the closing line, and usage errors.
package curex.cli;

import curex.engine.text.TokenizerJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

class TokenizerCliTest {
    private static final Path STORIES = Path.of("..", "test-data", "text", "stories.txt");

    @TempDir
    Path dir;

    private static CliTest.Result run(String stdin, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        if (stdin != null) {
            TokenizerEncodeCommand encode = cl.getSubcommands().get("tokenizer").getSubcommands().get("encode").getCommand();
            encode.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        }
        return new CliTest.Result(cl.execute(args), out.toString(), err.toString());
    }

    private static void assertUsageError(CliTest.Result r, String... fragments) {
        assertEquals(Main.USAGE, r.code(), r.err() + r.out());
        for (String f : fragments) assertTrue(r.err().contains(f), "stderr mentions '" + f + "': " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    private Path trained() {
        Path file = dir.resolve("tok").resolve("tokenizer.json");
        CliTest.Result r = run(null, "tokenizer", "train", "--corpus", STORIES.toString(), "--vocab-size", "300",
                "--out", file.toString());
        assertEquals(Main.OK, r.code(), r.err() + r.out());
        return file;
    }

    @Test
    void helpReachesTheSubcommands() {
        CliTest.Result r = run(null, "tokenizer", "help", "train");
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().startsWith("Usage: curex tokenizer train"), r.out());
        r = run(null, "help", "tokenizer", "train");   // from the top: the nested subcommand's help, not its parent's
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().startsWith("Usage: curex tokenizer train"), r.out());
        assertUsageError(run(null, "help", "tokenizer", "nope"), "Unknown subcommand 'nope' of 'curex tokenizer'",
                "train, encode");
        assertUsageError(run(null, "help", "train", "extra"), "'extra' of 'curex train' (it has none)");
        assertUsageError(run(null, "trian"), "unknown command 'trian'; the commands are info, train,",
                "Did you mean: curex train?");
        assertUsageError(run(null, "tokenizer", "nope"), "unknown command 'nope'; the commands are train, encode");
    }

    @Test
    void trainWritesTheFileAndAClosingLine() {
        Path file = dir.resolve("tok").resolve("tokenizer.json");
        CliTest.Result r = run(null, "tokenizer", "train", "--corpus", STORIES.toString(), "--vocab-size", "300",
                "--out", file.toString());
        assertEquals(Main.OK, r.code(), r.err() + r.out());
        assertTrue(Files.isRegularFile(file));
        assertEquals(300, TokenizerJson.load(file).vocabularySize());
        assertTrue(r.out().contains("reading 200.1 KB / 200.1 KB 100%"), r.out());
        assertTrue(r.out().matches("(?s).*done: \\d+ documents \\(\\d+ held out\\), 200.1 KB read \\(200.1 KB of text\\), "
                + "0 characters replaced, 0 lines skipped, vocabulary 300, [0-9.]+ s -> .*tokenizer.json\n"), r.out());
        assertUsageError(run(null, "tokenizer", "train", "--corpus", STORIES.toString(), "--vocab-size", "300",
                "--out", file.toString()), "exists", "--force");
        assertEquals(Main.OK, run(null, "tokenizer", "train", "--corpus", STORIES.toString(), "--vocab-size", "300",
                "--out", file.toString(), "--force").code());
        // a folder, existing or not yet, gets tokenizer.json inside it
        assertEquals(Main.OK, run(null, "tokenizer", "train", "--corpus", STORIES.toString(), "--vocab-size", "300",
                "--out", file.getParent().toString(), "--force").code());
        Path fresh = dir.resolve("fresh");
        CliTest.Result r2 = run(null, "tokenizer", "train", "--corpus", STORIES.toString(), "--vocab-size", "300",
                "--out", fresh + "/");
        assertEquals(Main.OK, r2.code(), r2.err());
        assertTrue(Files.isRegularFile(fresh.resolve("tokenizer.json")), r2.out());
    }

    @Test
    void encodePrintsTheIdsOfTextOrStdin() {
        Path file = trained();
        String text = "The brave otter said: \"I'd rather walk.\"\n";
        String expected = Arrays.stream(TokenizerJson.load(file).encode(text)).mapToObj(Integer::toString)
                .collect(Collectors.joining(" "));
        CliTest.Result r = run(null, "tokenizer", "encode", "--tokenizer", file.toString(), "--text", text);
        assertEquals(Main.OK, r.code(), r.err());
        assertEquals(expected + "\n", r.out());
        CliTest.Result piped = run(text, "tokenizer", "encode", "--tokenizer", file.toString());
        assertEquals(expected + "\n", piped.out());
        CliTest.Result tokens = run(null, "tokenizer", "encode", "--tokenizer", file.toString(), "--text", "the fox", "--tokens");
        assertEquals("t he Ġf o x\n", tokens.out());      // " the" is one token; "the" without a space is rarer
    }

    @Test
    void jsonLinesWithBadLinesAreReported() throws Exception {
        Path corpus = dir.resolve("c.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50; i++) sb.append("{\"text\": \"story ").append(i).append(" about a fox\"}\n");
        sb.insert(0, "{\"title\": \"no text\"}\n");
        Files.writeString(corpus, sb);
        CliTest.Result r = run(null, "tokenizer", "train", "--corpus", corpus.toString(), "--vocab-size", "300",
                "--out", dir.resolve("t.json").toString(), "--heldout-fraction", "0");
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().contains("skipped 1 JSON Lines line(s); the first: " + corpus + " line 1: no string field 'text'"),
                r.out());
        assertTrue(r.out().contains("1 lines skipped") && r.out().contains("50 documents (0 held out)"), r.out());
        assertTrue(r.out().contains("note: the vocabulary stopped at"), r.out());
    }

    @Test
    void badInputGivesExitTwoAndSaysWhy() throws Exception {
        String out = dir.resolve("t.json").toString();
        assertUsageError(run(null, "tokenizer"), "missing command", "train", "encode");
        assertUsageError(run(null, "tokenizer", "train", "--vocab-size", "300", "--out", out), "--corpus");
        assertUsageError(run(null, "tokenizer", "train", "--corpus", dir.resolve("none").toString(), "--vocab-size",
                "300", "--out", out), "no such file or folder");
        assertUsageError(run(null, "tokenizer", "train", "--corpus", STORIES.toString(), "--vocab-size", "100",
                "--out", out), "at least 261");
        assertUsageError(run(null, "tokenizer", "train", "--corpus", STORIES.toString(), "--vocab-size", "300",
                "--out", out, "--heldout-fraction", "1"), "--heldout-fraction", "[0, 1)");
        assertUsageError(run(null, "tokenizer", "train", "--corpus", STORIES.toString(), "--vocab-size", "300",
                "--out", out, "--sample-bytes", "lots"), "--sample-bytes", "64K");
        Files.createDirectories(dir.resolve("empty"));
        assertUsageError(run(null, "tokenizer", "train", "--corpus", dir.resolve("empty").toString(), "--vocab-size",
                "300", "--out", out), "holds no files");
        Path blank = dir.resolve("blank.txt");
        Files.writeString(blank, "\n\n");
        assertUsageError(run(null, "tokenizer", "train", "--corpus", blank.toString(), "--vocab-size", "300",
                "--out", out), "holds no documents");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"model\": {\"type\": \"BPE\", \"vocab\": {");
        assertUsageError(run(null, "tokenizer", "encode", "--tokenizer", bad.toString(), "--text", "x"),
                bad.toString(), "not valid JSON");
        assertUsageError(run(null, "tokenizer", "encode", "--tokenizer", dir.resolve("none.json").toString(),
                "--text", "x"), "no such file");
    }

    @Test
    void byteSizesParse() {
        ByteSizes b = new ByteSizes();
        assertEquals(1000L, b.convert("1000"));
        assertEquals(64L << 10, b.convert("64K"));
        assertEquals(256L << 20, b.convert("256M"));
        assertEquals(256L << 20, b.convert("256MiB"));
        assertEquals(2L << 30, b.convert("2g"));
        assertThrows(CommandLine.TypeConversionException.class, () -> b.convert("0"));
        assertThrows(CommandLine.TypeConversionException.class, () -> b.convert("M"));
        assertEquals("200.1 KB", ByteSizes.format(200_051));
    }
}
