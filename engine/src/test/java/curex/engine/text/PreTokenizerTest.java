// Tests of GPT-2 pre-tokenization: hand-checked splits, and agreement with the regular expression it implements.
package curex.engine.text;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PreTokenizerTest {
    /** GPT-2's pattern; with UNICODE_CHARACTER_CLASS, \s is Unicode's White_Space as in Hugging Face's regex. */
    private static final Pattern GPT2 = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private static List<String> byRegex(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = GPT2.matcher(s);
        int end = 0;
        while (m.find()) {
            if (m.start() != end) throw new AssertionError("regex skipped text at " + end + " in " + s);
            out.add(m.group());
            end = m.end();
        }
        return out;
    }

    @Test
    void handCheckedSplits() {
        assertEquals(List.of("Hello", " ", " world", "'s"), PreTokenizer.pieces("Hello  world's"));
        assertEquals(List.of("I", "'ll", " don", "'t", " go", "!!!"), PreTokenizer.pieces("I'll don't go!!!"));
        assertEquals(List.of("a", "\n", "\n", "b"), PreTokenizer.pieces("a\n\nb"));
        assertEquals(List.of("x", "   "), PreTokenizer.pieces("x   "));
        assertEquals(List.of(" 2026", "-", "11", " café", " 東京"), PreTokenizer.pieces(" 2026-11 café 東京"));
        assertEquals(List.of("'", "x", " '", "S"), PreTokenizer.pieces("'x 'S"));
        assertEquals(List.of(), PreTokenizer.pieces(""));
    }

    @Test
    void agreesWithTheRegexOnRandomText() {
        String[] atoms = {" ", "  ", "\n", "\t", "\r\n", "a", "Z", "s", "t", "re", "ll", "'", "’", "9", "0", ".", ",", "!",
                "é", "e\u0301", "中", "ß", "😀", "👩\u200D👩\u200D👧", "\u00A0", "\u3000", "\u2028", "\u0085", "\u200B",
                "٣", "Ⅻ", "½", "_", "-", "\u0000", "\u007F", "\uFEFF", "ǅ", "ʰ", "\uD835\uDC00"};
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 5000; trial++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(12);
            for (int i = 0; i < n; i++) sb.append(atoms[r.nextInt(atoms.length)]);
            String s = sb.toString();
            assertEquals(byRegex(s), PreTokenizer.pieces(s), () -> "text: " + s.codePoints()
                    .mapToObj(c -> String.format("U+%04X", c)).toList());
        }
    }
}
