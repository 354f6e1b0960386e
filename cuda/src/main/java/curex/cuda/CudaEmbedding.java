// Embedding gather, scatter-add backward and padding mask on the CUDA backend (kernels in embedding.cu).
package curex.cuda;

import curex.kernels.Span;

/**
 * The ids are checked on the device first (one wait), so a bad id throws before anything is written. The
 * backward adds rows in order of i without atomics (see embedding.cu), so its sums are the CPU's, bit for bit.
 */
final class CudaEmbedding {
    /** Threads per block of the backward, over the embedding's columns. */
    static final int COLUMNS_PER_BLOCK = 128;
    /** About this many blocks in the backward's grid (columns times vocabulary slices). */
    static final int TARGET_BLOCKS = 1024;

    private final DeviceContext ctx;
    private final KernelLauncher k;

    CudaEmbedding(DeviceContext ctx) {
        this.ctx = ctx;
        this.k = ctx.kernels;
    }

    void forward(Span ids, Span table, int vocab, int dim, Span out) {
        ctx.checkIndices("embedding", "id", ids, vocab, 0, false);
        long n = ids.length() * dim;
        if (n > 0) k.elements("embedding_f32", n, ctx.ptr(ids), ctx.ptr(table), dim, ctx.ptr(out), n);
    }

    void paddingMask(Span ids, int padId, Span out) {
        if (ids.length() > 0) k.elements("padding_mask_f32", ids.length(), ctx.ptr(ids), padId, ctx.ptr(out), ids.length());
    }

    void backward(Span ids, Span dOut, int vocab, int dim, float beta, Span dTable) {
        ctx.checkIndices("embeddingBackward", "id", ids, vocab, 0, false);
        if (beta != 1 && dTable.length() > 0)
            k.elements("scale_prior_f32", dTable.length(), beta, ctx.ptr(dTable), dTable.length());
        if (ids.length() == 0 || dim == 0 || vocab == 0) return;
        int columnBlocks = (dim + COLUMNS_PER_BLOCK - 1) / COLUMNS_PER_BLOCK;
        int slices = Math.max(1, Math.min(vocab, TARGET_BLOCKS / columnBlocks));
        int perSlice = (vocab + slices - 1) / slices;
        slices = (vocab + perSlice - 1) / perSlice;
        k.launch("embedding_backward_f32", columnBlocks, slices, COLUMNS_PER_BLOCK, ctx.ptr(ids), ids.length(),
                ctx.ptr(dOut), vocab, dim, perSlice, ctx.ptr(dTable));
    }
}
