// GPT-2's reversible mapping of the 256 byte values to printable characters, as Hugging Face's ByteLevel uses it.
package curex.engine.text;

/**
 * Byte-level BPE writes every token as a string of printable characters, one per byte: bytes {@code !..~},
 * {@code ¡..¬} and {@code ®..ÿ} stand for themselves, and the other 68 bytes (controls, space, DEL, NBSP, soft hyphen)
 * map, in increasing order, to U+0100, U+0101, ... (so a space is {@code Ġ}, U+0120, and a newline {@code Ċ}).
 * This is {@code bytes_to_unicode()} of GPT-2 and Hugging Face's ByteLevel pre-tokenizer and decoder.
 */
public final class ByteAlphabet {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[256 + 68];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = b >= '!' && b <= '~' || b >= 0xA1 && b <= 0xAC || b >= 0xAE && b <= 0xFF;
            char c = (char) (printable ? b : next++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteAlphabet() {
    }

    /** The character that stands for byte {@code b} (0..255). */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte that {@code c} stands for, or -1 if {@code c} is not in the alphabet. */
    public static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** The token string of some bytes: one alphabet character per byte. */
    public static String encode(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        return new String(out);
    }

    /** The bytes of a token string, or null if it holds a character outside the alphabet. */
    public static byte[] decode(String token) {
        byte[] out = new byte[token.length()];
        for (int i = 0; i < out.length; i++) {
            int b = byteOf(token.charAt(i));
            if (b < 0) return null;
            out[i] = (byte) b;
        }
        return out;
    }
}
