// Sums over whole spans in two passes with a grid fixed by the length, so the result is the same bits every run.

// mode 0: x; 1: x^2; 2: (x - y)^2. Block b sums a fixed, grid-strided subset into partial[b].
extern "C" __global__ void reduce_partials_f32(const float* x, const float* y, i64 n, int mode, double* partial) {
    double s = 0;
    FOR_EACH(i, n) {
        double v = mode == 2 ? (double)x[i] - (double)y[i] : (double)x[i];
        s += mode == 0 ? v : v * v;
    }
    s = block_sum(s);
    if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

// out = sum(partial) / divisor (divisor 1 for sums, n for mse; out = 0 when divisor is 0). One block.
extern "C" __global__ void reduce_finish_f32(const double* partial, int count, double divisor, float* out) {
    double s = 0;
    for (int i = threadIdx.x; i < count; i += blockDim.x) s += partial[i];
    s = block_sum(s);
    if (threadIdx.x == 0) *out = divisor == 0 ? 0.f : (float)(s / divisor);
}

// dX = beta dX + dOut[0].
extern "C" __global__ void sum_backward_f32(const float* dout, float beta, float* dx, i64 n) {
    double g = *dout;
    FOR_EACH(i, n) dx[i] = (float)((double)prior(beta, dx[i]) + g);
}
