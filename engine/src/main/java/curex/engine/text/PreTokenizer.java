// Splits text into pre-tokens with GPT-2's rule, so that BPE merges never cross a word boundary.
package curex.engine.text;

/**
 * A hand-written matcher of GPT-2's pre-tokenization pattern, the one Hugging Face's ByteLevel pre-tokenizer uses
 * ({@code use_regex: true}):
 * <pre>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</pre>
 * with {@code \s} the Unicode White_Space property, {@code \p{L}} letters and {@code \p{N}} numbers, matched on
 * code points from left to right. So "Hello  world's" splits as "Hello", " ", " world", "'s": a word keeps the one
 * space before it, and a run of spaces gives all but its last to a pre-token of its own. The pieces cover the text
 * exactly. The text must be well-formed ({@link WellFormedText}).
 */
public final class PreTokenizer {
    private static final int SPACE = 0, LETTER = 1, NUMBER = 2, OTHER = 3;

    private PreTokenizer() {
    }

    /** Receives pre-tokens as char ranges [start, end) of the text. */
    @FunctionalInterface
    public interface Pieces {
        void piece(int start, int end);
    }

    /** Calls {@code out} with each pre-token of {@code s}, in order. */
    public static void split(CharSequence s, Pieces out) {
        int n = s.length();
        for (int i = 0; i < n; ) {
            int end = match(s, i, n);
            out.piece(i, end);
            i = end;
        }
    }

    /** The pre-tokens of {@code s} as strings (for tests and tools). */
    public static java.util.List<String> pieces(CharSequence s) {
        java.util.List<String> list = new java.util.ArrayList<>();
        split(s, (a, b) -> list.add(s.subSequence(a, b).toString()));
        return list;
    }

    /** The end of the pre-token that starts at {@code i}. */
    private static int match(CharSequence s, int i, int n) {
        char c = s.charAt(i);
        if (c == '\'' && i + 1 < n) {
            char d = s.charAt(i + 1);
            if (d == 's' || d == 't' || d == 'm' || d == 'd') return i + 2;
            if (i + 2 < n) {
                char e = s.charAt(i + 2);
                if (d == 'r' && e == 'e' || d == 'v' && e == 'e' || d == 'l' && e == 'l') return i + 3;
            }
        }
        int j = c == ' ' && i + 1 < n ? i + 1 : i;
        int cls = classOf(Character.codePointAt(s, j));
        if (cls != SPACE) {
            int k = j;
            while (k < n) {
                int cp = Character.codePointAt(s, k);
                if (classOf(cp) != cls) break;
                k += Character.charCount(cp);
            }
            return k;
        }
        int k = i;
        while (k < n && isWhiteSpace(s.charAt(k))) k++;   // White_Space code points are all in the BMP
        if (k == n || k - i == 1) return k;
        return k - 1;                                       // leave the last space to the word that follows
    }

    private static int classOf(int cp) {
        if (cp < 0x80) {
            if (cp >= 'a' && cp <= 'z' || cp >= 'A' && cp <= 'Z') return LETTER;
            if (cp >= '0' && cp <= '9') return NUMBER;
            if (cp == ' ' || cp >= 0x09 && cp <= 0x0D) return SPACE;
            return OTHER;
        }
        if (isWhiteSpace(cp)) return SPACE;
        if (Character.isLetter(cp)) return LETTER;
        int type = Character.getType(cp);
        if (type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER)
            return NUMBER;
        return OTHER;
    }

    /** Unicode's White_Space property (as java.util.regex's {@code \s} with UNICODE_CHARACTER_CLASS). */
    static boolean isWhiteSpace(int cp) {
        if (cp >= 0x09 && cp <= 0x0D || cp == 0x20 || cp == 0x85) return true;
        if (cp < 0xA0) return false;
        int type = Character.getType(cp);
        return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
