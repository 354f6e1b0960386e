// Tests of LossyUtf8: well-formed text as the JDK reads it, and one U+FFFD per maximal ill-formed subpart.
package curex.engine.text;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LossyUtf8Test {
    private static String decode(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) bytes[i];
        return LossyUtf8.decode(b);
    }

    @Test
    void wellFormedTextReadsAsTheJdkReadsIt() {
        for (String s : new String[]{"", "plain ASCII\n\t\u0000", "café naïve", "日本語", "😀 👍🏽 🇫🇷",
                "\uFFFD\uFEFF\u07FF\u0800\uFFFF"})
            assertEquals(s, LossyUtf8.decode(s.getBytes(StandardCharsets.UTF_8)), s);
        Random r = new Random(7);
        for (int n = 0; n < 200; n++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                int cp = r.nextInt(0x110000);
                if (cp >= 0xD800 && cp <= 0xDFFF) cp = 'x';
                sb.appendCodePoint(cp);
            }
            String s = sb.toString();
            assertEquals(s, LossyUtf8.decode(s.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void eachMaximalSubpartBecomesOneReplacement() {
        assertEquals("a\uFFFDb", decode('a', 0xF0, 0x9F, 0x98, 'b'));        // a 4-byte sequence cut short
        assertEquals("\uFFFD", decode(0xE6, 0x97));                         // cut at the end
        assertEquals("\uFFFDA", decode(0xE6, 0x97, 'A'));
        assertEquals("\uFFFD\uFFFDx\uFFFD", decode(0x80, 0x80, 'x', 0xBF));   // stray continuation bytes
        assertEquals("\uFFFD\uFFFD\uFFFD", decode(0xED, 0xA0, 0x80));       // an encoded surrogate: ED takes 80..9F only
        assertEquals("\uFFFD\uFFFD", decode(0xC0, 0xAF));                   // overlong: C0 is never a lead
        assertEquals("\uFFFD\uFFFD\uFFFD", decode(0xE0, 0x80, 0xAF));       // overlong: E0 takes A0..BF only
        assertEquals("\uFFFD\uFFFD\uFFFD\uFFFD", decode(0xF4, 0x90, 0x80, 0x80)); // above U+10FFFF
        assertEquals("\uFFFD\uFFFD\uFFFD", decode(0xF8, 0xFF, 0xFE));
        assertEquals("\uD83D\uDE00", decode(0xF0, 0x9F, 0x98, 0x80));         // U+1F600 whole
        assertEquals("\uDBFF\uDFFF", decode(0xF4, 0x8F, 0xBF, 0xBF));         // U+10FFFF, the last code point
    }
}
