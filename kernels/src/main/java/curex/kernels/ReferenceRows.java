// Row-wise reference kernels: softmax family, cross-entropy, KL and cosine losses and layer norm, in double.
package curex.kernels;

import static curex.kernels.HostBackend.data;
import static curex.kernels.HostBackend.ints;
import static curex.kernels.HostBackend.prior;

/**
 * Scalar loops over the rows of a (rows, cols) matrix for {@link ReferenceBackend}. Arguments are validated by
 * {@link CheckedBackend}; class indices are checked here as they are read. Every row is shifted by its maximum
 * before exponentiating. Backward kernels add their contribution to {@link HostBackend#prior}.
 */
final class ReferenceRows {
    private ReferenceRows() {
    }

    // ---------------------------------------------------------------- softmax family

    /**
     * softmax (or log-softmax when {@code log}) of {@code x[r] + mask[(r / maskRepeat) % maskRows]}. A row that is entirely
     * -inf after masking gives zeros (log: -inf everywhere) instead of NaN. out may alias x: each element of x
     * is read before the same element of out is written.
     */
    static void softmax(Span x, int rows, int cols, Span mask, int maskRepeat, Span out, boolean log) {
        float[] xd = data(x), od = data(out), md = mask == null ? null : data(mask);
        int maskRows = mask == null || cols == 0 ? 1 : mask.intLength() / cols;
        for (int r = 0; r < rows; r++) {
            int xo = x.intOffset() + r * cols, oo = out.intOffset() + r * cols;
            int mo = md == null ? -1 : mask.intOffset() + (r / maskRepeat % maskRows) * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) max = Math.max(max, masked(xd, xo, md, mo, c));
            if (max == Double.NEGATIVE_INFINITY) {
                for (int c = 0; c < cols; c++) od[oo + c] = log ? Float.NEGATIVE_INFINITY : 0f;
                continue;
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) sum += Math.exp(masked(xd, xo, md, mo, c) - max);
            double logSum = Math.log(sum);
            for (int c = 0; c < cols; c++) {
                double z = masked(xd, xo, md, mo, c) - max;
                od[oo + c] = (float) (log ? z - logSum : Math.exp(z) / sum);
            }
        }
    }

    private static double masked(float[] xd, int xo, float[] md, int mo, int c) {
        return md == null ? xd[xo + c] : (double) xd[xo + c] + md[mo + c];
    }

    /** {@code dX = beta dX + y * (dY - sum_c(dY * y))}. */
    static void softmaxBackward(Span y, Span dY, int rows, int cols, float beta, Span dX) {
        float[] yd = data(y), gd = data(dY), dd = data(dX);
        for (int r = 0; r < rows; r++) {
            int yo = y.intOffset() + r * cols, go = dY.intOffset() + r * cols, o = dX.intOffset() + r * cols;
            double dot = 0;
            for (int c = 0; c < cols; c++) dot += (double) gd[go + c] * yd[yo + c];
            for (int c = 0; c < cols; c++) dd[o + c] = (float) (prior(beta, dd[o + c]) + yd[yo + c] * (gd[go + c] - dot));
        }
    }

    /** {@code dX = beta dX + dY - exp(y) * sum_c(dY)}. */
    static void logSoftmaxBackward(Span y, Span dY, int rows, int cols, float beta, Span dX) {
        float[] yd = data(y), gd = data(dY), dd = data(dX);
        for (int r = 0; r < rows; r++) {
            int yo = y.intOffset() + r * cols, go = dY.intOffset() + r * cols, o = dX.intOffset() + r * cols;
            double sum = 0;
            for (int c = 0; c < cols; c++) sum += gd[go + c];
            for (int c = 0; c < cols; c++)
                dd[o + c] = (float) (prior(beta, dd[o + c]) + gd[go + c] - Math.exp(yd[yo + c]) * sum);
        }
    }

    // ---------------------------------------------------------------- losses

    /** Mean over counted rows of {@code logsumexp(row) - row[target]}; 0 when every row is ignored. */
    static void crossEntropy(Span logits, int rows, int cols, Span targets, int ignoreIndex, Span loss) {
        float[] ld = data(logits);
        int[] td = ints(targets);
        double total = 0;
        int counted = 0;
        for (int r = 0; r < rows; r++) {
            int t = td[targets.intOffset() + r];
            if (t == ignoreIndex) continue;
            int target = Check.index("crossEntropy", "target", t, cols);
            int o = logits.intOffset() + r * cols;
            total += logSumExp(ld, o, cols, 1) - ld[o + target];
            counted++;
        }
        data(loss)[loss.intOffset()] = counted == 0 ? 0f : (float) (total / counted);
    }

    /** {@code dLogits[r] = beta dLogits[r] + dLoss * (softmax(row) - onehot(target)) / counted}. */
    static void crossEntropyBackward(Span logits, int rows, int cols, Span targets, int ignoreIndex,
                                     Span dLoss, float beta, Span dLogits) {
        float[] ld = data(logits), dd = data(dLogits);
        int[] td = ints(targets);
        int counted = 0;
        for (int r = 0; r < rows; r++) {
            int t = td[targets.intOffset() + r];
            if (t != ignoreIndex) {
                Check.index("crossEntropyBackward", "target", t, cols);
                counted++;
            }
        }
        double g = counted == 0 ? 0 : data(dLoss)[dLoss.intOffset()] / (double) counted;
        for (int r = 0; r < rows; r++) {
            int target = td[targets.intOffset() + r], o = logits.intOffset() + r * cols;
            int d = dLogits.intOffset() + r * cols;
            if (target == ignoreIndex) {
                if (beta != 1) for (int c = 0; c < cols; c++) dd[d + c] = prior(beta, dd[d + c]);
                continue;
            }
            double lse = logSumExp(ld, o, cols, 1);
            for (int c = 0; c < cols; c++) {
                double p = Math.exp(ld[o + c] - lse) - (c == target ? 1 : 0);
                dd[d + c] = (float) (prior(beta, dd[d + c]) + g * p);
            }
        }
    }

    /** {@code T^2 * mean_r sum_c pT (log pT - log pS)} with p = softmax(logits / T); 0 for 0 rows. */
    static void klDiv(Span student, Span teacher, int rows, int cols, float temperature, Span loss) {
        float[] sd = data(student), td = data(teacher);
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int so = student.intOffset() + r * cols, to = teacher.intOffset() + r * cols;
            double lseS = logSumExp(sd, so, cols, temperature), lseT = logSumExp(td, to, cols, temperature);
            for (int c = 0; c < cols; c++) {
                double logPT = td[to + c] / (double) temperature - lseT;
                double pT = Math.exp(logPT);
                if (pT == 0) continue;  // 0 * log 0 = 0
                total += pT * (logPT - (sd[so + c] / (double) temperature - lseS));
            }
        }
        double t2 = (double) temperature * temperature;
        data(loss)[loss.intOffset()] = rows == 0 ? 0f : (float) (t2 * total / rows);
    }

    /** {@code dStudent = beta dStudent + dLoss * T * (softmax(student / T) - softmax(teacher / T)) / rows}. */
    static void klDivBackward(Span student, Span teacher, int rows, int cols, float temperature,
                              Span dLoss, float beta, Span dStudent) {
        float[] sd = data(student), td = data(teacher), dd = data(dStudent);
        double g = data(dLoss)[dLoss.intOffset()] * (double) temperature / rows;
        for (int r = 0; r < rows; r++) {
            int so = student.intOffset() + r * cols, to = teacher.intOffset() + r * cols;
            int o = dStudent.intOffset() + r * cols;
            double lseS = logSumExp(sd, so, cols, temperature), lseT = logSumExp(td, to, cols, temperature);
            for (int c = 0; c < cols; c++) {
                double pS = Math.exp(sd[so + c] / (double) temperature - lseS);
                double pT = Math.exp(td[to + c] / (double) temperature - lseT);
                dd[o + c] = (float) (prior(beta, dd[o + c]) + g * (pS - pT));
            }
        }
    }

    /** {@code mean_r (1 - x.y / (nx ny))}, {@code nx = max(sqrt(x.x), eps)}, from dots (3, rows); 0 for 0 rows. */
    static void cosineLoss(Span dots, int rows, float eps, Span loss) {
        float[] h = data(dots);
        int o = dots.intOffset();
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double nx = Math.max(Math.sqrt(h[o + rows + r]), eps), ny = Math.max(Math.sqrt(h[o + 2 * rows + r]), eps);
            total += 1 - h[o + r] / (nx * ny);
        }
        data(loss)[loss.intOffset()] = rows == 0 ? 0f : (float) (total / rows);
    }

    /** The four row coefficients of {@link Backend#cosineLossBackward}, overwriting coef (4, rows). */
    static void cosineLossBackward(Span dots, int rows, float eps, Span dLoss, Span coef) {
        float[] h = data(dots), k = data(coef);
        int o = dots.intOffset(), co = coef.intOffset();
        double s = data(dLoss)[dLoss.intOffset()] / (double) rows;
        for (int r = 0; r < rows; r++) {
            double lx = Math.sqrt(h[o + rows + r]), ly = Math.sqrt(h[o + 2 * rows + r]);
            double nx = Math.max(lx, eps), ny = Math.max(ly, eps), cos = h[o + r] / (nx * ny);
            k[co + r] = (float) (-s / (nx * ny));
            k[co + rows + r] = lx < eps ? 0f : (float) (s * cos / (nx * nx));
            k[co + 2 * rows + r] = (float) (-s / (nx * ny));
            k[co + 3 * rows + r] = ly < eps ? 0f : (float) (s * cos / (ny * ny));
        }
    }

    /** {@code log sum_c exp(d[o + c] / t)}, shifted by the row maximum. */
    private static double logSumExp(float[] d, int o, int cols, double t) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) max = Math.max(max, d[o + c] / t);
        if (max == Double.NEGATIVE_INFINITY) return max;
        double sum = 0;
        for (int c = 0; c < cols; c++) sum += Math.exp(d[o + c] / t - max);
        return max + Math.log(sum);
    }

    // ---------------------------------------------------------------- layer norm

    /** {@code out = (x - mean) * rstd * gamma + beta}, biased variance; saves mean and rstd per row. */
    static void layerNorm(Span x, int rows, int cols, Span gamma, Span beta, float eps,
                          Span out, Span mean, Span rstd) {
        float[] xd = data(x), gd = data(gamma), bd = data(beta), od = data(out), md = data(mean), rd = data(rstd);
        for (int r = 0; r < rows; r++) {
            int xo = x.intOffset() + r * cols, oo = out.intOffset() + r * cols;
            double mu = 0;
            for (int c = 0; c < cols; c++) mu += xd[xo + c];
            mu = cols == 0 ? 0 : mu / cols;
            double var = 0;
            for (int c = 0; c < cols; c++) var += (xd[xo + c] - mu) * (xd[xo + c] - mu);
            var = cols == 0 ? 0 : var / cols;
            double rs = 1 / Math.sqrt(var + eps);
            for (int c = 0; c < cols; c++)
                od[oo + c] = (float) ((xd[xo + c] - mu) * rs * gd[gamma.intOffset() + c] + bd[beta.intOffset() + c]);
            md[mean.intOffset() + r] = (float) mu;
            rd[rstd.intOffset() + r] = (float) rs;
        }
    }

    /**
     * With {@code xhat = (x - mean) rstd} and {@code g = dOut * gamma}: {@code dX = beta dX + rstd (g - mean(g) -
     * xhat mean(g xhat))}, {@code dGamma = beta dGamma + sum_r dOut xhat}, {@code dBeta = beta dBeta + sum_r dOut}.
     */
    static void layerNormBackward(Span x, int rows, int cols, Span gamma, Span mean, Span rstd,
                                  Span dOut, float beta, Span dX, Span dGamma, Span dBeta) {
        float[] xd = data(x), gam = data(gamma), md = data(mean), rd = data(rstd), god = data(dOut);
        double[] sumGamma = new double[cols], sumBeta = new double[cols];
        for (int r = 0; r < rows; r++) {
            int xo = x.intOffset() + r * cols, go = dOut.intOffset() + r * cols;
            double mu = md[mean.intOffset() + r], rs = rd[rstd.intOffset() + r];
            double meanG = 0, meanGX = 0;
            for (int c = 0; c < cols; c++) {
                double xhat = (xd[xo + c] - mu) * rs, g = (double) god[go + c] * gam[gamma.intOffset() + c];
                meanG += g;
                meanGX += g * xhat;
                sumGamma[c] += god[go + c] * xhat;
                sumBeta[c] += god[go + c];
            }
            if (dX == null || cols == 0) continue;
            meanG /= cols;
            meanGX /= cols;
            float[] dd = data(dX);
            int o = dX.intOffset() + r * cols;
            for (int c = 0; c < cols; c++) {
                double xhat = (xd[xo + c] - mu) * rs, g = (double) god[go + c] * gam[gamma.intOffset() + c];
                dd[o + c] = (float) (prior(beta, dd[o + c]) + rs * (g - meanG - xhat * meanGX));
            }
        }
        addInto(sumGamma, beta, dGamma);
        addInto(sumBeta, beta, dBeta);
    }

    private static void addInto(double[] sums, float beta, Span dst) {
        if (dst == null) return;
        float[] d = data(dst);
        for (int c = 0; c < sums.length; c++)
            d[dst.intOffset() + c] = (float) (prior(beta, d[dst.intOffset() + c]) + sums[c]);
    }
}
