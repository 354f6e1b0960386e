// Frequencies of pre-tokens over the documents a tokenizer is trained on, with a cap on how many are kept.
package curex.engine.text;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts each distinct pre-token ({@link PreTokenizer}) of the documents added. Memory is bounded by
 * {@code maxWords}: when more distinct pre-tokens are held, the rarest are dropped (every pre-token whose count is at
 * most the count of the (cap/2 + 1)-th most frequent), leaving at most half the cap; {@link #prunedWords()} says how
 * many were dropped. A word dropped this way can
 * come back if it is seen again, with its count started afresh.
 */
public final class WordCounts {
    private final int maxWords;
    private final HashMap<String, long[]> counts = new HashMap<>();
    private long prunedWords;
    private long pieces;

    public WordCounts(int maxWords) {
        if (maxWords < 2) throw new IllegalArgumentException("maxWords must be >= 2, got " + maxWords);
        this.maxWords = maxWords;
    }

    /** Counts the pre-tokens of one document. */
    public void add(String text) {
        String s = WellFormedText.of(text);
        PreTokenizer.split(s, (a, b) -> {
            pieces++;
            counts.computeIfAbsent(s.substring(a, b), k -> new long[1])[0]++;
        });
        if (counts.size() > maxWords) prune();
    }

    /** Drops every pre-token whose count is at most the count that leaves no more than half the cap above it. */
    private void prune() {
        long[] all = new long[counts.size()];
        int i = 0;
        for (long[] c : counts.values()) all[i++] = c[0];
        java.util.Arrays.sort(all);
        long threshold = all[all.length - maxWords / 2 - 1];
        int before = counts.size();
        counts.values().removeIf(c -> c[0] <= threshold);
        prunedWords += before - counts.size();
    }

    /** Distinct pre-tokens held. */
    public int distinct() {
        return counts.size();
    }

    /** Pre-tokens counted, repeats included. */
    public long pieces() {
        return pieces;
    }

    /** Distinct pre-tokens dropped to stay within the cap. */
    public long prunedWords() {
        return prunedWords;
    }

    /** Pre-token -> count (a view; do not modify). */
    Map<String, long[]> counts() {
        return counts;
    }
}
