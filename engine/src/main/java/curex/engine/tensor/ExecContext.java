// The execution context passed to every op: the backend that computes and the FLOP counter it charges.
package curex.engine.tensor;

import curex.engine.flops.FlopCounter;
import curex.kernels.Backend;
import curex.kernels.CpuBackend;
import curex.kernels.Span;

/**
 * A backend plus a {@link FlopCounter}. Passed explicitly everywhere (there is no global context). Two contexts
 * over the same backend count separately, e.g. the student's training and the teacher's forward passes. Matrix
 * products go through {@link #gemm} / {@link #gemmBatched} here so that each is counted as it runs.
 */
public final class ExecContext {
    private final Backend backend;
    private final FlopCounter flops;

    public ExecContext(Backend backend) {
        this(backend, new FlopCounter());
    }

    public ExecContext(Backend backend, FlopCounter flops) {
        if (backend == null) throw new IllegalArgumentException("backend must not be null");
        if (flops == null) throw new IllegalArgumentException("flop counter must not be null");
        this.backend = backend;
        this.flops = flops;
    }

    /** A context over the same backend with a counter of its own. */
    public ExecContext withOwnCounter() {
        return new ExecContext(backend, new FlopCounter());
    }

    public Backend backend() {
        return backend;
    }

    public FlopCounter flops() {
        return flops;
    }

    /** {@link Backend#gemm}, counted as 2*m*n*k FLOPs. */
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, Span a, int lda, Span b, int ldb, float beta, Span c, int ldc) {
        flops.addProduct(m, n, k);
        backend.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /** {@link Backend#gemmBias}, counted as 2*m*n*k FLOPs (the product's, as {@link #gemm}). */
    public void gemmBias(boolean transA, boolean transB, int m, int n, int k, Span a, int lda, Span b, int ldb,
                         Span bias, Span c) {
        flops.addProduct(m, n, k);
        backend.gemmBias(transA, transB, m, n, k, a, lda, b, ldb, bias, c);
    }

    /** {@link Backend#gemmBiasGrad}, counted as 2*m*n*k FLOPs (the product's, as {@link #gemm}). */
    public void gemmBiasGrad(int m, int n, int k, Span a, Span b, float beta, Span c, float biasBeta, Span dBias) {
        flops.addProduct(m, n, k);
        backend.gemmBiasGrad(m, n, k, a, b, beta, c, biasBeta, dBias);
    }

    /** {@link Backend#gemmBatched}, counted as batch*2*m*n*k FLOPs. */
    public void gemmBatched(boolean transA, boolean transB, int m, int n, int k,
                            float alpha, Span a, int lda, long strideA, Span b, int ldb, long strideB,
                            float beta, Span c, int ldc, long strideC, int batch) {
        flops.addProducts(batch, m, n, k);
        backend.gemmBatched(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB,
                beta, c, ldc, strideC, batch);
    }

    /**
     * {@link Backend#attention}, counted as its two products per (sequence, head): scores (queries x headDim)(headDim
     * x seq) and output (queries x seq)(seq x headDim).
     */
    public void attention(Span q, Span k, Span v, Span mask, int batch, int queries, int seq, int heads, int headDim,
                          float scale, Span probs, Span out) {
        countAttention(batch, queries, seq, heads, headDim);
        backend.attention(q, k, v, mask, batch, queries, seq, heads, headDim, scale, probs, out);
    }

    /**
     * {@link Backend#attentionBackward}, counted as the products it stands for per (sequence, head): dP = dOut V^T
     * when dQ or dK is wanted, then one product of queries x seq x headDim per wanted gradient.
     */
    public void attentionBackward(Span q, Span k, Span v, Span probs, Span dOut, int batch, int queries, int seq,
                                  int heads, int headDim, float scale, float beta, Span dQ, Span dK, Span dV) {
        countAttentionBackward(batch, queries, seq, heads, headDim, dQ, dK, dV);
        backend.attentionBackward(q, k, v, probs, dOut, batch, queries, seq, heads, headDim, scale, beta, dQ, dK, dV);
    }

    /**
     * {@link CpuBackend#attentionOfRows}, counted as {@link #attention} with a query at every position; the backend
     * must be a CPU backend.
     */
    public void attentionOfRows(Span rows, int tableRows, Span q, Span k, Span v, Span mask, int batch, int seq,
                                int heads, int headDim, float scale, Span probs, Span out) {
        countAttention(batch, seq, seq, heads, headDim);
        cpu().attentionOfRows(rows, tableRows, q, k, v, mask, batch, seq, heads, headDim, scale, probs, out);
    }

    /** {@link CpuBackend#attentionOfRowsBackward}, counted as {@link #attentionBackward}. */
    public void attentionOfRowsBackward(Span rows, int tableRows, Span q, Span k, Span v, Span probs, Span dOut,
                                        int batch, int seq, int heads, int headDim, float scale, float beta, Span dQ,
                                        Span dK, Span dV) {
        countAttentionBackward(batch, seq, seq, heads, headDim, dQ, dK, dV);
        cpu().attentionOfRowsBackward(rows, tableRows, q, k, v, probs, dOut, batch, seq, heads, headDim, scale, beta,
                dQ, dK, dV);
    }

    /** Attention's two products per (sequence, head): scores and output. */
    private void countAttention(int batch, int queries, int seq, int heads, int headDim) {
        flops.addProducts((long) batch * heads, queries, seq, headDim);
        flops.addProducts((long) batch * heads, queries, headDim, seq);
    }

    /** dP = dOut V^T when dQ or dK is wanted, then one product per wanted gradient, per (sequence, head). */
    private void countAttentionBackward(int batch, int queries, int seq, int heads, int headDim, Span dQ, Span dK,
                                        Span dV) {
        long items = (long) batch * heads;
        int wanted = (dQ != null ? 1 : 0) + (dK != null ? 1 : 0) + (dV != null ? 1 : 0);
        if (dQ != null || dK != null) flops.addProducts(items, queries, seq, headDim);
        flops.addProducts(wanted * items, queries, headDim, seq);
    }

    private CpuBackend cpu() {
        if (backend instanceof CpuBackend cpu) return cpu;
        throw new UnsupportedOperationException("attention over shared rows needs a CPU backend, not " + backend.name());
    }

    /** {@link Backend#rowDot}: {@code rows} products (1 x cols)(cols x 1), counted as 2*rows*cols FLOPs. */
    public void rowDot(Span x, Span y, int rows, int cols, Span out) {
        flops.addProducts(rows, 1, 1, cols);
        backend.rowDot(x, y, rows, cols, out);
    }

    /** {@link Backend#rowScale}: {@code rows} products (1 x 1)(1 x cols), counted as 2*rows*cols FLOPs. */
    public void rowScale(Span x, int rows, int cols, Span scale, float beta, Span out) {
        flops.addProducts(rows, 1, cols, 1);
        backend.rowScale(x, rows, cols, scale, beta, out);
    }

    @Override
    public String toString() {
        return "ExecContext[" + backend.name() + ", " + flops + "]";
    }
}
