// Fills and the index check of the ops that read class targets or token ids.

extern "C" __global__ void fill_f32(float* dst, i64 n, float value) {
    FOR_EACH(i, n) dst[i] = value;
}

// Records the first (lowest i) entry outside [0, limit) as (i << 32 | value) with an atomic minimum, so the
// host can name it; entries equal to ignore pass when use_ignore.
extern "C" __global__ void check_indices(const int* ids, i64 n, int limit, int ignore, int use_ignore, u64* err) {
    FOR_EACH(i, n) {
        int v = ids[i];
        if (use_ignore && v == ignore) continue;
        if (v < 0 || v >= limit) atomicMin(err, ((u64)i << 32) | (u64)(unsigned)v);
    }
}

// C = beta C for an (m, n) matrix with leading dimension ldc (0 for beta 0, NaN ignored): gemm when alpha or k is 0.
extern "C" __global__ void scale_matrix_f32(float* c, int m, int n, int ldc, float beta) {
    FOR_EACH(e, (i64)m * n) {
        i64 i = (e / n) * ldc + e % n;
        c[i] = beta == 0.f ? 0.f : beta * c[i];
    }
}
