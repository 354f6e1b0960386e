// Learns byte-level BPE merges from pre-token counts until the vocabulary reaches its target size.
package curex.engine.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Classic BPE training over byte-level words. The vocabulary starts as the special tokens (ids 0-4) and the 256
 * bytes (ids 5-260); each step merges the adjacent pair of tokens that occurs most often, counting each word as many
 * times as it was seen, into a new token with the next id (or the existing id, if the concatenation is already a
 * token). Ties go to the pair whose left token has the smaller id, then the smaller right id: a rule that depends on
 * the counts alone, not on the order words were read, so training is deterministic. Training stops at
 * {@code vocabSize} tokens, or earlier when no pair occurs at least {@link #MIN_FREQUENCY} times. A merge whose result
 * would spell a special token's text ("[PAD]") is skipped.
 */
public final class BpeTrainer {
    /** The fewest occurrences a pair needs to be merged. */
    public static final long MIN_FREQUENCY = 2;

    private final List<String> tokens = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();
    private final Map<String, Integer> specials = new LinkedHashMap<>();
    private final List<String[]> merges = new ArrayList<>();
    private final Map<Long, PairStat> pairs = new HashMap<>();
    private final PriorityQueue<Candidate> queue = new PriorityQueue<>();
    private final Set<Long> done = new HashSet<>();
    private int[][] words;
    private long[] freq;
    private int[] visited;
    private int stamp;

    /** How often a pair occurs, and the words it may occur in (a superset: entries go stale, never missing). */
    private static final class PairStat {
        long count;
        int[] words = new int[2];
        int size;

        void addWord(int w) {
            if (size == words.length) words = java.util.Arrays.copyOf(words, size * 2);
            words[size++] = w;
        }
    }

    /** A pair with its count when queued; stale once the count changes. */
    private record Candidate(long count, long pair) implements Comparable<Candidate> {
        @Override
        public int compareTo(Candidate o) {
            if (count != o.count) return Long.compare(o.count, count);
            return Long.compare(pair, o.pair);
        }
    }

    /** Trains a tokenizer of at most {@code vocabSize} tokens (at least {@link SpecialTokens#BASE_VOCABULARY}). */
    public static BpeTokenizer train(WordCounts counts, int vocabSize) {
        if (vocabSize < SpecialTokens.BASE_VOCABULARY)
            throw new IllegalArgumentException("vocabulary size must be at least " + SpecialTokens.BASE_VOCABULARY
                    + " (5 special tokens and 256 bytes), got " + vocabSize);
        BpeTrainer t = new BpeTrainer();
        t.start(counts);
        while (t.tokens.size() < vocabSize && t.step()) {
            // one merge per step
        }
        return new BpeTokenizer(t.tokens, t.specials, t.merges);
    }

    private void start(WordCounts counts) {
        for (String s : SpecialTokens.BERT) {
            specials.put(s, tokens.size());
            addToken(s);
        }
        for (int b = 0; b < 256; b++) addToken(String.valueOf(ByteAlphabet.charOf(b)));
        int n = counts.counts().size();
        words = new int[n][];
        freq = new long[n];
        visited = new int[n];
        int w = 0;
        for (Map.Entry<String, long[]> e : counts.counts().entrySet()) {
            byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
            int[] sym = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) sym[i] = SpecialTokens.FIRST_BYTE_ID + (bytes[i] & 0xFF);
            words[w] = sym;
            freq[w] = e.getValue()[0];
            for (int i = 0; i + 1 < sym.length; i++) {
                PairStat st = pairs.computeIfAbsent(MergeTable.key(sym[i], sym[i + 1]), k -> new PairStat());
                st.count += freq[w];
                if (st.size == 0 || st.words[st.size - 1] != w) st.addWord(w);
            }
            w++;
        }
        pairs.forEach((pair, st) -> queue.add(new Candidate(st.count, pair)));
    }

    private int addToken(String t) {
        int id = tokens.size();
        tokens.add(t);
        ids.put(t, id);
        return id;
    }

    /** Makes one merge; false when none is left to make. */
    private boolean step() {
        while (true) {
            Candidate c = queue.poll();
            if (c == null || c.count < MIN_FREQUENCY) return false;
            PairStat st = pairs.get(c.pair);
            if (st == null || st.count != c.count || !done.add(c.pair)) continue;
            int left = (int) (c.pair >>> 32), right = (int) c.pair;
            String text = tokens.get(left) + tokens.get(right);
            if (specials.containsKey(text)) continue;
            Integer existing = ids.get(text);
            int merged = existing != null ? existing : addToken(text);
            merges.add(new String[]{tokens.get(left), tokens.get(right)});
            apply(st, left, right, merged);
            return true;
        }
    }

    /** Replaces the pair in every word that holds it, keeping the pair counts and the queue up to date. */
    private void apply(PairStat st, int left, int right, int merged) {
        Map<Long, Long> changed = new HashMap<>();        // pair -> its count before this merge
        stamp++;
        int[] list = java.util.Arrays.copyOf(st.words, st.size);
        for (int w : list) {
            if (visited[w] == stamp) continue;
            visited[w] = stamp;
            int[] sym = words[w];
            if (!holds(sym, left, right)) continue;
            for (int i = 0; i + 1 < sym.length; i++) count(sym[i], sym[i + 1], -freq[w], changed);
            int[] out = new int[sym.length];
            int n = 0;
            for (int i = 0; i < sym.length; ) {
                if (i + 1 < sym.length && sym[i] == left && sym[i + 1] == right) {
                    out[n++] = merged;
                    i += 2;
                } else {
                    out[n++] = sym[i++];
                }
            }
            sym = java.util.Arrays.copyOf(out, n);
            words[w] = sym;
            for (int i = 0; i + 1 < n; i++) {
                PairStat p = count(sym[i], sym[i + 1], freq[w], changed);
                if ((sym[i] == merged || sym[i + 1] == merged) && (p.size == 0 || p.words[p.size - 1] != w)) p.addWord(w);
            }
        }
        changed.forEach((pair, before) -> {
            PairStat p = pairs.get(pair);
            if (p.count <= 0) pairs.remove(pair);
            else if (p.count != before) queue.add(new Candidate(p.count, pair));
        });
    }

    private PairStat count(int a, int b, long delta, Map<Long, Long> changed) {
        long key = MergeTable.key(a, b);
        PairStat p = pairs.computeIfAbsent(key, k -> new PairStat());
        changed.putIfAbsent(key, p.count);
        p.count += delta;
        return p;
    }

    private static boolean holds(int[] sym, int left, int right) {
        for (int i = 0; i + 1 < sym.length; i++) if (sym[i] == left && sym[i + 1] == right) return true;
        return false;
    }
}
