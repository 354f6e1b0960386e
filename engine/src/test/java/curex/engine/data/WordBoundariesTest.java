// Tests of the word rule on byte-level tokens: leading spaces, punctuation as words, specials, and the metadata form.
package curex.engine.data;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class WordBoundariesTest {
    /** Two specials ([CLS] 0, [SEP] 1), then these tokens' texts as ids 2, 3, ... */
    private static final List<String> TOKENS = List.of("The", " clever", " fox", "'s", ",", " well", "-", "known",
            "\n\n", "Next", " ", "hell", "o", "3", ".", "14", "日本", "語", " 😀", "\t", "café", "x", "\u0000", "(", " don",
            "'t");

    private static WordBoundaries words() {
        return WordBoundaries.of(TOKENS.size() + 2, 2, id -> TOKENS.get(id - 2).getBytes(StandardCharsets.UTF_8));
    }

    /** The words of a sequence of texts (framed by [CLS] ... [SEP]), as the texts joined by '|'. */
    private static List<String> split(WordBoundaries w, String... texts) {
        int[] ids = new int[texts.length + 2];
        ids[texts.length + 1] = 1;
        for (int i = 0; i < texts.length; i++) ids[i + 1] = TOKENS.indexOf(texts[i]) + 2;
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int p = 1; p <= texts.length; p++) {
            if (p > 1 && w.begins(ids[p - 1], ids[p])) {
                out.add(word.toString());
                word.setLength(0);
            }
            if (!word.isEmpty()) word.append('|');
            word.append(texts[p - 1]);
        }
        out.add(word.toString());
        return out;
    }

    @Test
    void aLeadingSpaceBeginsAWordAndPunctuationIsAWordByItself() {
        WordBoundaries w = words();
        assertEquals(List.of("The", " clever", " fox|'s", ",", " well", "-", "known", "\n\n", "Next"),
                split(w, "The", " clever", " fox", "'s", ",", " well", "-", "known", "\n\n", "Next"));
        assertEquals(List.of(" ", "hell|o", " don|'t", "(", "3", ".", "14"),
                split(w, " ", "hell", "o", " don", "'t", "(", "3", ".", "14"));
        assertEquals(List.of("日本|語", " 😀", "\t", "café|x", "\u0000", "The"),
                split(w, "日本", "語", " 😀", "\t", "café", "x", "\u0000", "The"));
    }

    @Test
    void aTokenAfterASpecialTokenBeginsAWord() {
        WordBoundaries w = words();
        int hell = TOKENS.indexOf("hell") + 2, o = TOKENS.indexOf("o") + 2;
        assertFalse(w.begins(hell, o));
        assertTrue(w.begins(0, o), "after [CLS]");
        assertTrue(w.begins(1, o), "after [SEP]");
    }

    @Test
    void theMetadataFormReadsBack() {
        WordBoundaries w = words();
        assertEquals(w, WordBoundaries.decode(w.encode(), w.vocabulary()));
        assertNotEquals(w, WordBoundaries.of(w.vocabulary(), 2, id -> new byte[]{'a'}));
        assertThrows(IllegalArgumentException.class, () -> WordBoundaries.decode(w.encode(), 4));
        assertThrows(IllegalArgumentException.class, () -> WordBoundaries.decode("nonsense", w.vocabulary()));
        assertThrows(IllegalArgumentException.class, () -> WordBoundaries.decode("*,*", w.vocabulary()));
    }
}
