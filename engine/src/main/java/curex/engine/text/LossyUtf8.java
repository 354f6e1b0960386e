// Decodes UTF-8 bytes to text, each maximal ill-formed subpart becoming one U+FFFD, as Hugging Face's decoder does.
package curex.engine.text;

/**
 * The well-formed sequences are those of the Unicode Standard's table 3-7 (so no overlong forms, no encoded surrogates,
 * nothing above U+10FFFF). Where the bytes stop being well-formed, the longest prefix of a well-formed sequence that
 * they start with (at least one byte) becomes one U+FFFD, and decoding goes on after it: Unicode's "substitution of
 * maximal subparts", which Rust's {@code String::from_utf8_lossy} (and so Hugging Face's ByteLevel decoder) and the
 * WHATWG encoding standard follow. The JDK's decoder differs on encoded surrogates: it reads ED A0 80 as one bad
 * sequence, where this reads three (ED cannot be followed by A0).
 */
public final class LossyUtf8 {
    private LossyUtf8() {
    }

    /** The text of {@code bytes}. */
    public static String decode(byte[] bytes) {
        int length = bytes.length;
        StringBuilder out = new StringBuilder(length);
        int i = 0;
        while (i < length) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                out.append((char) b);
                i++;
                continue;
            }
            int need, lo = 0x80, hi = 0xBF, cp;
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
                cp = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                cp = b & 0x0F;
                if (b == 0xE0) lo = 0xA0;
                if (b == 0xED) hi = 0x9F;
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                cp = b & 0x07;
                if (b == 0xF0) lo = 0x90;
                if (b == 0xF4) hi = 0x8F;
            } else {                                  // a continuation byte, C0, C1 or F5..FF: never a lead
                out.append('\uFFFD');
                i++;
                continue;
            }
            int j = i + 1;
            for (int k = 0; k < need; k++, j++) {
                int c = j < length ? bytes[j] & 0xFF : -1;
                if (c < lo || c > hi) break;
                cp = cp << 6 | c & 0x3F;
                lo = 0x80;
                hi = 0xBF;
            }
            if (j - i == need + 1) out.appendCodePoint(cp);
            else out.append('\uFFFD');
            i = j;
        }
        return out.toString();
    }
}
