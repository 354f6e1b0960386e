// Tests of corpus reading: each format, gzip, folder order, blank-line splitting, bad JSON Lines, invalid UTF-8.
package curex.engine.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class CorpusTest {
    @TempDir
    Path dir;

    private static List<Document> all(Corpus c) {
        List<Document> docs = new ArrayList<>();
        c.read(docs::add);
        return docs;
    }

    private static List<String> texts(Corpus c) {
        return all(c).stream().map(Document::text).toList();
    }

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        if (name.endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
                out.write(bytes);
            }
        } else {
            Files.write(p, bytes);
        }
        return p;
    }

    @Test
    void plainTextSplitsAtBlankLines() throws IOException {
        Path f = write("a.txt", "\n\nfirst line\nsecond line\n\n  \t \nthird\r\nfourth\r\n\n\n\nlast");
        List<Document> docs = all(new Corpus(f));
        assertEquals(List.of("first line\nsecond line", "third\nfourth", "last"), docs.stream().map(Document::text).toList());
        assertEquals(List.of(3L, 7L, 12L), docs.stream().map(Document::line).toList());
        assertEquals(f, docs.get(0).file());
    }

    @Test
    void gzipPlainTextAndJsonLines() throws IOException {
        write("a/one.txt.gz", "alpha\n\nbeta\n");
        write("a/two.jsonl", "{\"text\": \"gamma\", \"id\": 1}\n\n{\"text\": \"delta\\nepsilon\"}\n");
        write("a/three.jsonl.gz", "{\"text\": \"zeta\"}\n");
        Corpus c = new Corpus(dir.resolve("a"));
        assertEquals(List.of("alpha", "beta", "zeta", "gamma", "delta\nepsilon"), texts(c));
        CorpusStats s = c.read(d -> true);
        assertEquals(3, s.files());
        assertEquals(5, s.documents());
        assertEquals(0, s.skippedLines());
        assertNull(s.firstBadLine());
        assertEquals(c.fileBytes(), s.fileBytes());
        assertEquals("alpha\n\nbeta\n".length() + "{\"text\": \"zeta\"}\n".length()
                + "{\"text\": \"gamma\", \"id\": 1}\n\n{\"text\": \"delta\\nepsilon\"}\n".length(), s.textBytes());
    }

    @Test
    void folderIsReadRecursivelyInSortedOrderWithoutHiddenFiles() throws IOException {
        write("c/b.txt", "b");
        write("c/a/z.txt", "az");
        write("c/a/b.txt", "ab");
        write("c/10.txt", "10");
        write("c/2.txt", "2");
        write("c/.hidden.txt", "hidden");
        write("c/.git/x.txt", "git");
        assertEquals(List.of("10", "2", "ab", "az", "b"), texts(new Corpus(dir.resolve("c"))));
    }

    @Test
    void badJsonLinesAreSkippedCountedAndTheFirstIsNamed() throws IOException {
        Path f = write("bad.jsonl", String.join("\n", "{\"text\": \"ok 1\"}", "{\"txt\": \"no text\"}",
                "not json", "[1, 2]", "{\"text\": 5}", "{\"text\": \"x\"} trailing", "{\"text\": \"ok 2\"}",
                "{\"text\": \"cut", ""));
        Corpus c = new Corpus(f);
        List<Document> docs = new ArrayList<>();
        CorpusStats s = c.read(docs::add);
        assertEquals(List.of("ok 1", "ok 2"), docs.stream().map(Document::text).toList());
        assertEquals(List.of(1L, 7L), docs.stream().map(Document::line).toList());
        assertEquals(6, s.skippedLines());
        assertEquals(f + " line 2: no string field 'text'", s.firstBadLine());
    }

    @Test
    void aByteOrderMarkAtTheStartIsDropped() throws IOException {
        assertEquals(List.of("a\uFEFFb"), texts(new Corpus(write("bom.jsonl", "\uFEFF{\"text\": \"a\uFEFFb\"}\n"))));
        assertEquals(List.of("first", "\uFEFFsecond"), texts(new Corpus(write("bom.txt", "\uFEFFfirst\n\n\uFEFFsecond"))));
    }

    @Test
    void invalidUtf8IsReplacedAndCounted() throws IOException {
        byte[] bytes = {'a', (byte) 0xFF, 'b', (byte) 0xC3, '\n', '\n', (byte) 0xED, (byte) 0xA0, (byte) 0x80, 'c',
                (byte) 0xE2, (byte) 0x82};
        Corpus c = new Corpus(write("bad.txt", bytes));
        List<String> texts = new ArrayList<>();
        CorpusStats s = c.read(d -> texts.add(d.text()));
        assertEquals(2, texts.size());
        assertEquals("a\uFFFDb\uFFFD", texts.get(0));
        assertTrue(texts.get(1).startsWith("\uFFFD") && texts.get(1).contains("c") && texts.get(1).endsWith("\uFFFD"),
                texts.get(1));
        assertEquals(texts.get(0).chars().filter(ch -> ch == 0xFFFD).count()
                + texts.get(1).chars().filter(ch -> ch == 0xFFFD).count(), s.replacedChars());
        assertTrue(s.replacedChars() >= 4, "replaced " + s.replacedChars());
        assertEquals(bytes.length, s.textBytes());
    }

    @Test
    void validMultibyteTextSplitAcrossBuffersIsNotReplaced() throws IOException {
        String text = "é€😀".repeat(40_000);           // 9 bytes a round, 360 KB: crosses many 64 KB buffers
        CorpusStats s = new Corpus(write("big.txt.gz", text)).read(d -> {
            assertEquals(text, d.text());
            return true;
        });
        assertEquals(0, s.replacedChars());
        assertEquals(1, s.documents());
    }

    @Test
    void missingEmptyOrDocumentlessCorporaAreRefusedClearly() throws IOException {
        CorpusException e = assertThrows(CorpusException.class, () -> new Corpus(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("no such file or folder"), e.getMessage());
        Files.createDirectories(dir.resolve("empty"));
        e = assertThrows(CorpusException.class, () -> new Corpus(dir.resolve("empty")));
        assertTrue(e.getMessage().contains("holds no files"), e.getMessage());
        Corpus blank = new Corpus(write("blank.txt", "\n  \n\n"));
        e = assertThrows(CorpusException.class, () -> blank.read(d -> true));
        assertTrue(e.getMessage().contains("holds no documents"), e.getMessage());
        Corpus bad = new Corpus(write("bad.jsonl", "{}\n"));
        e = assertThrows(CorpusException.class, () -> bad.read(d -> true));
        assertTrue(e.getMessage().contains("line 1: no string field 'text'"), e.getMessage());
        Corpus notGzip = new Corpus(write("plain.txt.gz.txt", "x").resolveSibling("plain.txt.gz.txt"));
        assertEquals(List.of("x"), texts(notGzip));
        Path fake = dir.resolve("fake.txt.gz");
        Files.writeString(fake, "not gzip at all");
        e = assertThrows(CorpusException.class, () -> new Corpus(fake).read(d -> true));
        assertTrue(e.getMessage().contains(fake.toString()) && e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void theSinkCanStopTheReading() throws IOException {
        Corpus c = new Corpus(write("many.txt", "a\n\nb\n\nc\n\nd\n"));
        List<String> seen = new ArrayList<>();
        CorpusStats s = c.read(d -> {
            seen.add(d.text());
            return seen.size() < 2;
        });
        assertEquals(List.of("a", "b"), seen);
        assertEquals(2, s.documents());
    }

    @Test
    void theShippedCorpusReads() {
        Path stories = Path.of("..", "test-data", "text", "stories.txt");
        CorpusStats s = new Corpus(stories).read(d -> true);
        assertTrue(s.documents() > 500, "documents: " + s.documents());
        assertEquals(0, s.replacedChars());
    }
}
