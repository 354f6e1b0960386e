// Attention built from a backend's own batched products and softmax: the path of a backend without a fused kernel.
package curex.kernels;

/**
 * {@link Backend#attention} and {@link Backend#attentionBackward} as per-sequence {@link Backend#gemmBatched} calls
 * over the heads (a head is a strided (rows, headDim) view with leading dimension d) and one masked
 * {@link Backend#softmax} over all score rows. Arguments are already checked. The backward takes a temporary
 * buffer of two score tensors (dP and dS) from the backend and frees it before returning.
 */
final class ComposedAttention {
    private ComposedAttention() {
    }

    static void forward(Backend be, Span q, Span k, Span v, Span mask, int batch, int queries, int seq, int heads,
                        int headDim, float scale, Span probs, Span out) {
        Sequences s = new Sequences(queries, seq, heads, headDim);
        for (int b = 0; b < batch; b++)   // scores: scale * Q K^T per head, into probs
            be.gemmBatched(false, true, queries, seq, headDim, scale, s.queryRows(q, b), s.d, headDim,
                    s.keyRows(k, b), s.d, headDim, 0f, s.scores(probs, b), seq, s.tt, heads);
        be.softmax(probs, batch * heads * queries, seq, mask, Math.max(1, heads * queries), probs);
        for (int b = 0; b < batch; b++)   // out = P V per head
            be.gemmBatched(false, false, queries, headDim, seq, 1f, s.scores(probs, b), seq, s.tt, s.keyRows(v, b),
                    s.d, headDim, 0f, s.queryRows(out, b), s.d, headDim, heads);
    }

    static void backward(Backend be, Span q, Span k, Span v, Span probs, Span dOut, int batch, int queries, int seq,
                         int heads, int headDim, float scale, float beta, Span dQ, Span dK, Span dV) {
        Sequences s = new Sequences(queries, seq, heads, headDim);
        if (dV != null) for (int b = 0; b < batch; b++)   // dV = P^T dOut
            be.gemmBatched(true, false, seq, headDim, queries, 1f, s.scores(probs, b), seq, s.tt,
                    s.queryRows(dOut, b), s.d, headDim, beta, s.keyRows(dV, b), s.d, headDim, heads);
        if (dQ == null && dK == null) return;
        long scores = probs.length();
        try (Buffer tmp = be.allocate(Math.max(1, 2 * scores))) {
            Span dP = tmp.all().slice(0, scores), dS = tmp.all().slice(scores, scores);
            for (int b = 0; b < batch; b++)   // dP = dOut V^T
                be.gemmBatched(false, true, queries, seq, headDim, 1f, s.queryRows(dOut, b), s.d, headDim,
                        s.keyRows(v, b), s.d, headDim, 0f, s.scores(dP, b), seq, s.tt, heads);
            be.softmaxBackward(probs, dP, batch * heads * queries, seq, 0f, dS);
            for (int b = 0; b < batch; b++) {   // dQ = scale dS K, dK = scale dS^T Q
                if (dQ != null)
                    be.gemmBatched(false, false, queries, headDim, seq, scale, s.scores(dS, b), seq, s.tt,
                            s.keyRows(k, b), s.d, headDim, beta, s.queryRows(dQ, b), s.d, headDim, heads);
                if (dK != null)   // added to dV's when dK and dV are one span
                    be.gemmBatched(true, false, seq, headDim, queries, scale, s.scores(dS, b), seq, s.tt,
                            s.queryRows(q, b), s.d, headDim, dK.equals(dV) ? 1f : beta, s.keyRows(dK, b), s.d,
                            headDim, heads);
            }
        }
    }

    /** Where sequence b starts in a (batch, queries or seq, d) tensor and in a (batch, heads, queries, seq) one. */
    private record Sequences(int queries, int seq, int heads, int d, long tt) {
        Sequences(int queries, int seq, int heads, int headDim) {
            this(queries, seq, heads, heads * headDim, (long) queries * seq);
        }

        /** Sequence b of a (batch, queries, d) span: its query rows. */
        Span queryRows(Span x, int b) {
            return x.slice((long) b * queries * d, (long) queries * d);
        }

        /** Sequence b of a (batch, seq, d) span: its key (or value) rows. */
        Span keyRows(Span x, int b) {
            return x.slice((long) b * seq * d, (long) seq * d);
        }

        /** Sequence b of a (batch, heads, queries, seq) span: its heads score matrices. */
        Span scores(Span x, int b) {
            return x.slice(b * heads * tt, heads * tt);
        }
    }
}
