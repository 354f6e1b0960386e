// BERT's masked-LM corruption of one sequence: select positions, label them, and mask, keep or replace their inputs.
package curex.engine.data;

import curex.kernels.CounterRng;

/**
 * Each eligible position p is selected with probability {@code select}, from draw {@code bits(maskKey, p)}: its label
 * becomes its token, and its input becomes {@code maskToken} with probability {@code toMask}, stays with {@code keep},
 * and otherwise becomes a token drawn uniformly from {@code [replaceFrom, replaceFrom + replaceCount)} (from
 * {@code bits(replaceKey, p)}). The caller fills the labels with the ignore index first; positions that are not
 * selected keep it.
 */
public record BertMasking(double select, double toMask, double keep, int maskToken, int replaceFrom, int replaceCount) {

    public BertMasking {
        if (!(select > 0 && select < 1)) throw new IllegalArgumentException("mask rate must lie in (0, 1), got " + select);
        if (!(toMask >= 0 && keep >= 0 && toMask + keep <= 1))
            throw new IllegalArgumentException("mask and keep shares must be >= 0 and sum to at most 1, got " + toMask
                    + " and " + keep);
        if (replaceCount < 1) throw new IllegalArgumentException("replacement tokens: need at least one, got " + replaceCount);
    }

    /**
     * Corrupts positions {@code [from, to)} of the row starting at {@code x[base]} (position p is {@code x[base + p]}),
     * writing labels into {@code y} at the same indices. {@code eligible} (null: every position) says which positions
     * may be selected.
     */
    public void apply(int[] x, int[] y, int base, int from, int to, long maskKey, long replaceKey,
                      java.util.function.IntPredicate eligible) {
        for (int p = from; p < to; p++) {
            if (eligible != null && !eligible.test(x[base + p])) continue;
            long u = CounterRng.bits(maskKey, p);
            if ((u >>> 40) * 0x1.0p-24 >= select) continue;
            corrupt(x, y, base, p, u, replaceKey);
        }
    }

    /**
     * Labels selected position {@code p} and masks, keeps or replaces its input, from bits 16..39 of its draw
     * {@code u = bits(maskKey, p)} (bits 40..63 decided its selection) and from {@code bits(replaceKey, p)}.
     */
    void corrupt(int[] x, int[] y, int base, int p, long u, long replaceKey) {
        y[base + p] = x[base + p];
        double action = ((u >>> 16) & 0xFFFFFF) * 0x1.0p-24;
        if (action < toMask) x[base + p] = maskToken;
        else if (action >= toMask + keep)
            x[base + p] = replaceFrom + Math.floorMod(CounterRng.bits(replaceKey, p), replaceCount);
    }
}
