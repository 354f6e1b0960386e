// Embedding gather, its deterministic scatter-add backward, and the key-padding mask. Ids were checked before launch.

extern "C" __global__ void embedding_f32(const int* ids, const float* table, int dim, float* out, i64 n) {
    FOR_EACH(i, n) out[i] = table[(i64)ids[i / dim] * dim + i % dim];
}

extern "C" __global__ void padding_mask_f32(const int* ids, int pad, float* out, i64 n) {
    FOR_EACH(i, n) out[i] = ids[i] == pad ? -CUREX_INF : 0.f;
}

// dTable = prior(beta, dTable), before the rows are added.
extern "C" __global__ void scale_prior_f32(float beta, float* d, i64 n) {
    FOR_EACH(i, n) d[i] = prior(beta, d[i]);
}

// Adds row i of dOut to row ids[i] of dTable, in order of i, without atomics: the thread of column c in the block
// row that owns table rows [v0, v0 + per_block) walks all ids and adds the ones in its range. Grid: x over columns
// (blockDim.x each), y over slices of the vocabulary.
extern "C" __global__ void embedding_backward_f32(const int* ids, i64 n, const float* g, int vocab, int dim,
                                                 int per_block, float* dtable) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    int v0 = blockIdx.y * per_block, v1 = min(vocab, v0 + per_block);
    if (c >= dim) return;
    for (i64 i = 0; i < n; i++) {
        int v = ids[i];
        if (v >= v0 && v < v1) {
            i64 t = (i64)v * dim + c;
            dtable[t] = dtable[t] + g[i * dim + c];
        }
    }
}
