// Fused multi-head attention on the Vector API: per (sequence, head), scores, key mask, softmax and both products.
package curex.kernels;

import static curex.kernels.VectorMath.F;
import static curex.kernels.VectorMath.W;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * {@link Backend#attention} and its backward for {@link VectorBackend}. One task owns whole (b, h) items, so the result
 * does not depend on the thread count. Per item the key (or value) head is transposed once into a (headDim, tp)
 * scratch, tp = seq rounded up to the vector width; query rows go {@link #ROWS} at a time and keys (or head columns)
 * two vectors at a time, so that eight FMA chains run side by side. Scores never leave a four-row scratch: keys past
 * seq score -inf there, so that the softmax runs on whole vectors in place (no scalar tail, no masks; four rows at once
 * in {@link VectorSoftmax#fourRows}), and the probabilities are copied out to probs; the output rows go straight into
 * the (batch, seq, d) layout. In the backward the score gradients of a whole item stay in scratch, and dK and dV are
 * then written four key rows at a time, each a sum over the queries in order, straight into their tensors. A last group
 * of one row (21 = 5 x 4 + 1) is scored and mixed alone ({@link #productsOne}, {@link #mixOne}), not as four copies of
 * itself. Up to {@link #ROWS} queries skip the transposed copy, which they would not repay: their scores (and in the
 * backward dP) are one dot product per (query, key). On the parity teacher's last block, whose keys and values are
 * folded into its query (4 query rows per sequence, one head of 128 over 21 tokens), that made the forward 0.70 -> 0.30
 * ms and the backward 1.22 -> 0.73 ms per step. A single query (a classifier's last position, unfolded) also writes
 * each key's dK and dV row in the backward as one product with the query's row, straight out. Inputs as in {@link
 * ReferenceAttention}; sums are in float, in a fixed order. Attention over shared rows ({@link
 * CpuBackend#attentionOfRows}) runs the same code on copies of each sequence's rows of the tables, made once for all of
 * its heads ({@link Inputs}; its tasks take whole sequences): the same bits as over gathered tensors, with the tables
 * staying in cache where the gathered (B, T, d) tensors streamed from memory. One thread, caches flushed before each
 * call, three gathers and attention against attention over rows: parity teacher (41 rows read by 2,688 positions)
 * forward 2.2 -> 1.4 ms, backward 2.9 -> 2.5 ms; PCFG teacher (300 rows for 64 x 70 positions, 32 heads of 8) 32 -> 29
 * and 50 -> 47 ms. (Copying per task, when a task held one head, made the PCFG teacher's 50% slower instead.)
 *
 * <p>Helpers take arrays and offsets, never vectors (a vector passed to a call C2 does not inline is boxed).
 */
final class VectorAttention {
    /** Query rows computed together. */
    private static final int ROWS = 4;
    /** Multiply-adds a parallel piece should hold at least (pieces are whole items). */
    private static final int PIECE_WORK = 1 << 16;

    private VectorAttention() {
    }

    /**
     * Sizes of one call: queries rows of q per sequence, seq of k and v; d = heads * headDim, tp = seq rounded up to
     * W.
     */
    private record Shape(int batch, int queries, int seq, int heads, int headDim, int d, int tp) {
        Shape(int batch, int queries, int seq, int heads, int headDim) {
            this(batch, queries, seq, heads, headDim, heads * headDim, roundUp(seq));
        }

        private static int roundUp(int n) {
            return (n + W - 1) / W * W;
        }

        /**
         * Runs body over items (b * heads + h) in pieces of whole items, in parallel when there is enough work; with
         * {@code wholeSequences}, pieces of whole sequences (every head of each), so that a piece copies a
         * sequence's rows once ({@link Inputs}).
         */
        void items(WorkerPool pool, boolean wholeSequences, Chunks.Body body) {
            long perItem = Math.max(1L, (long) queries * seq * headDim);
            int size = (int) Math.max(1, Math.min(batch * heads, PIECE_WORK / perItem));
            if (wholeSequences && heads > 0) size = (size + heads - 1) / heads * heads;
            Chunks.run(pool, batch * heads, size, perItem * batch * heads >= 2L * PIECE_WORK, body);
        }

        /** Offset of item {@code item}'s head in a (batch, seq, d) tensor (keys, values). */
        int head(int item) {
            return item / heads * seq * d + item % heads * headDim;
        }

        /** Offset of item {@code item}'s head in a (batch, queries, d) tensor (queries, outputs). */
        int queryHead(int item) {
            return item / heads * queries * d + item % heads * headDim;
        }
    }

    /**
     * The forward; with {@code rows} (batch * seq, checked row indexes; queries == seq), q, k and v are tables whose
     * row rows[b * seq + t] is position (b, t)'s.
     */
    static void forward(WorkerPool pool, int[] rows, float[] q, int qo, float[] k, int ko, float[] v, int vo,
                        float[] mask, int mo, int batch, int queries, int seq, int heads, int headDim, float scale,
                        float[] probs, int po, float[] out, int oo) {
        Shape s = new Shape(batch, queries, seq, heads, headDim);
        boolean few = queries <= ROWS;
        s.items(pool, rows != null, (piece, from, to) -> {
            Inputs in = new Inputs(rows, q, qo, k, ko, v, vo, s);
            float[] kt = Scratch.zeroFloats(Scratch.HEAD, headDim * s.tp);
            float[] scores = Scratch.zeroFloats(Scratch.SCORES, ROWS * s.tp);
            float[] keyMask = Scratch.zeroFloats(Scratch.KEY_MASK, s.tp);
            java.util.Arrays.fill(keyMask, seq, s.tp, Float.NEGATIVE_INFINITY);   // keys past seq: probability 0
            for (int item = from; item < to; item++) {
                int xq = s.queryHead(item), b = item / heads, p0 = po + item * queries * seq;
                boolean first = item == from || item % heads == 0;
                if (mask != null && first)   // one mask row serves every head of b
                    System.arraycopy(mask, mo + b * seq, keyMask, 0, seq);
                if (first) in.sequence(b);
                int qh = in.query(item), kh = in.key(item), vh = in.value(item);
                if (!few) transpose(in.k, kh, s, kt);
                for (int i = 0; i < queries; i += ROWS) {
                    int n = Math.min(ROWS, queries - i);
                    if (few)
                        for (int r = 0; r < n; r++)
                            dots(in.q, qh + r * s.d, in.k, kh, s, scale, keyMask, scores, r * s.tp);
                    else products(in.q, qh, i, n, s, kt, scale, keyMask, scores);
                    // whole vectors, in place: exp(-inf) adds zeros (ROWS is fourRows' four)
                    if (n < ROWS || !VectorSoftmax.fourRows(scores, 0, s.tp, s.tp))
                        for (int r = 0; r < n; r++)
                            VectorSoftmax.row(scores, r * s.tp, scores, r * s.tp, s.tp, false);
                    for (int r = 0; r < n; r++) System.arraycopy(scores, r * s.tp, probs, p0 + (i + r) * seq, seq);
                    mix(scores, 0, s.tp, 1, n, seq, in.v, vh, s, true, out, oo + xq + i * s.d);
                }
            }
        });
    }

    /**
     * dQ, dK, dV (each may be null) += their contributions, or overwrite them when {@code overwrite}; a caller with
     * another beta scales them first.
     */
    static void backward(WorkerPool pool, int[] rows, float[] q, int qo, float[] k, int ko, float[] v, int vo,
                         float[] probs, int po, float[] g, int go, int batch, int queries, int seq, int heads,
                         int headDim, float scale, boolean overwrite, float[] dq, int dqo, float[] dk, int dko,
                         float[] dv, int dvo) {
        Shape s = new Shape(batch, queries, seq, heads, headDim);
        boolean few = queries <= ROWS;
        boolean overwriteV = overwrite && !(dv != null && dv == dk && dvo == dko);   // dV added to dK when one
        s.items(pool, rows != null, (piece, from, to) -> {
            Inputs in = new Inputs(rows, q, qo, k, ko, v, vo, s);
            float[] vt = Scratch.zeroFloats(Scratch.HEAD, headDim * s.tp);
            float[] dp = Scratch.zeroFloats(Scratch.SCORES, ROWS * s.tp);
            float[] pr = Scratch.zeroFloats(Scratch.PROBS, ROWS * s.tp);
            float[] ds = Scratch.zeroFloats(Scratch.SCORE_GRADS, queries * s.tp);   // (queries, tp) of one item
            float[] zeros = Scratch.zeroFloats(Scratch.KEY_MASK, s.tp);
            for (int item = from; item < to; item++) {
                int x = s.head(item), xq = s.queryHead(item), p0 = po + item * queries * seq;
                if (item == from || item % heads == 0) in.sequence(item / heads);
                int qh = in.query(item), kh = in.key(item), vh = in.value(item);
                if (queries == 1) {   // per key: one dot product, and dK, dV rows written straight out
                    dots(g, go + xq, in.v, vh, s, 1f, zeros, dp, 0);   // dP = dOut V^T
                    System.arraycopy(probs, p0, pr, 0, seq);
                    scoreGradient(pr, dp, 0, s.tp, scale, ds, 0);
                    if (dq != null) mix(ds, 0, s.tp, 1, 1, seq, in.k, kh, s, overwrite, dq, dqo + xq);
                    if (dk != null) outer(ds, in.q, qh, s, overwrite, dk, dko + x);   // dK = dS^T Q
                    if (dv != null) outer(pr, g, go + xq, s, overwriteV, dv, dvo + x);   // dV = P^T dOut
                    continue;
                }
                if (!few) transpose(in.v, vh, s, vt);
                for (int i = 0; i < queries; i += ROWS) {
                    int n = Math.min(ROWS, queries - i);
                    if (few)
                        for (int r = 0; r < n; r++) dots(g, go + xq + r * s.d, in.v, vh, s, 1f, zeros, dp, r * s.tp);
                    else products(g, go + xq, i, n, s, vt, 1f, zeros, dp);   // dP = dOut V^T
                    for (int r = 0; r < n; r++) {
                        System.arraycopy(probs, p0 + (i + r) * seq, pr, r * s.tp, seq);
                        scoreGradient(pr, dp, r * s.tp, s.tp, scale, ds, (i + r) * s.tp);
                    }
                    if (dq != null)
                        mix(ds, i * s.tp, s.tp, 1, n, seq, in.k, kh, s, overwrite, dq, dqo + xq + i * s.d);
                }
                for (int j = 0; j < seq; j += ROWS) {   // key rows j.., each a sum over the queries
                    int n = Math.min(ROWS, seq - j);
                    if (dk != null)   // dK = dS^T Q
                        mix(ds, j, 1, s.tp, n, queries, in.q, qh, s, overwrite, dk, dko + x + j * s.d);
                    if (dv != null)   // dV = P^T dOut
                        mix(probs, p0 + j, 1, seq, n, queries, g, go + xq, s, overwriteV, dv, dvo + x + j * s.d);
                }
            }
        });
    }

    /**
     * Where one task reads the q, k and v heads of an item: the tensors themselves, or, given a row index, copies of
     * the current sequence's rows of the tables (full rows of d, so one copy serves every head of the sequence).
     */
    private static final class Inputs {
        final int[] rows;
        final float[] q, k, v;
        final int qo, ko, vo;
        /** The tables and their offsets, with a row index. */
        final float[] tq, tk, tv;
        final int tqo, tko, tvo;
        final Shape s;

        Inputs(int[] rows, float[] q, int qo, float[] k, int ko, float[] v, int vo, Shape s) {
            this.rows = rows;
            this.s = s;
            this.tq = q;
            this.tk = k;
            this.tv = v;
            this.tqo = qo;
            this.tko = ko;
            this.tvo = vo;
            int n = s.seq * s.d;
            this.q = rows == null ? q : Scratch.floats(Scratch.QUERY_ROWS, n);   // every float copied before read
            this.k = rows == null ? k : Scratch.floats(Scratch.KEY_ROWS, n);
            this.v = rows == null ? v : Scratch.floats(Scratch.VALUE_ROWS, n);
            this.qo = rows == null ? qo : 0;
            this.ko = rows == null ? ko : 0;
            this.vo = rows == null ? vo : 0;
        }

        /** Copies sequence b's rows of the tables (with a row index; otherwise nothing to do). */
        void sequence(int b) {
            if (rows == null) return;
            int d = s.d;
            for (int t = 0, r = b * s.seq; t < s.seq; t++, r++) {
                int src = rows[r] * d;
                System.arraycopy(tq, tqo + src, q, t * d, d);
                System.arraycopy(tk, tko + src, k, t * d, d);
                System.arraycopy(tv, tvo + src, v, t * d, d);
            }
        }

        /** Offset of item's query head in {@link #q}. */
        int query(int item) {
            return qo + (rows == null ? s.queryHead(item) : item % s.heads * s.headDim);
        }

        /** Offset of item's key head in {@link #k}. */
        int key(int item) {
            return ko + (rows == null ? s.head(item) : item % s.heads * s.headDim);
        }

        /** Offset of item's value head in {@link #v}. */
        int value(int item) {
            return vo + (rows == null ? s.head(item) : item % s.heads * s.headDim);
        }
    }

    /**
     * row[r0 + j] = scale * a . b_j + bias[j] for j < seq, a one head row (at a0) and b_j row j of a head of b (at
     * b0), each dot product {@link VectorMath#dot}; row[r0 + j] = bias[j] for j in [seq, tp).
     */
    private static void dots(float[] a, int a0, float[] b, int b0, Shape s, float scale, float[] bias, float[] row,
                             int r0) {
        for (int j = 0, bj = b0; j < s.seq; j++, bj += s.d)
            row[r0 + j] = Math.fma((float) VectorMath.dot(a, a0, b, bj, s.headDim), scale, bias[j]);
        System.arraycopy(bias, s.seq, row, r0 + s.seq, s.tp - s.seq);
    }

    /**
     * Rows j < seq of a head of c (at c0) = w[j] * a, a one head row (at a0); written, or added when not
     * {@code overwrite}.
     */
    private static void outer(float[] w, float[] a, int a0, Shape s, boolean overwrite, float[] c, int c0) {
        for (int j = 0, o = c0; j < s.seq; j++, o += s.d) {
            FloatVector wj = FloatVector.broadcast(F, w[j]);
            for (int col = 0; col < s.headDim; col += W) {
                if (col + W <= s.headDim) {
                    FloatVector r = FloatVector.fromArray(F, a, a0 + col).mul(wj);
                    if (!overwrite) r = r.add(FloatVector.fromArray(F, c, o + col));
                    r.intoArray(c, o + col);
                } else {
                    VectorMask<Float> m = F.indexInRange(col, s.headDim);
                    FloatVector r = FloatVector.fromArray(F, a, a0 + col, m).mul(wj);
                    if (!overwrite) r = r.add(FloatVector.fromArray(F, c, o + col, m));
                    r.intoArray(c, o + col, m);
                }
            }
        }
    }

    /** t[p * tp + j] = a[a0 + j * d + p] for one head (seq, headDim); columns seq..tp are zero (t starts zeroed). */
    private static void transpose(float[] a, int a0, Shape s, float[] t) {
        VectorTranspose.block(a, a0, s.d, s.seq, s.headDim, t, s.tp);
    }

    /**
     * rows[r * tp + j] = scale * a_{i+r} . t[:, j] + bias[j] for r < ROWS and j < tp, a_{i+r} being row i + r of a
     * head (rows past the last, r >= n, repeat the last one).
     */
    private static void products(float[] a, int a0, int i, int n, Shape s, float[] t, float scale, float[] bias,
                                 float[] rows) {
        if (n == 1) {   // a last group of one row: its scores alone, not four copies of them
            productsOne(a, a0 + i * s.d, s, t, scale, bias, rows);
            return;
        }
        int r0 = a0 + i * s.d, r1 = a0 + (i + Math.min(1, n - 1)) * s.d;
        int r2 = a0 + (i + Math.min(2, n - 1)) * s.d, r3 = a0 + (i + Math.min(3, n - 1)) * s.d;
        int tp = s.tp, j = 0;
        FloatVector sv = FloatVector.broadcast(F, scale);
        for (; j + 2 * W <= tp; j += 2 * W) {   // two vectors of keys: eight independent FMA chains
            FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0, e0 = c0, e1 = c0, e2 = c0, e3 = c0;
            for (int p = 0, ti = j; p < s.headDim; p++, ti += tp) {
                FloatVector tv = FloatVector.fromArray(F, t, ti), tw = FloatVector.fromArray(F, t, ti + W);
                FloatVector x0 = FloatVector.broadcast(F, a[r0 + p]), x1 = FloatVector.broadcast(F, a[r1 + p]);
                FloatVector x2 = FloatVector.broadcast(F, a[r2 + p]), x3 = FloatVector.broadcast(F, a[r3 + p]);
                c0 = x0.fma(tv, c0);
                e0 = x0.fma(tw, e0);
                c1 = x1.fma(tv, c1);
                e1 = x1.fma(tw, e1);
                c2 = x2.fma(tv, c2);
                e2 = x2.fma(tw, e2);
                c3 = x3.fma(tv, c3);
                e3 = x3.fma(tw, e3);
            }
            FloatVector bv = FloatVector.fromArray(F, bias, j), bw = FloatVector.fromArray(F, bias, j + W);
            c0.fma(sv, bv).intoArray(rows, j);
            e0.fma(sv, bw).intoArray(rows, j + W);
            c1.fma(sv, bv).intoArray(rows, tp + j);
            e1.fma(sv, bw).intoArray(rows, tp + j + W);
            c2.fma(sv, bv).intoArray(rows, 2 * tp + j);
            e2.fma(sv, bw).intoArray(rows, 2 * tp + j + W);
            c3.fma(sv, bv).intoArray(rows, 3 * tp + j);
            e3.fma(sv, bw).intoArray(rows, 3 * tp + j + W);
        }
        for (; j < tp; j += W) {   // a last vector of keys
            FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
            for (int p = 0, ti = j; p < s.headDim; p++, ti += tp) {
                FloatVector tv = FloatVector.fromArray(F, t, ti);
                c0 = FloatVector.broadcast(F, a[r0 + p]).fma(tv, c0);
                c1 = FloatVector.broadcast(F, a[r1 + p]).fma(tv, c1);
                c2 = FloatVector.broadcast(F, a[r2 + p]).fma(tv, c2);
                c3 = FloatVector.broadcast(F, a[r3 + p]).fma(tv, c3);
            }
            FloatVector bv = FloatVector.fromArray(F, bias, j);
            c0.fma(sv, bv).intoArray(rows, j);
            c1.fma(sv, bv).intoArray(rows, tp + j);
            c2.fma(sv, bv).intoArray(rows, 2 * tp + j);
            c3.fma(sv, bv).intoArray(rows, 3 * tp + j);
        }
    }

    /** {@link #products} of one row (at r0): rows[j] for j < tp, the same sums in the same order as its first row. */
    private static void productsOne(float[] a, int r0, Shape s, float[] t, float scale, float[] bias, float[] rows) {
        int tp = s.tp, j = 0;
        FloatVector sv = FloatVector.broadcast(F, scale);
        for (; j + 2 * W <= tp; j += 2 * W) {
            FloatVector c = FloatVector.zero(F), e = c;
            for (int p = 0, ti = j; p < s.headDim; p++, ti += tp) {
                FloatVector x = FloatVector.broadcast(F, a[r0 + p]);
                c = x.fma(FloatVector.fromArray(F, t, ti), c);
                e = x.fma(FloatVector.fromArray(F, t, ti + W), e);
            }
            c.fma(sv, FloatVector.fromArray(F, bias, j)).intoArray(rows, j);
            e.fma(sv, FloatVector.fromArray(F, bias, j + W)).intoArray(rows, j + W);
        }
        for (; j < tp; j += W) {
            FloatVector c = FloatVector.zero(F);
            for (int p = 0, ti = j; p < s.headDim; p++, ti += tp)
                c = FloatVector.broadcast(F, a[r0 + p]).fma(FloatVector.fromArray(F, t, ti), c);
            c.fma(sv, FloatVector.fromArray(F, bias, j)).intoArray(rows, j);
        }
    }

    /**
     * ds (at dso) = scale * p * (dp - sum_j(dp * p)) over one row of tp, p and dp at o (p is zero past seq, and so is
     * ds).
     */
    private static void scoreGradient(float[] p, float[] dp, int o, int tp, float scale, float[] ds, int dso) {
        FloatVector acc = FloatVector.zero(F);
        for (int j = 0; j < tp; j += W)
            acc = FloatVector.fromArray(F, dp, o + j).fma(FloatVector.fromArray(F, p, o + j), acc);
        float dot = VectorMath.sumLanes(acc);
        for (int j = 0; j < tp; j += W) {
            FloatVector pv = FloatVector.fromArray(F, p, o + j);
            FloatVector.fromArray(F, dp, o + j).sub(dot).mul(pv).mul(scale).intoArray(ds, dso + j);
        }
    }

    /**
     * Rows r < n of a head of c (at c0, rows of d) = sum_j w[w0 + r * rowStride + j * stepStride] * b_j over
     * j < steps in increasing order, b_j row j of a head of b (at b0); written, or added when not
     * {@code overwrite}. Weights of rows past n repeat row n - 1. A row of weights is a row of scores (rowStride the
     * row length, stepStride 1) or, for dK and dV, a column of them (rowStride 1, stepStride the row length).
     * The pairs of column vectors and a last single one are two methods: C1 gives up on one method holding both
     * loops ("out of virtual registers"), which then runs interpreted, its vectors boxed, until C2 compiles it.
     */
    private static void mix(float[] w, int w0, int rowStride, int stepStride, int n, int steps, float[] b, int b0,
                            Shape s, boolean overwrite, float[] c, int c0) {
        if (n == 1) {   // a last group of one row: its sums alone, not four copies of them
            mixOne(w, w0, stepStride, steps, b, b0, s, overwrite, c, c0);
            return;
        }
        int pairs = s.headDim / (2 * W) * (2 * W);
        if (pairs > 0) mixPairs(w, w0, rowStride, stepStride, n, steps, b, b0, s, overwrite, c, c0, pairs);
        if (pairs < s.headDim) mixLast(w, w0, rowStride, stepStride, n, steps, b, b0, s, overwrite, c, c0, pairs);
    }

    /**
     * {@link #mix} of one row (the same sums in the same order as its first row there), two vectors of columns at a
     * time, then a last one masked.
     */
    private static void mixOne(float[] w, int w0, int stepStride, int steps, float[] b, int b0, Shape s,
                               boolean overwrite, float[] c, int c0) {
        int d = s.d, col = 0;
        for (; col + 2 * W <= s.headDim; col += 2 * W) {
            FloatVector a = FloatVector.zero(F), e = a;
            for (int j = 0, bi = b0 + col, wj = w0; j < steps; j++, bi += d, wj += stepStride) {
                FloatVector x = FloatVector.broadcast(F, w[wj]);
                a = x.fma(FloatVector.fromArray(F, b, bi), a);
                e = x.fma(FloatVector.fromArray(F, b, bi + W), e);
            }
            int o = c0 + col;
            if (!overwrite) {
                a = a.add(FloatVector.fromArray(F, c, o));
                e = e.add(FloatVector.fromArray(F, c, o + W));
            }
            a.intoArray(c, o);
            e.intoArray(c, o + W);
        }
        for (; col < s.headDim; col += W) {
            VectorMask<Float> m = F.indexInRange(col, s.headDim);
            FloatVector a = FloatVector.zero(F);
            for (int j = 0, bi = b0 + col, wj = w0; j < steps; j++, bi += d, wj += stepStride)
                a = FloatVector.broadcast(F, w[wj]).fma(FloatVector.fromArray(F, b, bi, m), a);
            int o = c0 + col;
            if (!overwrite) a = a.add(FloatVector.fromArray(F, c, o, m));
            a.intoArray(c, o, m);
        }
    }

    /** {@link #mix} over head columns [0, cols), cols a multiple of 2W: two vectors of columns at a time. */
    private static void mixPairs(float[] w, int w0, int rowStride, int stepStride, int n, int steps, float[] b, int b0,
                                 Shape s, boolean overwrite, float[] c, int c0, int cols) {
        int w1 = w0 + Math.min(1, n - 1) * rowStride, w2 = w0 + Math.min(2, n - 1) * rowStride;
        int w3 = w0 + Math.min(3, n - 1) * rowStride;
        int d = s.d;
        for (int col = 0; col < cols; col += 2 * W) {   // two vectors of columns: eight independent FMA chains
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, e0 = a0, e1 = a0, e2 = a0, e3 = a0;
            for (int j = 0, bi = b0 + col, wj = 0; j < steps; j++, bi += d, wj += stepStride) {
                FloatVector bv = FloatVector.fromArray(F, b, bi), bw = FloatVector.fromArray(F, b, bi + W);
                FloatVector x0 = FloatVector.broadcast(F, w[w0 + wj]), x1 = FloatVector.broadcast(F, w[w1 + wj]);
                FloatVector x2 = FloatVector.broadcast(F, w[w2 + wj]), x3 = FloatVector.broadcast(F, w[w3 + wj]);
                a0 = x0.fma(bv, a0);
                e0 = x0.fma(bw, e0);
                a1 = x1.fma(bv, a1);
                e1 = x1.fma(bw, e1);
                a2 = x2.fma(bv, a2);
                e2 = x2.fma(bw, e2);
                a3 = x3.fma(bv, a3);
                e3 = x3.fma(bw, e3);
            }
            int o = c0 + col;
            if (!overwrite) {
                a0 = a0.add(FloatVector.fromArray(F, c, o));
                e0 = e0.add(FloatVector.fromArray(F, c, o + W));
            }
            a0.intoArray(c, o);
            e0.intoArray(c, o + W);
            if (n < 2) continue;
            o += d;
            if (!overwrite) {
                a1 = a1.add(FloatVector.fromArray(F, c, o));
                e1 = e1.add(FloatVector.fromArray(F, c, o + W));
            }
            a1.intoArray(c, o);
            e1.intoArray(c, o + W);
            if (n < 3) continue;
            o += d;
            if (!overwrite) {
                a2 = a2.add(FloatVector.fromArray(F, c, o));
                e2 = e2.add(FloatVector.fromArray(F, c, o + W));
            }
            a2.intoArray(c, o);
            e2.intoArray(c, o + W);
            if (n < 4) continue;
            o += d;
            if (!overwrite) {
                a3 = a3.add(FloatVector.fromArray(F, c, o));
                e3 = e3.add(FloatVector.fromArray(F, c, o + W));
            }
            a3.intoArray(c, o);
            e3.intoArray(c, o + W);
        }
    }

    /** {@link #mix} over head columns [from, headDim), one vector of columns at a time, masked past headDim. */
    private static void mixLast(float[] w, int w0, int rowStride, int stepStride, int n, int steps, float[] b, int b0,
                                Shape s, boolean overwrite, float[] c, int c0, int from) {
        int w1 = w0 + Math.min(1, n - 1) * rowStride, w2 = w0 + Math.min(2, n - 1) * rowStride;
        int w3 = w0 + Math.min(3, n - 1) * rowStride;
        int d = s.d;
        for (int col = from; col < s.headDim; col += W) {
            VectorMask<Float> m = F.indexInRange(col, s.headDim);
            boolean whole = col + W <= s.headDim;
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int j = 0, bi = b0 + col, wj = 0; j < steps; j++, bi += d, wj += stepStride) {
                FloatVector bv = whole ? FloatVector.fromArray(F, b, bi) : FloatVector.fromArray(F, b, bi, m);
                a0 = FloatVector.broadcast(F, w[w0 + wj]).fma(bv, a0);
                a1 = FloatVector.broadcast(F, w[w1 + wj]).fma(bv, a1);
                a2 = FloatVector.broadcast(F, w[w2 + wj]).fma(bv, a2);
                a3 = FloatVector.broadcast(F, w[w3 + wj]).fma(bv, a3);
            }
            int o = c0 + col;
            if (!overwrite) a0 = a0.add(FloatVector.fromArray(F, c, o, m));
            a0.intoArray(c, o, m);
            if (n < 2) continue;
            o += d;
            if (!overwrite) a1 = a1.add(FloatVector.fromArray(F, c, o, m));
            a1.intoArray(c, o, m);
            if (n < 3) continue;
            o += d;
            if (!overwrite) a2 = a2.add(FloatVector.fromArray(F, c, o, m));
            a2.intoArray(c, o, m);
            if (n < 4) continue;
            o += d;
            if (!overwrite) a3 = a3.add(FloatVector.fromArray(F, c, o, m));
            a3.intoArray(c, o, m);
        }
    }
}
