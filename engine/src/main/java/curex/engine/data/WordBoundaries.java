// Where words begin in a byte-level token sequence, from each token's bytes: the rule whole-word masking reads.
package curex.engine.data;

import java.util.Base64;
import java.util.BitSet;
import java.util.function.IntFunction;

/**
 * A byte-level BPE token (GPT-2's kind) carries the space before its word, so words are read from the tokens alone:
 * <ul>
 *   <li>a token that begins with ASCII whitespace (space, tab, newline, CR, VT, FF) begins a word;</li>
 *   <li>a token with no ASCII letter or digit and no byte above 0x7F (punctuation, symbols, whitespace or control
 *   characters only, such as {@code "."}, {@code "Ġ"} or {@code "ĊĊ"}) is a word by itself: it begins one, and the token
 *   after it begins the next;</li>
 *   <li>any other token (it begins with a letter, a digit or a byte of a non-ASCII character) continues the word of the
 *   token before it;</li>
 *   <li>a special token (an id below {@code specials}) belongs to no word: the token after it begins one, and so does
 *   the first token of a sequence.</li>
 * </ul>
 * So " don't" is one word ("Ġdon" "'t"), " well-known" three (" well", "-", "known"), "3.14" three, and a run of
 * letters with no space (a CJK sentence, a long identifier) one. Immutable.
 */
public final class WordBoundaries {
    private final int vocabulary;
    private final BitSet begins;
    private final BitSet alone;

    private WordBoundaries(int vocabulary, BitSet begins, BitSet alone) {
        this.vocabulary = vocabulary;
        this.begins = begins;
        this.alone = alone;
    }

    /** The boundaries of a vocabulary of {@code vocabulary} ids whose first {@code specials} are special tokens. */
    public static WordBoundaries of(int vocabulary, int specials, IntFunction<byte[]> tokenBytes) {
        BitSet begins = new BitSet(vocabulary), alone = new BitSet(vocabulary);
        for (int id = 0; id < vocabulary; id++) {
            if (id < specials) {
                begins.set(id);
                alone.set(id);
                continue;
            }
            byte[] b = tokenBytes.apply(id);
            boolean wordByte = false;
            for (byte c : b) wordByte |= isWordByte(c & 0xFF);
            if (!wordByte) alone.set(id);
            if (!wordByte || b.length > 0 && isSpace(b[0] & 0xFF)) begins.set(id);
        }
        return new WordBoundaries(vocabulary, begins, alone);
    }

    private static boolean isSpace(int b) {
        return b == ' ' || b >= 0x09 && b <= 0x0D;
    }

    private static boolean isWordByte(int b) {
        return b >= 0x80 || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9';
    }

    public int vocabulary() {
        return vocabulary;
    }

    /** Whether token {@code id} begins a new word when it follows token {@code previous}. */
    public boolean begins(int previous, int id) {
        return begins.get(id) || alone.get(previous);
    }

    /** The table as metadata text: the two id sets, each as Base64 of its bits, joined by a comma. */
    public String encode() {
        Base64.Encoder e = Base64.getEncoder();
        return e.encodeToString(begins.toByteArray()) + "," + e.encodeToString(alone.toByteArray());
    }

    /** The table {@link #encode} wrote; an IllegalArgumentException when it is not one. */
    public static WordBoundaries decode(String text, int vocabulary) {
        String[] parts = text.split(",", -1);
        if (parts.length != 2) throw new IllegalArgumentException("word boundaries: expected two sets, got " + text.length()
                + " characters in " + parts.length + " parts");
        BitSet begins, alone;
        try {
            begins = BitSet.valueOf(Base64.getDecoder().decode(parts[0]));
            alone = BitSet.valueOf(Base64.getDecoder().decode(parts[1]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("word boundaries: not Base64 (" + e.getMessage() + ")");
        }
        if (begins.length() > vocabulary || alone.length() > vocabulary)
            throw new IllegalArgumentException("word boundaries: ids beyond the vocabulary of " + vocabulary);
        return new WordBoundaries(vocabulary, begins, alone);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WordBoundaries w && w.vocabulary == vocabulary && w.begins.equals(begins)
                && w.alone.equals(alone);
    }

    @Override
    public int hashCode() {
        return 31 * begins.hashCode() + alone.hashCode();
    }
}
