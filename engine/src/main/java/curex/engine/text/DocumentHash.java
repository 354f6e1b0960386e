// A stable 64-bit hash of a document's text, and a uniform number in [0, 1) drawn from it.
package curex.engine.text;

/**
 * FNV-1a (64-bit) over the UTF-8 bytes of the text (a lone surrogate counted as U+FFFD, as the tokenizer reads it),
 * then SplitMix64's finalizer over the hash xor a salt, so that texts differing only in their last byte still land
 * far apart. The same text gives the same number on every machine and in every version of curex.
 */
public final class DocumentHash {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private DocumentHash() {
    }

    /** FNV-1a 64 of the UTF-8 bytes of {@code text}. */
    public static long fnv1a64(CharSequence text) {
        long h = FNV_OFFSET;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            int cp = text.charAt(i);
            if (Character.isHighSurrogate((char) cp) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1)))
                cp = Character.toCodePoint((char) cp, text.charAt(++i));
            else if (Character.isSurrogate((char) cp)) cp = 0xFFFD;
            if (cp < 0x80) {
                h = (h ^ cp) * FNV_PRIME;
            } else if (cp < 0x800) {
                h = (h ^ (0xC0 | cp >> 6)) * FNV_PRIME;
                h = (h ^ (0x80 | cp & 0x3F)) * FNV_PRIME;
            } else if (cp < 0x10000) {
                h = (h ^ (0xE0 | cp >> 12)) * FNV_PRIME;
                h = (h ^ (0x80 | cp >> 6 & 0x3F)) * FNV_PRIME;
                h = (h ^ (0x80 | cp & 0x3F)) * FNV_PRIME;
            } else {
                h = (h ^ (0xF0 | cp >> 18)) * FNV_PRIME;
                h = (h ^ (0x80 | cp >> 12 & 0x3F)) * FNV_PRIME;
                h = (h ^ (0x80 | cp >> 6 & 0x3F)) * FNV_PRIME;
                h = (h ^ (0x80 | cp & 0x3F)) * FNV_PRIME;
            }
        }
        return h;
    }

    /** A number in [0, 1) fixed by the text and the salt (different salts give independent draws). */
    public static double unit(CharSequence text, long salt) {
        return (mix(fnv1a64(text) ^ salt) >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
