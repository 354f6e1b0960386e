// Losses: cross-entropy, KL divergence with temperature, cosine distance and MSE's backward, in double.

// log sum_c exp(row[c] / t), shifted by the row maximum; -inf for an all -inf row. Block-wide.
__device__ double row_log_sum_exp(const float* row, int cols, double t) {
    double mx = -CUREX_INF;
    FOR_ROW(c, cols) mx = jmax(mx, (double)row[c] / t);
    mx = block_max(mx);
    if (mx == -CUREX_INF) return mx;
    double s = 0;
    FOR_ROW(c, cols) s += exp((double)row[c] / t - mx);
    s = block_sum(s);
    return mx + log(s);
}

// Per row: logsumexp - x[target], or 0 for an ignored row; targets were checked before the launch.
extern "C" __global__ void cross_entropy_rows_f32(const float* logits, int cols, const int* targets, int ignore,
                                                 double* row_loss) {
    i64 r = blockIdx.x;
    int t = targets[r];
    if (t == ignore) {
        if (threadIdx.x == 0) row_loss[r] = 0;
        return;
    }
    const float* row = logits + r * cols;
    double lse = row_log_sum_exp(row, cols, 1.0);
    if (threadIdx.x == 0) row_loss[r] = lse - (double)row[t];
}

// How many rows are not ignored, into *counted. One block.
extern "C" __global__ void count_targets(const int* targets, int rows, int ignore, int* counted) {
    double n = 0;
    for (int r = threadIdx.x; r < rows; r += blockDim.x) n += targets[r] != ignore ? 1 : 0;
    n = block_sum(n);
    if (threadIdx.x == 0) *counted = (int)n;
}

// loss = sum(row_loss) / counted, 0 when nothing counted. One block.
extern "C" __global__ void cross_entropy_finish_f32(const double* row_loss, int rows, const int* counted, float* loss) {
    double s = 0;
    for (int r = threadIdx.x; r < rows; r += blockDim.x) s += row_loss[r];
    s = block_sum(s);
    if (threadIdx.x == 0) *loss = *counted == 0 ? 0.f : (float)(s / *counted);
}

// dLogits[r] = beta dLogits[r] + dLoss * (softmax(row) - onehot(target)) / counted; ignored rows: beta dLogits[r].
extern "C" __global__ void cross_entropy_backward_f32(const float* logits, int cols, const int* targets, int ignore,
                                                     const int* counted, const float* dloss, float beta, float* dl) {
    i64 r = blockIdx.x, o = r * cols;
    int t = targets[r];
    if (t == ignore) {
        if (beta != 1.f) FOR_ROW(c, cols) dl[o + c] = prior(beta, dl[o + c]);
        return;
    }
    double g = *counted == 0 ? 0.0 : (double)*dloss / (double)*counted;
    double lse = row_log_sum_exp(logits + o, cols, 1.0);
    FOR_ROW(c, cols) {
        double p = exp((double)logits[o + c] - lse) - (c == t ? 1 : 0);
        dl[o + c] = (float)((double)prior(beta, dl[o + c]) + g * p);
    }
}

// Per row: sum_c pT (log pT - log pS) with p = softmax(logits / T), skipping pT == 0.
extern "C" __global__ void kl_div_rows_f32(const float* s, const float* t, int cols, float temperature,
                                          double* row_loss) {
    i64 o = (i64)blockIdx.x * cols;
    double temp = temperature;
    double lse_s = row_log_sum_exp(s + o, cols, temp), lse_t = row_log_sum_exp(t + o, cols, temp);
    double total = 0;
    FOR_ROW(c, cols) {
        double log_pt = (double)t[o + c] / temp - lse_t;
        double pt = exp(log_pt);
        if (pt != 0) total += pt * (log_pt - ((double)s[o + c] / temp - lse_s));
    }
    total = block_sum(total);
    if (threadIdx.x == 0) row_loss[blockIdx.x] = total;
}

// loss = T^2 * sum(row_loss) / rows (0 for 0 rows). One block.
extern "C" __global__ void kl_div_finish_f32(const double* row_loss, int rows, float temperature, float* loss) {
    double s = 0;
    for (int r = threadIdx.x; r < rows; r += blockDim.x) s += row_loss[r];
    s = block_sum(s);
    double t2 = (double)temperature * temperature;
    if (threadIdx.x == 0) *loss = rows == 0 ? 0.f : (float)(t2 * s / rows);
}

// dStudent = beta dStudent + dLoss * T * (softmax(s / T) - softmax(t / T)) / rows.
extern "C" __global__ void kl_div_backward_f32(const float* s, const float* t, int rows, int cols, float temperature,
                                              const float* dloss, float beta, float* ds) {
    i64 o = (i64)blockIdx.x * cols;
    double temp = temperature;
    double g = (double)*dloss * temp / rows;
    double lse_s = row_log_sum_exp(s + o, cols, temp), lse_t = row_log_sum_exp(t + o, cols, temp);
    FOR_ROW(c, cols) {
        double ps = exp((double)s[o + c] / temp - lse_s), pt = exp((double)t[o + c] / temp - lse_t);
        ds[o + c] = (float)((double)prior(beta, ds[o + c]) + g * (ps - pt));
    }
}

// mean_r (1 - x.y / (nx ny)) from dots (3, rows) = [x.y | x.x | y.y]; 0 for 0 rows. One block.
extern "C" __global__ void cosine_loss_f32(const float* h, int rows, float eps, float* loss) {
    double total = 0;
    for (int r = threadIdx.x; r < rows; r += blockDim.x) {
        double nx = jmax(sqrt((double)h[rows + r]), (double)eps), ny = jmax(sqrt((double)h[2 * rows + r]), (double)eps);
        total += 1 - (double)h[r] / (nx * ny);
    }
    total = block_sum(total);
    if (threadIdx.x == 0) *loss = rows == 0 ? 0.f : (float)(total / rows);
}

// The four row coefficients of Backend.cosineLossBackward, overwriting coef (4, rows).
extern "C" __global__ void cosine_loss_backward_f32(const float* h, int rows, float eps, const float* dloss, float* k) {
    double s = (double)*dloss / (double)rows;
    FOR_EACH(r, rows) {
        double lx = sqrt((double)h[rows + r]), ly = sqrt((double)h[2 * rows + r]);
        double nx = jmax(lx, (double)eps), ny = jmax(ly, (double)eps), cosv = (double)h[r] / (nx * ny);
        k[r] = (float)(-s / (nx * ny));
        k[rows + r] = lx < eps ? 0.f : (float)(s * cosv / (nx * nx));
        k[2 * rows + r] = (float)(-s / (nx * ny));
        k[3 * rows + r] = ly < eps ? 0.f : (float)(s * cosv / (ny * ny));
    }
}

// dA = beta dA + 2 dLoss (a - b) / n; dB = beta dB - 2 dLoss (a - b) / n (either may be null).
extern "C" __global__ void mse_backward_f32(const float* a, const float* b, const float* dloss, float beta,
                                           float* da, float* db, i64 n) {
    double g = 2.0 * (double)*dloss / (double)n;
    FOR_EACH(i, n) {
        double d = g * ((double)a[i] - (double)b[i]);
        if (da) da[i] = (float)((double)prior(beta, da[i]) + d);
        if (db) db[i] = (float)((double)prior(beta, db[i]) - d);
    }
}
