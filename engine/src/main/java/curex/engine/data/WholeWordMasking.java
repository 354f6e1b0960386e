// BERT's whole-word masking of one sequence: whole words are selected, then each of their tokens is corrupted as BERT's.
package curex.engine.data;

import curex.kernels.CounterRng;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * The eligible positions are cut into words ({@link WordBoundaries}; an ineligible position ends a word, and the first
 * position of the range begins one). Of the {@code m} eligible positions, {@code max(1, round(select * m))} are to be
 * selected (BERT's budget): the words are taken in a random order (a word starting at position s is ranked by bits
 * 40..63 of {@code bits(maskKey, s)}, ties by position), and each word is selected whole unless that would exceed the
 * budget (then it is skipped, as in BERT's create_pretraining_data), until the budget is reached. A word longer than
 * the budget is never selected. Each selected position is then labelled and masked, kept or replaced exactly as
 * {@link BertMasking} does it for a selected position ({@link BertMasking#corrupt}), from the same draws.
 */
public record WholeWordMasking(BertMasking bert, WordBoundaries words) {

    /** Corrupts positions {@code [from, to)} of the row at {@code x[base]}, as {@link BertMasking#apply} does. */
    public void apply(int[] x, int[] y, int base, int from, int to, long maskKey, long replaceKey,
                      IntPredicate eligible) {
        int n = Math.max(0, to - from);
        long[] order = new long[n];                 // (rank << 32) | start - from, one per word
        int[] end = new int[n];                     // the end of the word that starts at from + i
        int count = 0, eligibleCount = 0;
        for (int p = from; p < to; ) {
            if (eligible != null && !eligible.test(x[base + p])) {
                p++;
                continue;
            }
            int start = p++;
            while (p < to && (eligible == null || eligible.test(x[base + p]))
                    && !words.begins(x[base + p - 1], x[base + p]))
                p++;
            end[start - from] = p;
            eligibleCount += p - start;
            order[count++] = (CounterRng.bits(maskKey, start) >>> 40) << 32 | (start - from);
        }
        if (eligibleCount == 0) return;
        Arrays.sort(order, 0, count);
        int budget = Math.max(1, (int) Math.round(bert.select() * eligibleCount)), chosen = 0;
        for (int w = 0; w < count && chosen < budget; w++) {
            int start = from + (int) order[w], stop = end[start - from];
            if (chosen + stop - start > budget) continue;
            chosen += stop - start;
            for (int p = start; p < stop; p++) bert.corrupt(x, y, base, p, CounterRng.bits(maskKey, p), replaceKey);
        }
    }
}
