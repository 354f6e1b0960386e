// Elementwise ops, activations and row/column ops over (rows, cols) matrices, as ReferenceBackend computes them.

#define SQRT_2_OVER_PI 0.7978845608028654
#define GELU_CUBIC 0.044715

extern "C" __global__ void add_f32(const float* a, const float* b, float* out, i64 n) {
    FOR_EACH(i, n) out[i] = a[i] + b[i];
}

extern "C" __global__ void mul_f32(const float* a, const float* b, float* out, i64 n) {
    FOR_EACH(i, n) out[i] = a[i] * b[i];
}

// dA = beta dA + dOut * b; dB = beta dB + dOut * a (either may be null). dA and dB may be one span when beta == 1:
// then each element is read and written by the same thread, dA's contribution first, as the reference does.
extern "C" __global__ void mul_backward_f32(const float* a, const float* b, const float* g, float beta,
                                           float* da, float* db, i64 n) {
    FOR_EACH(i, n) {
        double gi = g[i];
        if (da) da[i] = (float)((double)prior(beta, da[i]) + gi * (double)b[i]);
        if (db) db[i] = (float)((double)prior(beta, db[i]) + gi * (double)a[i]);
    }
}

extern "C" __global__ void scale_f32(float alpha, const float* x, float* out, i64 n) {
    FOR_EACH(i, n) out[i] = alpha * x[i];
}

// y = beta y + alpha x (scaleBackward, and axpy with beta 1).
extern "C" __global__ void accumulate_f32(float alpha, const float* x, float beta, float* y, i64 n) {
    FOR_EACH(i, n) y[i] = (float)((double)prior(beta, y[i]) + (double)alpha * (double)x[i]);
}

extern "C" __global__ void bias_add_f32(const float* x, const float* bias, float* out, i64 n, int cols) {
    FOR_EACH(i, n) out[i] = x[i] + bias[i % cols];
}

// One thread per column, summing the rows in order, as the reference does.
extern "C" __global__ void bias_grad_f32(const float* g, int rows, int cols, float beta, float* dbias) {
    FOR_EACH(c, cols) {
        double s = prior(beta, dbias[c]);
        for (int r = 0; r < rows; r++) s += g[(i64)r * cols + c];
        dbias[c] = (float)s;
    }
}

// One block per row.
extern "C" __global__ void row_dot_f32(const float* x, const float* y, int cols, float* out) {
    i64 o = (i64)blockIdx.x * cols;
    double s = 0;
    FOR_ROW(c, cols) s += (double)x[o + c] * (double)y[o + c];
    s = block_sum(s);
    if (threadIdx.x == 0) out[blockIdx.x] = (float)s;
}

extern "C" __global__ void row_scale_f32(const float* x, const float* scale, float beta, float* out, i64 n, int cols) {
    FOR_EACH(i, n) {
        double s = scale[i / cols];
        out[i] = (float)((double)prior(beta, out[i]) + s * (double)x[i]);
    }
}

extern "C" __global__ void relu_f32(const float* x, float* out, i64 n) {
    FOR_EACH(i, n) out[i] = x[i] > 0.f ? x[i] : 0.f;
}

extern "C" __global__ void relu_backward_f32(const float* x, const float* g, float beta, float* dx, i64 n) {
    FOR_EACH(i, n) {
        if (x[i] > 0.f) dx[i] = (float)((double)prior(beta, dx[i]) + (double)g[i]);
        else if (beta != 1.f) dx[i] = prior(beta, dx[i]);
    }
}

__device__ __forceinline__ double gelu_value(double x) {
    double u = SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x);
    return 0.5 * x * (1 + tanh(u));
}

__device__ __forceinline__ double gelu_derivative(double x) {
    double u = SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x);
    double t = tanh(u);
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * x * x);
}

extern "C" __global__ void gelu_f32(const float* x, float* out, i64 n) {
    FOR_EACH(i, n) out[i] = (float)gelu_value(x[i]);
}

extern "C" __global__ void gelu_backward_f32(const float* x, const float* g, float beta, float* dx, i64 n) {
    FOR_EACH(i, n) dx[i] = (float)((double)prior(beta, dx[i]) + (double)g[i] * gelu_derivative(x[i]));
}
