// The merges of a BPE vocabulary as an open-addressing table from a pair of ids to its rank and merged id.
package curex.engine.text;

/** Pair (left, right) -> (rank, result id); read-only once built, so safe to share between threads. */
final class MergeTable {
    private static final long EMPTY = -1L;

    private final long[] keys;
    private final int[] ranks;
    private final int[] results;
    private final int mask;

    /** {@code merges[r] = {left, right, result}} is the merge of rank r; a repeated pair keeps its first rank. */
    MergeTable(int[][] merges) {
        int capacity = Integer.highestOneBit(Math.max(4, merges.length * 2 + 1)) << 1;
        keys = new long[capacity];
        java.util.Arrays.fill(keys, EMPTY);
        ranks = new int[capacity];
        results = new int[capacity];
        mask = capacity - 1;
        for (int r = 0; r < merges.length; r++) {
            long key = key(merges[r][0], merges[r][1]);
            int slot = slot(key);
            if (keys[slot] == EMPTY) {
                keys[slot] = key;
                ranks[slot] = r;
                results[slot] = merges[r][2];
            }
        }
    }

    static long key(int left, int right) {
        return (long) left << 32 | (right & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        int h = (int) (DocumentHash.mix(key) & mask);
        while (keys[h] != EMPTY && keys[h] != key) h = (h + 1) & mask;
        return h;
    }

    /** The rank of the pair, or Integer.MAX_VALUE if it is not a merge. */
    int rank(int left, int right) {
        int s = slot(key(left, right));
        return keys[s] == EMPTY ? Integer.MAX_VALUE : ranks[s];
    }

    /** The id the pair merges into (the pair must be a merge). */
    int result(int left, int right) {
        return results[slot(key(left, right))];
    }
}
