// Preparing a corpus for the text task: the two token files, their reuse, what invalidates them, and clear errors.
package curex.engine.text;

import curex.engine.data.Batch;
import curex.engine.data.TextTask;
import curex.engine.data.TokenFile;
import curex.engine.data.WordBoundaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class TextPreparationTest {
    @TempDir
    Path dir;

    private TextPreparation.Options options(Path corpus, Path tokenizer, double fraction) {
        return new TextPreparation.Options(corpus, tokenizer, 300, fraction, dir.resolve("cache"));
    }

    /** The documents of a token stream: the runs of tokens ended by [SEP], decoded. */
    private static List<String> documents(TokenFile f, BpeTokenizer t, int sep) {
        List<String> docs = new ArrayList<>();
        int[] all = new int[(int) f.length()];
        f.copy(0, all, 0, all.length);
        int from = 0;
        for (int i = 0; i < all.length; i++)
            if (all[i] == sep) {
                docs.add(t.decode(Arrays.copyOfRange(all, from, i)));
                from = i + 1;
            }
        assertEquals(all.length, from, "the stream ends with [SEP]");
        return docs;
    }

    @Test
    void writesBothSplitsAndKeepsHeldOutDocumentsOutOfTraining() throws IOException {
        PreparedText p = TextPreparation.prepare(options(BpeTokenizerTest.STORIES, null, 0.05), TextPreparation.Listener.NONE);
        assertFalse(p.reused());
        TokenFile train = TokenFile.open(p.trainFile()), held = TokenFile.open(p.heldOutFile());
        assertEquals(p.trainTokens(), train.length());
        assertEquals(p.heldOutTokens(), held.length());
        assertEquals(p.trainDocuments(), train.documents());
        assertEquals(p.heldOutDocuments(), held.documents());
        assertEquals(635, p.documents());
        BpeTokenizer t = TokenizerJson.load(p.tokenizerFile());
        assertEquals(300, t.vocabularySize());
        assertEquals(new TextTask.Specials(0, 1, 2, 3, 5), p.specials());

        List<String> expectedHeld = new ArrayList<>(), expectedTrain = new ArrayList<>();
        HeldOutSplit split = new HeldOutSplit(0.05);
        new Corpus(BpeTokenizerTest.STORIES).read(d -> (split.heldOut(d.text()) ? expectedHeld : expectedTrain).add(d.text()));
        List<String> heldDocs = documents(held, t, 2), trainDocs = documents(train, t, 2);
        assertEquals(expectedHeld, heldDocs, "held-out documents in corpus order, each followed by [SEP]");
        assertEquals(expectedTrain, trainDocs);
        Set<String> heldSet = new HashSet<>(heldDocs);
        assertFalse(heldSet.isEmpty());
        for (String d : trainDocs) assertFalse(heldSet.contains(d), "a held-out document in the training file: " + d);

        TextTask task = p.task(64, 0.15);
        assertEquals(300, task.vocabulary());
        assertEquals(p.trainFile().toAbsolutePath().toString(), task.metadata().get("text.train"));
    }

    @Test
    void wholeWordMaskingReadsTheWordsOfTheTokenizerAndMasksThemWhole() throws IOException {
        PreparedText p = TextPreparation.prepare(options(BpeTokenizerTest.STORIES, null, 0.05), TextPreparation.Listener.NONE);
        BpeTokenizer t = TokenizerJson.load(p.tokenizerFile());
        WordBoundaries words = p.wordBoundaries();
        TextTask task = p.task(64, 0.15, true);
        assertTrue(task.wholeWordMasking());
        assertFalse(p.task(64, 0.15).wholeWordMasking());
        Batch b = task.batch(1, 0, 32);
        int n = 64, multiTokenWords = 0;
        for (int r = 0; r < 32; r++) {
            int[] x = Arrays.copyOfRange(b.tokens(), r * n, (r + 1) * n), y = Arrays.copyOfRange(b.labels(), r * n, (r + 1) * n);
            for (int q = 0; q < n; q++) if (y[q] != task.ignoreIndex()) x[q] = y[q];
            for (int start = 1; start < n - 1; ) {
                int end = start + 1;
                while (end < n - 1 && x[end] >= 5 && !words.begins(x[end - 1], x[end])) end++;
                String word = t.decode(Arrays.copyOfRange(x, start, end));
                if (x[start] >= 5 && end - start > 1) {
                    assertTrue(word.matches("[ \t\n]?[^ \t\n]+"), "one word, at most its leading space: '" + word + "'");
                    multiTokenWords++;
                }
                boolean first = y[start] != task.ignoreIndex();
                for (int q = start; q < end; q++)
                    assertEquals(first, y[q] != task.ignoreIndex(), "'" + word + "' is masked whole or not at all");
                start = end;
            }
        }
        assertTrue(multiTokenWords > 100, "a vocabulary of 300 splits words: " + multiTokenWords);
    }

    @Test
    void aSecondPreparationReusesTheFilesUntilTheCorpusOrTokenizerChanges() throws IOException {
        Path corpus = dir.resolve("corpus.txt");
        Files.copy(BpeTokenizerTest.STORIES, corpus);
        PreparedText first = TextPreparation.prepare(options(corpus, null, 0.05), TextPreparation.Listener.NONE);
        FileTime written = Files.getLastModifiedTime(first.trainFile());
        int[] passes = {0};
        TextPreparation.Listener counting = new TextPreparation.Listener() {
            @Override
            public void passStarted(String what, long totalBytes) {
                passes[0]++;
            }
        };
        PreparedText again = TextPreparation.prepare(options(corpus, null, 0.05), counting);
        assertTrue(again.reused());
        assertEquals(0, passes[0], "a reused preparation reads nothing");
        assertEquals(first.folder(), again.folder());
        assertEquals(written, Files.getLastModifiedTime(again.trainFile()), "not rewritten");
        assertEquals(first.trainTokens(), again.trainTokens());
        assertEquals(first.specials(), again.specials());

        // another held-out fraction or vocabulary is another preparation
        assertNotEquals(first.folder(), TextPreparation.folder(options(corpus, null, 0.1)));

        // touching the corpus (same bytes, new time) invalidates it; the old folder stays for models trained on it
        Files.setLastModifiedTime(corpus, FileTime.fromMillis(Files.getLastModifiedTime(corpus).toMillis() + 5000));
        PreparedText touched = TextPreparation.prepare(options(corpus, null, 0.05), counting);
        assertFalse(touched.reused());
        assertEquals(2, passes[0], "counting for the tokenizer, then encoding");
        assertNotEquals(first.folder(), touched.folder());
        assertTrue(Files.isRegularFile(first.trainFile()));
        assertEquals(first.trainTokens(), touched.trainTokens());

        // growing it too
        Files.writeString(corpus, "\n\nOne more short story about a fox.\n", java.nio.file.StandardOpenOption.APPEND);
        PreparedText grown = TextPreparation.prepare(options(corpus, null, 0.05), TextPreparation.Listener.NONE);
        assertFalse(grown.reused());
        assertEquals(first.documents() + 1, grown.documents());

        // a tokenizer file: keyed by its contents
        Path tok = dir.resolve("tok.json");
        Files.copy(first.tokenizerFile(), tok);
        PreparedText given = TextPreparation.prepare(options(corpus, tok, 0.05), TextPreparation.Listener.NONE);
        assertFalse(given.reused());
        assertTrue(given.tokenizerTraining().startsWith("given"));
        assertTrue(TextPreparation.prepare(options(corpus, tok, 0.05), TextPreparation.Listener.NONE).reused());
        BpeTokenizer other = TokenizerTraining.run(new Corpus(corpus), new TokenizerTraining.Options(280), b -> {
        }).tokenizer();
        TokenizerJson.save(other, tok);
        PreparedText changed = TextPreparation.prepare(options(corpus, tok, 0.05), TextPreparation.Listener.NONE);
        assertFalse(changed.reused());
        assertNotEquals(given.folder(), changed.folder());
        assertEquals(280, changed.vocabulary());
    }

    @Test
    void theCacheDefaultsToAHiddenFolderBesideTheCorpus() throws IOException {
        Path corpus = dir.resolve("data").resolve("c.txt");
        Files.createDirectories(corpus.getParent());
        Files.copy(BpeTokenizerTest.STORIES, corpus);
        TextPreparation.Options o = new TextPreparation.Options(corpus, null, 300, 0.05, null);
        PreparedText p = TextPreparation.prepare(o, TextPreparation.Listener.NONE);
        assertEquals(corpus.toAbsolutePath().getParent().resolve(".curex-cache"), p.folder().getParent());
        assertTrue(p.folder().getFileName().toString().startsWith("c.txt-"));
        assertTrue(Files.isRegularFile(p.folder().resolve("prepared.json")));
    }

    @Test
    void aCorpusTooSmallForTheSplitOrAWindowIsRefusedNamingTheOption() throws IOException {
        Path tiny = dir.resolve("tiny.txt");
        Files.writeString(tiny, "A fox.\n\nA cat.\n\nA dog.\n");
        CorpusException e = assertThrows(CorpusException.class,
                () -> TextPreparation.prepare(options(tiny, null, 0.01), TextPreparation.Listener.NONE));
        assertTrue(e.getMessage().contains("--heldout-fraction"), e.getMessage());
        assertFalse(Files.exists(TextPreparation.folder(options(tiny, null, 0.01))),
                "no half-filled cache entry (its tokenizer, say) left behind");

        PreparedText p = TextPreparation.prepare(options(BpeTokenizerTest.STORIES, null, 0.01), TextPreparation.Listener.NONE);
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class, () -> p.task(100_000, 0.15));
        assertTrue(w.getMessage().contains("--seq-len"), w.getMessage());

        assertThrows(CorpusException.class, () -> TextPreparation.prepare(options(dir.resolve("missing.txt"), null, 0.01),
                TextPreparation.Listener.NONE));
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> options(tiny, null, 0));
        assertTrue(f.getMessage().contains("--heldout-fraction"));
    }

    @Test
    void aTokenizerWithoutBertSpecialsIsRefused() throws IOException {
        Path tok = dir.resolve("no-mask.json");
        BpeTokenizer t = TokenizerJson.load(TextPreparation.prepare(options(BpeTokenizerTest.STORIES, null, 0.05),
                TextPreparation.Listener.NONE).tokenizerFile());
        java.util.Map<String, Integer> sp = new java.util.LinkedHashMap<>(t.specials());
        sp.remove(SpecialTokens.MASK);
        TokenizerJson.save(new BpeTokenizer(t.tokens(), sp, t.merges()), tok);
        TokenizerFileException e = assertThrows(TokenizerFileException.class,
                () -> TextPreparation.prepare(options(BpeTokenizerTest.STORIES, tok, 0.05), TextPreparation.Listener.NONE));
        assertTrue(e.getMessage().contains("[MASK]"), e.getMessage());
    }
}
