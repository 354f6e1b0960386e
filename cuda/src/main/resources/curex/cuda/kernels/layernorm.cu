// Layer norm over the rows of a (rows, cols) matrix and its backward, in double as ReferenceRows computes it.

// One block per row: out = (x - mean) * rstd * gamma + beta with the biased variance; saves mean and rstd.
extern "C" __global__ void layer_norm_f32(const float* x, int cols, const float* gamma, const float* beta, float eps,
                                         float* out, float* mean, float* rstd) {
    i64 r = blockIdx.x, o = r * cols;
    double mu = 0;
    FOR_ROW(c, cols) mu += x[o + c];
    mu = block_sum(mu);
    mu = cols == 0 ? 0 : mu / cols;
    double var = 0;
    FOR_ROW(c, cols) {
        double d = (double)x[o + c] - mu;
        var += d * d;
    }
    var = block_sum(var);
    var = cols == 0 ? 0 : var / cols;
    double rs = 1 / sqrt(var + (double)eps);
    FOR_ROW(c, cols) out[o + c] = (float)(((double)x[o + c] - mu) * rs * (double)gamma[c] + (double)beta[c]);
    if (threadIdx.x == 0) {
        mean[r] = (float)mu;
        rstd[r] = (float)rs;
    }
}

// One block per row: dX = beta dX + rstd (g - mean_c(g) - xhat mean_c(g xhat)), g = dOut gamma.
extern "C" __global__ void layer_norm_backward_dx_f32(const float* x, int cols, const float* gamma, const float* mean,
                                                     const float* rstd, const float* dout, float beta, float* dx) {
    i64 r = blockIdx.x, o = r * cols;
    double mu = mean[r], rs = rstd[r];
    double mean_g = 0, mean_gx = 0;
    FOR_ROW(c, cols) {
        double xhat = ((double)x[o + c] - mu) * rs, g = (double)dout[o + c] * (double)gamma[c];
        mean_g += g;
        mean_gx += g * xhat;
    }
    mean_g = block_sum(mean_g) / cols;
    mean_gx = block_sum(mean_gx) / cols;
    FOR_ROW(c, cols) {
        double xhat = ((double)x[o + c] - mu) * rs, g = (double)dout[o + c] * (double)gamma[c];
        dx[o + c] = (float)((double)prior(beta, dx[o + c]) + rs * (g - mean_g - xhat * mean_gx));
    }
}

// One thread per column, rows in order: dGamma = beta dGamma + sum_r dOut xhat, dBeta = beta dBeta + sum_r dOut.
extern "C" __global__ void layer_norm_backward_params_f32(const float* x, int rows, int cols, const float* mean,
                                                         const float* rstd, const float* dout, float beta,
                                                         float* dgamma, float* dbeta) {
    FOR_EACH(c, cols) {
        double sg = 0, sb = 0;
        for (int r = 0; r < rows; r++) {
            i64 i = (i64)r * cols + c;
            double xhat = ((double)x[i] - (double)mean[r]) * (double)rstd[r];
            sg += (double)dout[i] * xhat;
            sb += dout[i];
        }
        if (dgamma) dgamma[c] = (float)((double)prior(beta, dgamma[c]) + sg);
        if (dbeta) dbeta[c] = (float)((double)prior(beta, dbeta[c]) + sb);
    }
}
