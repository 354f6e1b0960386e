// The softmax family, one block per row of a (rows, cols) matrix, in double as ReferenceRows computes it.

__device__ __forceinline__ double masked_value(const float* x, const float* mrow, int c) {
    return mrow ? (double)x[c] + (double)mrow[c] : (double)x[c];
}

// softmax (log_softmax when log_out) of x[r] + mask[(r / mask_repeat) % mask_rows]; mask may be null. A row that
// is entirely -inf gives zeros (log: -inf). out may alias x: every read of a row's x ends before its writes.
extern "C" __global__ void softmax_f32(const float* x, int cols, const float* mask, int mask_rows, int mask_repeat,
                                      float* out, int log_out) {
    i64 r = blockIdx.x, o = r * cols;
    const float* xr = x + o;
    const float* mrow = mask ? mask + (i64)((r / mask_repeat) % mask_rows) * cols : (const float*)0;
    double mx = -CUREX_INF;
    FOR_ROW(c, cols) mx = jmax(mx, masked_value(xr, mrow, c));
    mx = block_max(mx);
    if (mx == -CUREX_INF) {
        FOR_ROW(c, cols) out[o + c] = log_out ? -CUREX_INF : 0.f;
        return;
    }
    double s = 0;
    FOR_ROW(c, cols) s += exp(masked_value(xr, mrow, c) - mx);
    s = block_sum(s);
    double log_sum = log(s);
    FOR_ROW(c, cols) {
        double z = masked_value(xr, mrow, c) - mx;
        out[o + c] = (float)(log_out ? z - log_sum : exp(z) / s);
    }
}

// dX = beta dX + y * (dY - sum_c(dY * y)).
extern "C" __global__ void softmax_backward_f32(const float* y, const float* g, int cols, float beta, float* dx) {
    i64 o = (i64)blockIdx.x * cols;
    double dot = 0;
    FOR_ROW(c, cols) dot += (double)g[o + c] * (double)y[o + c];
    dot = block_sum(dot);
    FOR_ROW(c, cols) dx[o + c] = (float)((double)prior(beta, dx[o + c]) + (double)y[o + c] * ((double)g[o + c] - dot));
}

// dX = beta dX + dY - exp(y) * sum_c(dY).
extern "C" __global__ void log_softmax_backward_f32(const float* y, const float* g, int cols, float beta, float* dx) {
    i64 o = (i64)blockIdx.x * cols;
    double s = 0;
    FOR_ROW(c, cols) s += g[o + c];
    s = block_sum(s);
    FOR_ROW(c, cols) dx[o + c] = (float)((double)prior(beta, dx[o + c]) + (double)g[o + c] - exp((double)y[o + c]) * s);
}

// out[r] = index of the first maximum of row r; NaN never wins (ReferenceBackend.firstMax). One thread per row,
// scanning in order, so ties and NaNs resolve exactly as on the CPU.
extern "C" __global__ void argmax_rows_f32(const float* x, int rows, int cols, int* out) {
    FOR_EACH(r, rows) {
        const float* d = x + r * cols;
        int best = 0;
        for (int i = 1; i < cols; i++) if (d[i] > d[best] || d[best] != d[best]) best = i;
        out[r] = best;
    }
}
