// Splits documents into training and held-out sets by a stable hash of their text.
package curex.engine.text;

/**
 * A document is held out when {@link DocumentHash#unit} of its text (salt 0) is below {@code fraction}: the same
 * documents are held out on every run and machine, whatever the order the corpus is read in, and identical documents
 * always fall on the same side. About {@code fraction} of distinct documents are held out.
 */
public record HeldOutSplit(double fraction) {
    public static final double DEFAULT_FRACTION = 0.01;
    static final long SALT = 0L;

    public HeldOutSplit {
        if (!(fraction >= 0 && fraction < 1))
            throw new IllegalArgumentException("held-out fraction must be in [0, 1), got " + fraction);
    }

    /** True if the document belongs to the held-out set. */
    public boolean heldOut(CharSequence text) {
        return fraction > 0 && DocumentHash.unit(text, SALT) < fraction;
    }
}
