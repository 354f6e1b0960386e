// Tests of byte-level BPE: hand-reasoned merges, a golden encoding, round trips on awkward Unicode, determinism.
package curex.engine.text;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class BpeTokenizerTest {
    static final Path STORIES = Path.of("..", "test-data", "text", "stories.txt");
    static BpeTokenizer stories;

    @BeforeAll
    static void train() {
        stories = TokenizerTraining.run(new Corpus(STORIES), new TokenizerTraining.Options(300), b -> {
        }).tokenizer();
    }

    private static final int A = SpecialTokens.FIRST_BYTE_ID + 'a', B = SpecialTokens.FIRST_BYTE_ID + 'b';

    @Test
    void mergesOfATinyCorpusFollowTheCountsAndTheTieRule() {
        WordCounts counts = new WordCounts(100);
        for (int i = 0; i < 3; i++) counts.add("aaab");
        BpeTokenizer t = BpeTrainer.train(counts, 1000);
        // "aaab" x3: (a,a) occurs 6 times -> "aa" (261); then "aa a b": (aa,a) and (a,b) both 3 times, and the tie
        // goes to the smaller left id, a (102) before aa (261) -> "ab" (262); then (aa,ab) -> "aaab" (263); then
        // nothing is left to merge.
        assertEquals(List.of("a a", "a b", "aa ab"), t.merges().stream().map(m -> m[0] + " " + m[1]).toList());
        assertEquals(264, t.vocabularySize());
        assertEquals(List.of("aa", "ab", "aaab"), t.tokens().subList(261, 264));
        assertArrayEquals(new int[]{263}, t.encode("aaab"));
        assertArrayEquals(new int[]{261, B}, t.encode("aab"));            // (a,a) ranks before (a,b)
        assertArrayEquals(new int[]{261, A}, t.encode("aaa"));            // left to right
        assertArrayEquals(new int[]{262, 262}, t.encode("abab"));
        assertArrayEquals(new int[]{A, SpecialTokens.FIRST_BYTE_ID + ' ', A}, t.encode("a a"));
        assertEquals(0, t.specialId(SpecialTokens.PAD));
        assertEquals(3, t.specialId(SpecialTokens.MASK));
        assertEquals(4, t.specialId(SpecialTokens.UNK));
    }

    @Test
    void mergesNeverCrossPreTokens() {
        WordCounts counts = new WordCounts(100);
        for (int i = 0; i < 10; i++) counts.add("a b a b");      // pre-tokens "a", " b", " a", " b"
        BpeTokenizer t = BpeTrainer.train(counts, 1000);
        for (String[] m : t.merges()) assertFalse((m[0] + m[1]).matches(".+Ġ.*"), Arrays.toString(m));
        assertEquals(List.of("Ġ b", "Ġ a"), t.merges().stream().map(m -> m[0] + " " + m[1]).toList());
    }

    @Test
    void theFirstMergeIsTheMostFrequentBytePair() {
        Map<String, Long> pairs = new HashMap<>();
        new Corpus(STORIES).read(d -> {
            if (new HeldOutSplit(HeldOutSplit.DEFAULT_FRACTION).heldOut(d.text())) return true;
            for (String piece : PreTokenizer.pieces(d.text())) {
                String p = ByteAlphabet.encode(piece.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                for (int i = 0; i + 1 < p.length(); i++) pairs.merge(p.substring(i, i + 2), 1L, Long::sum);
            }
            return true;
        });
        String top = pairs.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertEquals(top, stories.merges().get(0)[0] + stories.merges().get(0)[1]);
        assertEquals("Ġt", top);
    }

    @Test
    void goldenEncodingOfTheStoriesTokenizer() {
        String text = "The clever fox said: \"It's later than you think.\"";
        int[] ids = stories.encode(text);
        assertArrayEquals(new int[]{280, 272, 273, 123, 269, 279, 116, 125, 268, 102, 297, 63, 37, 39, 78, 121, 44, 120,
                37, 113, 102, 293, 261, 109, 291, 37, 126, 276, 261, 109, 110, 115, 112, 51, 39}, ids);
        String[] tokens = Arrays.stream(ids).mapToObj(stories::token).toArray(String[]::new);
        assertEquals("The|Ġc|le|v|er|Ġf|o|x|Ġs|a|id|:|Ġ|\"|I|t|'|s|Ġ|l|a|ter|Ġt|h|an|Ġ|y|ou|Ġt|h|i|n|k|.|\"",
                String.join("|", tokens));
        assertEquals(300, stories.vocabularySize());
        assertEquals(text, stories.decode(ids));
        assertArrayEquals(ids, stories.withCacheLimit(0).encode(text));
        assertArrayEquals(ids, stories.encode(text));                    // again, from the cache
    }

    @Test
    void roundTripsAwkwardUnicode() {
        List<String> texts = List.of("", " ", "   ", "\n\n\t\r\n", "e\u0301 a\u0308\u0301 Zürich naïve",
                "👩\u200D👩\u200D👧\u200D👦 family, 👍🏽 thumbs, 🇩🇪 flag, 🏳\uFE0F\u200D🌈",
                "東京都の天気は晴れです。", "مرحبا بالعالم", "Ελληνικά και русский", "\u0000\u0001\u001F\u007F\u0085",
                "\uFEFFbom \u200B zero width \u2028 line \u2029 para", "tabs\tand  double  spaces   ", "\uFFFD\uFFFF\uFFFE",
                "\uD835\uDC00\uD835\uDFFF math", "The clever fox's \"lantern\" (42%) cost $3.50!", "[CLS] [MASK] [SEP]");
        for (String s : texts) assertEquals(s, stories.decode(stories.encode(s)), s);
        SplittableRandom r = new SplittableRandom(11);
        for (int trial = 0; trial < 2000; trial++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(20);
            for (int i = 0; i < n; i++) {
                int cp;
                do {
                    cp = r.nextInt(4) == 0 ? r.nextInt(0x80) : r.nextInt(0x110000);
                } while (cp >= 0xD800 && cp <= 0xDFFF);
                sb.appendCodePoint(cp);
            }
            String s = sb.toString();
            assertEquals(s, stories.decode(stories.encode(s)));
        }
    }

    @Test
    void loneSurrogatesAreReadAsReplacementCharacters() {
        assertEquals("a\uFFFDb", stories.decode(stories.encode("a\uD800b")));
        assertEquals("\uFFFD", stories.decode(stories.encode("\uDC00")));
        assertEquals("x\uFFFD", stories.decode(stories.encode("x\uD83D")));
        assertEquals("\uFFFD\uFFFD😀", stories.decode(stories.encode("\uDE00\uD83D\uD83D\uDE00")));
        assertArrayEquals(stories.encode("a\uFFFDb"), stories.encode("a\uD800b"));
    }

    @Test
    void specialTokensAreNotReadFromTextButDecodeToTheirText() {
        int[] ids = stories.encode("[MASK]");
        assertTrue(ids.length > 1 && Arrays.stream(ids).allMatch(id -> id >= SpecialTokens.FIRST_BYTE_ID), Arrays.toString(ids));
        assertEquals("[CLS]hi[SEP]", stories.decode(new int[]{1, SpecialTokens.FIRST_BYTE_ID + 'h',
                SpecialTokens.FIRST_BYTE_ID + 'i', 2}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stories.decode(new int[]{300}));
        assertTrue(e.getMessage().contains("300"), e.getMessage());
        // a byte sequence cut inside a character decodes to U+FFFD, as Hugging Face's ByteLevel decoder does
        assertEquals("\uFFFD", stories.decode(new int[]{SpecialTokens.FIRST_BYTE_ID + 0xC3}));
    }

    @Test
    void trainingIsDeterministicAndIndependentOfReadingOrder() {
        List<String> docs = new java.util.ArrayList<>();
        new Corpus(STORIES).read(d -> docs.add(d.text()));
        WordCounts forward = new WordCounts(1 << 20), backward = new WordCounts(1 << 20);
        docs.forEach(forward::add);
        for (int i = docs.size() - 1; i >= 0; i--) backward.add(docs.get(i));
        String a = TokenizerJson.text(BpeTrainer.train(forward, 500));
        assertEquals(a, TokenizerJson.text(BpeTrainer.train(forward, 500)));
        assertEquals(a, TokenizerJson.text(BpeTrainer.train(backward, 500)));
    }

    @Test
    void tooSmallAVocabularyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BpeTrainer.train(new WordCounts(10), 260));
        assertTrue(e.getMessage().contains("at least 261"), e.getMessage());
    }

    @Test
    void byteAlphabetIsGpt2s() {
        assertEquals('Ġ', ByteAlphabet.charOf(' '));
        assertEquals('Ċ', ByteAlphabet.charOf('\n'));
        assertEquals('Ā', ByteAlphabet.charOf(0));
        assertEquals('A', ByteAlphabet.charOf('A'));
        assertEquals('Ń', ByteAlphabet.charOf(0xAD));     // the 68th and last byte moved: 256 + 67
        java.util.Set<Character> seen = new java.util.HashSet<>();
        for (int b = 0; b < 256; b++) {
            assertTrue(seen.add(ByteAlphabet.charOf(b)));
            assertEquals(b, ByteAlphabet.byteOf(ByteAlphabet.charOf(b)));
        }
    }
}
