// The distinct (token, position) pairs of a batch of token ids, so that work on the embedded input runs once per pair.
package curex.engine.nn;

import curex.engine.autograd.Attention;
import curex.engine.autograd.Ops;
import curex.engine.autograd.RowOps;
import curex.engine.autograd.Tape;
import curex.engine.tensor.Tensor;
import curex.kernels.CpuBackend;

import java.util.Arrays;

/**
 * A position's embedding is a function of its token and its index in the sequence, and so is everything computed
 * from it alone: the first block's norm and its query, key and value projections. Where a batch repeats pairs (sparse
 * parity's two bits at 20 positions, a grammar's few terminals), those rows are computed once per pair, (U, m), and
 * {@link #expand}ed to every position, (B, T, m); the expansion's backward sums the positions' gradients into their
 * pair's row. {@code tokens} and {@code positions} (U) I32 name the pairs, in order of (token, position);
 * {@code index} (B * T) I32 is each position's pair.
 */
record DistinctPairs(Tensor tokens, Tensor positions, Tensor index, int batch, int length) {
    /** Fewer positions than this are not worth the pairs' bookkeeping (a read of the ids, uploads, expansions). */
    static final int MIN_POSITIONS = 256;

    /**
     * The pairs of ids (B, T), or null where they are not worth sharing: on a device backend (reading the ids back,
     * and the gathers' checks of their indices, would each wait for the device), with fewer than
     * {@link #MIN_POSITIONS} positions, more than half as many pairs as positions, or an id outside [0, 2^31 / T),
     * which the plain path then reports.
     */
    static DistinctPairs of(Tape tape, Tensor ids) {
        int batch = ids.dim(0), length = ids.dim(1), n = batch * length;
        if (!(tape.backend() instanceof CpuBackend) || n < MIN_POSITIONS) return null;
        int[] host = ids.intsToHost();
        long[] keys = new long[n];   // (token * T + position) << 32 | i, sorted by pair, then by i
        for (int i = 0; i < n; i++) {
            long pair = (long) host[i] * length + i % length;
            if (host[i] < 0 || pair > Integer.MAX_VALUE) return null;
            keys[i] = pair << 32 | i;
        }
        Arrays.sort(keys);
        int[] index = new int[n], pairs = new int[n];
        int count = 0;
        for (int j = 0; j < n; j++) {
            int pair = (int) (keys[j] >>> 32);
            if (count == 0 || pairs[count - 1] != pair) pairs[count++] = pair;
            index[(int) keys[j]] = count - 1;
        }
        if (2 * count > n) return null;
        int[] tokens = new int[count], positions = new int[count];
        for (int u = 0; u < count; u++) {
            tokens[u] = pairs[u] / length;
            positions[u] = pairs[u] % length;
        }
        return new DistinctPairs(upload(tape, tokens), upload(tape, positions), upload(tape, index), batch, length);
    }

    private static Tensor upload(Tape tape, int[] values) {
        Tensor t = tape.outputInts(values.length);
        tape.backend().copyFromHost(values, 0, t.span());
        return t;
    }

    /** Embeddings of the pairs: {@code word[token] + position[position]}, (U, d). */
    Tensor embed(Tape tape, Tensor word, Tensor position) {
        return Ops.add(tape, RowOps.embedding(tape, tokens, word),
                RowOps.embedding(tape, positions, position));
    }

    /**
     * Self-attention of every position over its sequence, from the pairs' queries, keys and values (U, d) each, read
     * in place of copies expanded to every position: (B, T, d).
     */
    Tensor attend(Tape tape, Tensor q, Tensor k, Tensor v, Tensor mask, int heads) {
        return Attention.attendRows(tape, index, batch, length, q, k, v, mask, heads);
    }

    /** Rows of the pairs (U, m) -> the same rows at every position, (B, T, m). */
    Tensor expand(Tape tape, Tensor rows) {
        return RowOps.gatherRows(tape, rows, index).reshape(batch, length, rows.dim(1));
    }
}
