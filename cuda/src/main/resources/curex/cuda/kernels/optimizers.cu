// SGD with momentum and AdamW, PyTorch semantics, in double as ReferenceBackend computes them.

// g' = g + wd p; v = momentum v + g' (when momentum != 0); p -= lr v (or lr g').
extern "C" __global__ void sgd_step_f32(float* p, const float* g, float* v, float lr, float momentum, float wd, i64 n) {
    FOR_EACH(i, n) {
        double step = (double)g[i] + (double)wd * (double)p[i];
        if (momentum != 0.f) {
            step = (double)momentum * (double)v[i] + step;
            v[i] = (float)step;
        }
        p[i] = (float)((double)p[i] - (double)lr * step);
    }
}

// AdamW; correction1 = 1 - beta1^t and correction2 = 1 - beta2^t are computed on the host in double.
extern "C" __global__ void adamw_step_f32(float* p, const float* g, float* m, float* v, float lr, float beta1,
                                         float beta2, float eps, float wd, double correction1, double correction2,
                                         i64 n) {
    FOR_EACH(i, n) {
        double pi = (double)p[i] * (1 - (double)lr * (double)wd);
        double gi = g[i];
        double mi = (double)beta1 * (double)m[i] + (1 - (double)beta1) * gi;
        double vi = (double)beta2 * (double)v[i] + (1 - (double)beta2) * gi * gi;
        m[i] = (float)mi;
        v[i] = (float)vi;
        pi -= (double)lr * (mi / correction1) / (sqrt(vi / correction2) + (double)eps);
        p[i] = (float)pi;
    }
}
