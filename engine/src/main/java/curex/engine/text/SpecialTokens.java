// BERT's special tokens and the ids a trained curex tokenizer gives them.
package curex.engine.text;

import java.util.List;

/**
 * The special tokens of a trained tokenizer, with ids 0 to 4 in this order: {@code [PAD]} 0, {@code [CLS]} 1,
 * {@code [SEP]} 2, {@code [MASK]} 3, {@code [UNK]} 4. The 256 byte tokens follow (byte b has id 5 + b), then the
 * merged tokens in the order they were learnt. Special tokens are never produced by encoding text: the text
 * "[MASK]" is six byte-level characters' tokens, and only a caller that asks for {@link BpeTokenizer#specialId}
 * puts a special id into a sequence.
 */
public final class SpecialTokens {
    public static final String PAD = "[PAD]";
    public static final String CLS = "[CLS]";
    public static final String SEP = "[SEP]";
    public static final String MASK = "[MASK]";
    public static final String UNK = "[UNK]";

    /** In id order. */
    public static final List<String> BERT = List.of(PAD, CLS, SEP, MASK, UNK);

    /** The id of byte 0 in a trained tokenizer. */
    public static final int FIRST_BYTE_ID = BERT.size();

    /** The size of a trained vocabulary before any merge: the specials and the 256 bytes. */
    public static final int BASE_VOCABULARY = FIRST_BYTE_ID + 256;

    private SpecialTokens() {
    }
}
