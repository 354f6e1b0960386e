// What only CPU backends expose beyond the Backend contract: thread count, SIMD width, attention over shared rows.
package curex.kernels;

/** A backend that computes on the host's cores. */
public interface CpuBackend extends Backend {

    /** Worker threads this backend computes with (the caller's included). */
    int threads();

    /** Float32 lanes per SIMD vector (1 for a scalar backend). */
    int vectorWidth();

    /**
     * {@link Backend#attention} with a query at every position, whose q, k and v rows come from tables: position
     * (b, t) reads row {@code rows[b * seq + t]} (I32, batch * seq) of q, k and v, each (tableRows, heads * headDim),
     * as if those rows had been gathered first ({@link Backend#embedding}). Positions that share a row (a (token,
     * position) pair, say) share its one copy, which stays in cache where gathered copies would stream from memory.
     * probs and out as in attention (batch, heads, seq, seq) and (batch, seq, heads * headDim).
     */
    void attentionOfRows(Span rows, int tableRows, Span q, Span k, Span v, Span mask, int batch, int seq, int heads,
                         int headDim, float scale, Span probs, Span out);

    /**
     * Backward of {@link #attentionOfRows}: dQ, dK and dV (each (batch, seq, heads * headDim), or null) as {@link
     * Backend#attentionBackward} gives them for the gathered rows; the caller sums them into the tables' rows
     * ({@link Backend#embeddingBackward}).
     */
    void attentionOfRowsBackward(Span rows, int tableRows, Span q, Span k, Span v, Span probs, Span dOut, int batch,
                                 int seq, int heads, int headDim, float scale, float beta, Span dQ, Span dK, Span dV);
}
