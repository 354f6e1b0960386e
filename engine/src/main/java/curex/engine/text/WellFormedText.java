// Replaces lone UTF-16 surrogates with U+FFFD, so that every string has a UTF-8 form to tokenize.
package curex.engine.text;

/**
 * A Java string may hold a high surrogate without its low one (or the reverse), which has no UTF-8 encoding. The
 * tokenizer reads such a code unit as U+FFFD (as the JDK's UTF-8 encoder would write '?', and a lossy decoder
 * U+FFFD); decode(encode(s)) is then s with those code units replaced, and exactly s for every well-formed string.
 */
public final class WellFormedText {
    private WellFormedText() {
    }

    /** {@code s} itself when well-formed, else a copy with each lone surrogate replaced by U+FFFD. */
    public static String of(String s) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (!Character.isSurrogate(c)) i++;
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) i += 2;
            else break;
        }
        if (i == n) return s;
        StringBuilder sb = new StringBuilder(n).append(s, 0, i);
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(i + 1));
                i += 2;
            } else {
                sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
                i++;
            }
        }
        return sb.toString();
    }
}
