// The text task: windows of the packed stream framed by [CLS]/[SEP], BERT masks at the right rates, token files checked.
package curex.engine.data;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class TextTaskTest {
    private static final TextTask.Specials SP = new TextTask.Specials(0, 1, 2, 3, 5);   // [PAD] [CLS] [SEP] [MASK] [UNK]
    private static final int VOCAB = 40, LEN = 16;

    @TempDir
    static Path dir;
    static int[] trainStream, heldStream;
    static TextTask task;

    /** Documents of random ordinary tokens, each followed by [SEP], written as a token file. */
    private static int[] write(Path file, int docs, long seed) throws IOException {
        Random rnd = new Random(seed);
        int[] all = new int[0];
        try (TokenFile.Writer w = TokenFile.writer(file, VOCAB)) {
            for (int d = 0; d < docs; d++) {
                int[] doc = new int[5 + rnd.nextInt(30)];
                for (int i = 0; i < doc.length - 1; i++) doc[i] = SP.count() + rnd.nextInt(VOCAB - SP.count());
                doc[doc.length - 1] = SP.sep();
                w.document(doc, doc.length);
                int at = all.length;
                all = Arrays.copyOf(all, at + doc.length);
                System.arraycopy(doc, 0, all, at, doc.length);
            }
            w.commit();
        }
        return all;
    }

    @BeforeAll
    static void files() throws IOException {
        trainStream = write(dir.resolve("train.tokens"), 200, 1);
        heldStream = write(dir.resolve("heldout.tokens"), 20, 2);
        task = new TextTask(TokenFile.open(dir.resolve("train.tokens")), TokenFile.open(dir.resolve("heldout.tokens")),
                SP, LEN, 0.15);
    }

    /** The row's inputs with the selected positions restored to their labels: the original window. */
    private static int[] original(Batch b, int r) {
        int[] row = Arrays.copyOfRange(b.tokens(), r * LEN, (r + 1) * LEN);
        for (int p = 0; p < LEN; p++) if (b.labels()[r * LEN + p] != task.ignoreIndex()) row[p] = b.labels()[r * LEN + p];
        return row;
    }

    /** Where {@code window} occurs in {@code stream}, or -1. */
    private static int find(int[] stream, int[] window) {
        outer:
        for (int o = 0; o + window.length <= stream.length; o++) {
            for (int i = 0; i < window.length; i++) if (stream[o + i] != window[i]) continue outer;
            return o;
        }
        return -1;
    }

    @Test
    void everyRowIsAFramedWindowOfTheTrainingStream() {
        Batch b = task.batch(7, 3, 32);
        assertEquals(LEN, b.length());
        for (int r = 0; r < 32; r++) {
            int[] row = original(b, r);
            assertEquals(SP.cls(), row[0]);
            assertEquals(SP.sep(), row[LEN - 1]);
            assertTrue(find(trainStream, Arrays.copyOfRange(row, 1, LEN - 1)) >= 0, "row " + r);
        }
    }

    @Test
    void batchesArePureFunctionsOfSeedAndStep() {
        Batch a = task.batch(7, 3, 8), again = task.batch(7, 3, 8), next = task.batch(7, 4, 8), other = task.batch(8, 3, 8);
        assertArrayEquals(Arrays.copyOf(a.tokens(), a.inputCount()), Arrays.copyOf(again.tokens(), again.inputCount()));
        assertArrayEquals(Arrays.copyOf(a.labels(), a.labelCount()), Arrays.copyOf(again.labels(), again.labelCount()));
        assertFalse(Arrays.equals(Arrays.copyOf(a.tokens(), a.inputCount()), Arrays.copyOf(next.tokens(), next.inputCount())));
        assertFalse(Arrays.equals(Arrays.copyOf(a.tokens(), a.inputCount()), Arrays.copyOf(other.tokens(), other.inputCount())));
    }

    @Test
    void masksFollowBertRatesAndNeverTouchSpecialTokens() {
        long ordinary = 0, selected = 0, masked = 0, kept = 0, replaced = 0;
        for (int step = 0; step < 200; step++) {
            Batch b = task.batch(1, step, 64);
            for (int r = 0; r < 64; r++) {
                int[] orig = original(b, r);
                for (int p = 0; p < LEN; p++) {
                    int i = r * LEN + p, label = b.labels()[i], x = b.tokens()[i];
                    if (orig[p] < SP.count()) {
                        assertEquals(task.ignoreIndex(), label, "a special token is never selected");
                        assertEquals(orig[p], x);
                        continue;
                    }
                    ordinary++;
                    if (label == task.ignoreIndex()) continue;
                    selected++;
                    if (x == SP.mask()) masked++;
                    else if (x == label) kept++;
                    else {
                        replaced++;
                        assertTrue(x >= SP.count() && x < VOCAB, "replacements are ordinary tokens: " + x);
                    }
                }
            }
        }
        assertEquals(0.15, (double) selected / ordinary, 0.005);
        assertEquals(0.8, (double) masked / selected, 0.01);
        // a random replacement equals the original 1 time in 35; those count as kept
        assertEquals(0.1 + 0.1 / 35, (double) kept / selected, 0.01);
        assertEquals(0.1 - 0.1 / 35, (double) replaced / selected, 0.01);
    }

    @Test
    void perTokenDrawsArePinned() {
        assertEquals(46374878666L, BatchFingerprint.of(task.batch(7, 3, 32)), "the training windows or masks moved");
        assertEquals(-42060019317L, BatchFingerprint.of(task.heldOut(0, 10)), "the held-out windows or masks moved");
    }

    /** Ids whose id % 3 is 0 begin a word (" w"), 1 continue one ("w"), 2 are words by themselves (","). */
    private static final WordBoundaries WORDS = WordBoundaries.of(VOCAB, SP.count(),
            id -> new byte[][]{{' ', 'w'}, {'w'}, {','}}[id % 3]);

    private static TextTask wholeWordTask() throws IOException {
        return new TextTask(TokenFile.open(dir.resolve("train.tokens")), TokenFile.open(dir.resolve("heldout.tokens")),
                SP, LEN, 0.15, WORDS);
    }

    /** The words of row r as [start, end) position pairs, from its original tokens. */
    private static List<int[]> words(Batch b, int r) {
        int[] orig = original(b, r);
        List<int[]> out = new ArrayList<>();
        for (int p = 1; p < LEN - 1; ) {
            if (orig[p] < SP.count()) {
                p++;
                continue;
            }
            int start = p++;
            while (p < LEN - 1 && orig[p] >= SP.count() && !WORDS.begins(orig[p - 1], orig[p])) p++;
            out.add(new int[]{start, p});
        }
        return out;
    }

    @Test
    void wholeWordsAreMaskedTogetherAtAboutTheMaskRate() throws IOException {
        TextTask t = wholeWordTask();
        assertTrue(t.wholeWordMasking());
        long ordinary = 0, selected = 0, masked = 0, kept = 0, longWords = 0;
        for (int step = 0; step < 100; step++) {
            Batch b = t.batch(1, step, 64);
            for (int r = 0; r < 64; r++) {
                int rowOrdinary = 0, rowSelected = 0;
                for (int[] w : words(b, r)) {
                    int labelled = 0;
                    for (int p = w[0]; p < w[1]; p++) if (b.labels()[r * LEN + p] != t.ignoreIndex()) labelled++;
                    assertTrue(labelled == 0 || labelled == w[1] - w[0], "row " + r + ": word at " + w[0] + ".." + w[1]
                            + " has " + labelled + " of its tokens selected");
                    rowOrdinary += w[1] - w[0];
                    rowSelected += labelled;
                    if (labelled > 1) longWords++;
                }
                assertTrue(rowSelected <= Math.max(1, Math.round(0.15 * rowOrdinary)), "row " + r + " over its budget");
                ordinary += rowOrdinary;
                selected += rowSelected;
                for (int p = 0; p < LEN; p++) {
                    int i = r * LEN + p;
                    if (b.labels()[i] == t.ignoreIndex()) continue;
                    if (b.tokens()[i] == SP.mask()) masked++;
                    else if (b.tokens()[i] == b.labels()[i]) kept++;
                }
            }
        }
        assertTrue(longWords > 300, "words of several tokens are selected: " + longWords);
        assertEquals(0.15, (double) selected / ordinary, 0.01);
        assertEquals(0.8, (double) masked / selected, 0.01);
        assertEquals(0.1 + 0.1 / 35, (double) kept / selected, 0.01);
    }

    @Test
    void wholeWordBatchesArePureFunctionsOfSeedAndStepWithFixedHeldOutMasks() throws IOException {
        TextTask t = wholeWordTask(), again = wholeWordTask();
        assertEquals(BatchFingerprint.of(t.batch(7, 3, 32)), BatchFingerprint.of(again.batch(7, 3, 32)));
        assertEquals(BatchFingerprint.of(t.batch(7, 3, 32)), BatchFingerprint.of(t.batch(7, 3, 32)));
        assertNotEquals(BatchFingerprint.of(t.batch(7, 3, 32)), BatchFingerprint.of(t.batch(7, 4, 32)));
        assertNotEquals(BatchFingerprint.of(t.batch(7, 3, 32)), BatchFingerprint.of(task.batch(7, 3, 32)),
                "whole-word masks differ from single-token ones");
        assertEquals(BatchFingerprint.of(t.heldOut(0, 10)), BatchFingerprint.of(again.heldOut(0, 10)));
        Batch h = t.heldOut(0, 10);
        for (int r = 0; r < 10; r++) assertTrue(find(heldStream, Arrays.copyOfRange(original(h, r), 1, LEN - 1)) >= 0);
        // the windows are the per-token task's: only the masks differ
        Batch single = task.batch(7, 3, 32), whole = t.batch(7, 3, 32);
        for (int r = 0; r < 32; r++) assertArrayEquals(original(single, r), original(whole, r), "row " + r);
    }

    @Test
    void wholeWordMaskingIsRecordedAndReadBack() throws IOException {
        TextTask t = wholeWordTask();
        assertEquals("true", t.metadata().get("text.whole_word_masking"));
        assertEquals("false", task.metadata().get("text.whole_word_masking"));
        assertEquals(true, t.toMap().get("whole_word_masking"));
        assertFalse(task.toMap().containsKey("whole_word_masking"), "off: the settings are as before the option");
        assertTrue(t.describe().contains("whole-word masking") && !task.describe().contains("whole-word"));
        TextTask back = (TextTask) Tasks.fromMetadata(t.metadata());
        assertTrue(back.wholeWordMasking());
        assertEquals(BatchFingerprint.of(t.batch(3, 9, 16)), BatchFingerprint.of(back.batch(3, 9, 16)));
        var old = new java.util.HashMap<>(task.metadata());
        old.remove("text.whole_word_masking");                 // a model saved before the option existed
        assertFalse(((TextTask) Tasks.fromMetadata(old)).wholeWordMasking());
        assertThrows(IllegalArgumentException.class, () -> new TextTask(TokenFile.open(dir.resolve("train.tokens")),
                TokenFile.open(dir.resolve("heldout.tokens")), SP, LEN, 0.15,
                WordBoundaries.of(VOCAB + 1, SP.count(), id -> new byte[]{'w'})));
    }

    @Test
    void heldOutWindowsComeFromTheHeldOutStreamWithFixedMasks() {
        Batch h = task.heldOut(0, 10), again = task.heldOut(0, 10);
        assertArrayEquals(Arrays.copyOf(h.tokens(), h.inputCount()), Arrays.copyOf(again.tokens(), again.inputCount()));
        for (int r = 0; r < 10; r++)
            assertTrue(find(heldStream, Arrays.copyOfRange(original(h, r), 1, LEN - 1)) >= 0, "held-out row " + r);
    }

    @Test
    void tokenFilesRefuseDamageAndStreamsShorterThanAWindow() throws IOException {
        Path f = dir.resolve("train.tokens"), cut = dir.resolve("cut.tokens");
        byte[] bytes = Files.readAllBytes(f);
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 3));
        IOException e = assertThrows(IOException.class, () -> TokenFile.open(cut));
        assertTrue(e.getMessage().contains("damaged token file"), e.getMessage());
        Files.write(cut, "not tokens at all, just text".getBytes());
        assertTrue(assertThrows(IOException.class, () -> TokenFile.open(cut)).getMessage().contains("bad magic"));

        Path tiny = dir.resolve("tiny.tokens");
        try (TokenFile.Writer w = TokenFile.writer(tiny, VOCAB)) {
            w.document(new int[]{7, 8, SP.sep()}, 3);
            w.commit();
        }
        IllegalArgumentException short_ = assertThrows(IllegalArgumentException.class, () -> new TextTask(
                TokenFile.open(f), TokenFile.open(tiny), SP, LEN, 0.15));
        assertTrue(short_.getMessage().contains("fewer than one window"), short_.getMessage());
        try (TokenFile.Writer w = TokenFile.writer(dir.resolve("bad.tokens"), VOCAB)) {
            assertThrows(IllegalArgumentException.class, () -> w.document(new int[]{VOCAB}, 1));
        }
        assertFalse(Files.exists(dir.resolve("bad.tokens")), "an uncommitted writer leaves no file");
    }

    @Test
    void metadataReopensTheSameTask() {
        TextTask back = (TextTask) Tasks.fromMetadata(task.metadata());
        Batch a = task.batch(3, 9, 4), b = back.batch(3, 9, 4);
        assertArrayEquals(Arrays.copyOf(a.tokens(), a.inputCount()), Arrays.copyOf(b.tokens(), b.inputCount()));
        var meta = new java.util.HashMap<>(task.metadata());
        meta.put("text.train", dir.resolve("gone.tokens").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tasks.fromMetadata(meta));
        assertTrue(e.getMessage().contains("--corpus"), e.getMessage());
    }
}
