// Vectorised layer norm over the rows of a (rows, cols) matrix and its backward.
package curex.kernels;

import static curex.kernels.VectorMath.F;
import static curex.kernels.VectorMath.W;

import jdk.incubator.vector.FloatVector;

/**
 * Forward: a corrected two-pass mean and biased variance per row, row groups in parallel.
 * Backward: dX per row; dGamma and dBeta summed per fixed row group ({@link VectorColumns}), added in order.
 */
final class VectorLayerNorm {
    private VectorLayerNorm() {
    }

    /** {@code o = (x - mean) rstd gamma + beta}; writes mean and rstd per row. */
    static void forward(WorkerPool pool, float[] x, int xo, int rows, int cols, float[] gamma, int gmo,
                        float[] beta, int bo, float eps, float[] o, int oo, float[] mean, int mo,
                        float[] rstd, int ro) {
        Chunks.rows(pool, rows, cols, (p, r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xr = xo + r * cols, or = oo + r * cols;
                // corrected two-pass: x - mu0 is exact for x near mu0, and the small mean of the deviations
                // (d) repairs the rounding of mu0, so a large mean does not cost the deviations their precision
                float mu0 = cols == 0 ? 0f : (float) (VectorMath.sum(x, xr, 0, cols) / cols);
                FloatVector accD = FloatVector.zero(F), accSq = accD;
                int c = 0;
                for (; c <= cols - W; c += W) {
                    FloatVector dev = FloatVector.fromArray(F, x, xr + c).sub(mu0);
                    accD = accD.add(dev);
                    accSq = dev.fma(dev, accSq);
                }
                double sumD = VectorMath.sumLanes(accD), sumSq = VectorMath.sumLanes(accSq);
                for (; c < cols; c++) {
                    float dev = x[xr + c] - mu0;
                    sumD += dev;
                    sumSq += (double) dev * dev;
                }
                double d = cols == 0 ? 0 : sumD / cols;
                double var = cols == 0 ? 0 : Math.max(0, sumSq / cols - d * d);
                float rs = (float) (1 / Math.sqrt(var + eps)), df = (float) d;
                c = 0;
                for (; c <= cols - W; c += W)
                    FloatVector.fromArray(F, x, xr + c).sub(mu0).sub(df).mul(rs)
                            .fma(FloatVector.fromArray(F, gamma, gmo + c), FloatVector.fromArray(F, beta, bo + c))
                            .intoArray(o, or + c);
                for (; c < cols; c++)
                    o[or + c] = Math.fma((x[xr + c] - mu0 - df) * rs, gamma[gmo + c], beta[bo + c]);
                mean[mo + r] = (float) (mu0 + d);
                rstd[ro + r] = rs;
            }
        });
    }

    /**
     * With {@code xhat = (x - mean) rstd}, {@code g = dOut gamma}: {@code dX += rstd (g - mean(g) - xhat
     * mean(g xhat))}, {@code dGamma += sum_r dOut xhat}, {@code dBeta += sum_r dOut}; null outputs skipped.
     * dX is overwritten instead when {@code overwrite}; dGamma and dBeta become {@code beta * old + sum}.
     */
    static void backward(WorkerPool pool, float[] x, int xo, int rows, int cols, float[] gamma, int gmo,
                         float[] mean, int mo, float[] rstd, int ro, float[] g, int go,
                         float[] dx, int dxo, boolean overwrite, float beta,
                         float[] dGamma, int dgo, float[] dBeta, int dbo) {
        if ((rows == 0 || cols == 0) && beta == 1) return;
        int groups = VectorColumns.groups(rows, cols);
        float[] pg = dGamma == null ? null : Scratch.zeroFloats(Scratch.GAIN, groups * cols);
        float[] pb = dBeta == null ? null : Scratch.zeroFloats(Scratch.SHIFT, groups * cols);
        VectorColumns.groups(pool, rows, cols, (p, r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xr = xo + r * cols, gr = go + r * cols, po = p * cols;
                float mu = mean[mo + r], rs = rstd[ro + r];
                FloatVector accG = FloatVector.zero(F), accGX = accG;
                int c = 0;
                for (; c <= cols - W; c += W) {
                    FloatVector xhat = FloatVector.fromArray(F, x, xr + c).sub(mu).mul(rs);
                    FloatVector dOut = FloatVector.fromArray(F, g, gr + c);
                    FloatVector gv = dOut.mul(FloatVector.fromArray(F, gamma, gmo + c));
                    accG = accG.add(gv);
                    accGX = gv.fma(xhat, accGX);
                    if (pg != null) dOut.fma(xhat, FloatVector.fromArray(F, pg, po + c)).intoArray(pg, po + c);
                    if (pb != null) dOut.add(FloatVector.fromArray(F, pb, po + c)).intoArray(pb, po + c);
                }
                double sumG = VectorMath.sumLanes(accG), sumGX = VectorMath.sumLanes(accGX);
                for (; c < cols; c++) {
                    float xhat = (x[xr + c] - mu) * rs, dOut = g[gr + c], gv = dOut * gamma[gmo + c];
                    sumG += gv;
                    sumGX += (double) gv * xhat;
                    if (pg != null) pg[po + c] = Math.fma(dOut, xhat, pg[po + c]);
                    if (pb != null) pb[po + c] += dOut;
                }
                if (dx == null) continue;
                float meanG = (float) (sumG / cols), meanGX = (float) (sumGX / cols);
                int dr = dxo + r * cols;
                if (overwrite) dxRowSet(x, xr, g, gr, gamma, gmo, mu, rs, meanG, meanGX, dx, dr, cols);
                else dxRowAdd(x, xr, g, gr, gamma, gmo, mu, rs, meanG, meanGX, dx, dr, cols);
            }
        });
        if (pg != null) VectorColumns.addPartials(pg, groups, cols, beta, dGamma, dgo);
        if (pb != null) VectorColumns.addPartials(pb, groups, cols, beta, dBeta, dbo);
    }

    /** {@code dx = rstd (g gamma - meanG - xhat meanGX)} over one row. */
    private static void dxRowSet(float[] x, int xr, float[] g, int gr, float[] gamma, int gmo, float mu, float rs,
                                 float meanG, float meanGX, float[] dx, int dr, int cols) {
        FloatVector rsv = FloatVector.broadcast(F, rs);
        int c = 0;
        for (; c <= cols - W; c += W) {
            FloatVector xhat = FloatVector.fromArray(F, x, xr + c).sub(mu).mul(rs);
            FloatVector gv = FloatVector.fromArray(F, g, gr + c).mul(FloatVector.fromArray(F, gamma, gmo + c));
            gv.sub(meanG).sub(xhat.mul(meanGX)).mul(rsv).intoArray(dx, dr + c);
        }
        for (; c < cols; c++) {
            float xhat = (x[xr + c] - mu) * rs, gv = g[gr + c] * gamma[gmo + c];
            dx[dr + c] = (gv - meanG - xhat * meanGX) * rs;
        }
    }

    /** {@code dx += rstd (g gamma - meanG - xhat meanGX)} over one row. */
    private static void dxRowAdd(float[] x, int xr, float[] g, int gr, float[] gamma, int gmo, float mu, float rs,
                                 float meanG, float meanGX, float[] dx, int dr, int cols) {
        FloatVector rsv = FloatVector.broadcast(F, rs);
        int c = 0;
        for (; c <= cols - W; c += W) {
            FloatVector xhat = FloatVector.fromArray(F, x, xr + c).sub(mu).mul(rs);
            FloatVector gv = FloatVector.fromArray(F, g, gr + c).mul(FloatVector.fromArray(F, gamma, gmo + c));
            gv.sub(meanG).sub(xhat.mul(meanGX)).fma(rsv, FloatVector.fromArray(F, dx, dr + c)).intoArray(dx, dr + c);
        }
        for (; c < cols; c++) {
            float xhat = (x[xr + c] - mu) * rs, gv = g[gr + c] * gamma[gmo + c];
            dx[dr + c] = Math.fma(gv - meanG - xhat * meanGX, rs, dx[dr + c]);
        }
    }
}
