// FLOP accounting of a transformer: every product counted, attention's QK^T and AV included, hidden(l) only to l,
// a classifier's last block only where its head reads.
package curex.engine.flops;

import curex.engine.TestBackends;
import curex.engine.autograd.Tape;
import curex.engine.data.ParitySequence;
import curex.engine.data.PcfgTask;
import curex.engine.data.Batch;
import curex.engine.data.Grammar;
import curex.engine.data.Task;
import curex.engine.nn.Transformer;
import curex.engine.nn.TransformerConfig;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.kernels.CpuBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TransformerFlopCountTest {
    private final Backend be = TestBackends.open();

    private static long mm(long m, long n, long k) {
        return 2 * m * n * k;
    }

    /** One block on B x T tokens of width d: Q, K, V and output projections, QK^T and AV, the MLP. */
    private static long block(long b, long t, long d, long ratio) {
        long rows = b * t;
        return 4 * mm(rows, d, d) + 2 * mm(b, t * t, d) + 2 * mm(rows, ratio * d, d);
    }

    /**
     * The last block under a classifier, which reads one position, all on the read-out row of each sequence: Q, the
     * keys' and values' weights folded into it per head (W_k^T q and W_v z, each as many products as a d x d
     * projection), attention's products (h folded queries against t tokens of width d), the output projection and
     * the MLP. No key or value is formed at any token.
     */
    private static long lastBlock(long b, long t, long d, long heads, long ratio) {
        return 2 * mm(b, d, d) + 2 * mm(b * heads, t, d) + 2 * mm(b, d, d) + 2 * mm(b, ratio * d, d);
    }

    /** Training batch 0 of stream 0 as token ids (B, T). */
    private Tensor ids(Task task, int batch) {
        Batch b = task.batch(0, 0, batch);
        return Tensor.fromHost(be, java.util.Arrays.copyOf(b.tokens(), b.inputCount()), b.inputShape());
    }

    private long forwardFlops(Task task, int layers, int d, int heads, int batch, boolean hiddenOnly, int upTo) {
        TransformerConfig c = TransformerConfig.forTask(task, layers, d, heads, 4, TransformerConfig.Norm.PRE);
        ExecContext ctx = new ExecContext(be);
        try (Transformer t = Transformer.create(be, c, 3); Tensor ids = ids(task, batch)) {
            try (Tape tape = Tape.noGrad(ctx)) {
                if (hiddenOnly) t.hidden(tape, ids, upTo);
                else t.forward(tape, ids);
            }
        }
        return ctx.flops().total();
    }

    @Test
    void classifierForwardAndHiddenCountBlocksAttentionAndHead() {
        Task task = new ParitySequence(7, 2);                  // T = 8, 2 classes read at the last position
        int b = 5, d = 12, layers = 3;
        long t = 8;
        assertEquals((layers - 1) * block(b, t, d, 4) + lastBlock(b, t, d, 3, 4) + mm(b, 2, d),
                forwardFlops(task, layers, d, 3, b, false, 0));
        for (int l = 1; l <= layers; l++)
            assertEquals(l * block(b, t, d, 4), forwardFlops(task, layers, d, 3, b, true, l), "hidden " + l);
    }

    @Test
    void aBatchThatRepeatsTokenPositionPairsProjectsTheFirstBlocksInputOncePerPair() {
        Task task = new ParitySequence(7, 2);                  // T = 8, 2 bits and the CLS token
        int b = 64, d = 12, layers = 2;
        long t = 8, pairs = distinctPairs(task, b);
        assertEquals(15, pairs, "two values of each of the 7 bits, and CLS");
        if (!(be instanceof CpuBackend)) pairs = b * t;          // a device backend projects every position
        long first = block(b, t, d, 4) - 3 * mm(b * t, d, d) + 3 * mm(pairs, d, d);
        assertEquals(first + lastBlock(b, t, d, 2, 4) + mm(b, 2, d), forwardFlops(task, layers, d, 2, b, false, 0));
        assertEquals(first, forwardFlops(task, layers, d, 2, b, true, 1), "hidden 1");
        assertEquals(first + block(b, t, d, 4), forwardFlops(task, layers, d, 2, b, true, 2), "hidden 2");
    }

    /** Distinct (token, position) pairs of the batch {@link #ids} gives. */
    private long distinctPairs(Task task, int batch) {
        Batch b = task.batch(0, 0, batch);
        int length = b.inputShape()[1];
        java.util.Set<Long> pairs = new java.util.HashSet<>();
        for (int i = 0; i < b.inputCount(); i++) pairs.add((long) b.tokens()[i] * length + i % length);
        return pairs.size();
    }

    @Test
    void maskedLmForwardCountsTheHeadAtEveryPosition() {
        Task task = new PcfgTask(Grammar.builtin("cfg3b"), "10", "11", "12");
        int b = 4, d = 8, layers = 2;
        long t = task.batch(0, 0, b).length();                // padded to the batch's longest sequence
        long head = mm(b * t, d, d) + mm(b * t, task.vocabulary(), d);
        assertEquals(layers * block(b, t, d, 4) + head, forwardFlops(task, layers, d, 2, b, false, 0));
    }
}
