// The scalar reference backend: plain loops accumulated in double, the oracle every other backend is tested against.
package curex.kernels;

/**
 * Single-threaded scalar implementation of {@link Backend}. Every op validates its arguments with the
 * {@link OpChecks} method of the same name, then runs the most direct loop; sums are accumulated in double and
 * rounded to float once. Row-wise ops (softmax family, losses, layer norm) live in {@link ReferenceRows}.
 *
 * <p>Choices where the contract leaves room (other backends follow them):
 * <ul>
 *   <li>gemm with {@code beta == 0} never reads C; with {@code alpha == 0} it never reads A or B (as BLAS).</li>
 *   <li>A softmax row that is entirely -inf after masking gives zeros, not NaN; its log-softmax is -inf.</li>
 *   <li>mse of empty spans is 0; cross-entropy with every row ignored is 0; klDiv of 0 rows is 0.</li>
 *   <li>sgdStep with momentum 0 leaves velocity untouched (it may be null).</li>
 * </ul>
 */
public final class ReferenceBackend extends HostBackend {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public int vectorWidth() {
        return 1;
    }

    // ---------------------------------------------------------------- random fills (validated, then HostBackend's)

    @Override
    public void fillUniform(Span dst, float lo, float hi, long seed) {
        OpChecks.fillUniform(dst, lo, hi, seed);
        super.fillUniform(dst, lo, hi, seed);
    }

    @Override
    public void fillNormal(Span dst, float mean, float std, long seed) {
        OpChecks.fillNormal(dst, mean, std, seed);
        super.fillNormal(dst, mean, std, seed);
    }

    // ---------------------------------------------------------------- products

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, Span a, int lda, Span b, int ldb, float beta, Span c, int ldc) {
        OpChecks.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        gemmAt(transA, transB, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, ldc);
    }

    @Override
    public void gemmBatched(boolean transA, boolean transB, int m, int n, int k,
                            float alpha, Span a, int lda, long strideA, Span b, int ldb, long strideB,
                            float beta, Span c, int ldc, long strideC, int batch) {
        OpChecks.gemmBatched(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB,
                beta, c, ldc, strideC, batch);
        for (int i = 0; i < batch; i++)
            gemmAt(transA, transB, m, n, k, alpha, a, i * strideA, lda, b, i * strideB, ldb,
                    beta, c, i * strideC, ldc);
    }

    @Override
    public void gemmBackward(boolean transA, boolean transB, int m, int n, int k,
                             Span a, int lda, Span b, int ldb, Span dC, int ldc, Span dA, Span dB) {
        OpChecks.gemmBackward(transA, transB, m, n, k, a, lda, b, ldb, dC, ldc, dA, dB);
        super.gemmBackward(transA, transB, m, n, k, a, lda, b, ldb, dC, ldc, dA, dB);
    }

    /** One gemm whose operands start {@code aAt, bAt, cAt} elements into their spans (already validated). */
    private static void gemmAt(boolean transA, boolean transB, int m, int n, int k, float alpha,
                               Span a, long aAt, int lda, Span b, long bAt, int ldb,
                               float beta, Span c, long cAt, int ldc) {
        float[] ad = data(a), bd = data(b), cd = data(c);
        long ao = a.offset() + aAt, bo = b.offset() + bAt, co = c.offset() + cAt;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                if (alpha != 0) {
                    for (int p = 0; p < k; p++) {
                        double av = ad[(int) (ao + (transA ? (long) p * lda + i : (long) i * lda + p))];
                        double bv = bd[(int) (bo + (transB ? (long) j * ldb + p : (long) p * ldb + j))];
                        s += av * bv;
                    }
                    s *= alpha;
                }
                int ci = (int) (co + (long) i * ldc + j);
                if (beta != 0) s += (double) beta * cd[ci];
                cd[ci] = (float) s;
            }
        }
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public void add(Span a, Span b, Span out) {
        OpChecks.add(a, b, out);
        float[] ad = data(a), bd = data(b), od = data(out);
        int ao = a.intOffset(), bo = b.intOffset(), oo = out.intOffset();
        for (int i = 0; i < a.intLength(); i++) od[oo + i] = (float) ((double) ad[ao + i] + bd[bo + i]);
    }

    @Override
    public void addBackward(Span dOut, Span dA, Span dB) {
        OpChecks.addBackward(dOut, dA, dB);
        if (dA != null) accumulate(1, dOut, dA);
        if (dB != null) accumulate(1, dOut, dB);
    }

    @Override
    public void mul(Span a, Span b, Span out) {
        OpChecks.mul(a, b, out);
        float[] ad = data(a), bd = data(b), od = data(out);
        int ao = a.intOffset(), bo = b.intOffset(), oo = out.intOffset();
        for (int i = 0; i < a.intLength(); i++) od[oo + i] = (float) ((double) ad[ao + i] * bd[bo + i]);
    }

    @Override
    public void mulBackward(Span a, Span b, Span dOut, Span dA, Span dB) {
        OpChecks.mulBackward(a, b, dOut, dA, dB);
        float[] ad = data(a), bd = data(b), gd = data(dOut);
        int ao = a.intOffset(), bo = b.intOffset(), go = dOut.intOffset(), n = a.intLength();
        if (dA != null) {
            float[] d = data(dA);
            int o = dA.intOffset();
            for (int i = 0; i < n; i++) d[o + i] = (float) (d[o + i] + (double) gd[go + i] * bd[bo + i]);
        }
        if (dB != null) {
            float[] d = data(dB);
            int o = dB.intOffset();
            for (int i = 0; i < n; i++) d[o + i] = (float) (d[o + i] + (double) gd[go + i] * ad[ao + i]);
        }
    }

    @Override
    public void scale(float alpha, Span x, Span out) {
        OpChecks.scale(alpha, x, out);
        float[] xd = data(x), od = data(out);
        int xo = x.intOffset(), oo = out.intOffset();
        for (int i = 0; i < x.intLength(); i++) od[oo + i] = (float) ((double) alpha * xd[xo + i]);
    }

    @Override
    public void scaleBackward(float alpha, Span dOut, Span dX) {
        OpChecks.scaleBackward(alpha, dOut, dX);
        if (dX != null) accumulate(alpha, dOut, dX);
    }

    @Override
    public void axpy(float alpha, Span x, Span y) {
        OpChecks.axpy(alpha, x, y);
        accumulate(alpha, x, y);
    }

    /** {@code y += alpha * x}, lengths already checked. */
    private static void accumulate(float alpha, Span x, Span y) {
        float[] xd = data(x), yd = data(y);
        int xo = x.intOffset(), yo = y.intOffset();
        for (int i = 0; i < x.intLength(); i++) yd[yo + i] = (float) (yd[yo + i] + (double) alpha * xd[xo + i]);
    }

    // ---------------------------------------------------------------- rows and columns

    @Override
    public void biasAdd(Span x, int rows, int cols, Span bias, Span out) {
        OpChecks.biasAdd(x, rows, cols, bias, out);
        float[] xd = data(x), bd = data(bias), od = data(out);
        int xo = x.intOffset(), bo = bias.intOffset(), oo = out.intOffset();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                od[oo + r * cols + c] = (float) ((double) xd[xo + r * cols + c] + bd[bo + c]);
    }

    @Override
    public void biasGrad(Span dOut, int rows, int cols, Span dBias) {
        OpChecks.biasGrad(dOut, rows, cols, dBias);
        if (dBias == null) return;
        float[] gd = data(dOut), bd = data(dBias);
        int go = dOut.intOffset(), bo = dBias.intOffset();
        for (int c = 0; c < cols; c++) {
            double s = bd[bo + c];
            for (int r = 0; r < rows; r++) s += gd[go + r * cols + c];
            bd[bo + c] = (float) s;
        }
    }

    // ---------------------------------------------------------------- activations

    @Override
    public void relu(Span x, Span out) {
        OpChecks.relu(x, out);
        float[] xd = data(x), od = data(out);
        int xo = x.intOffset(), oo = out.intOffset();
        for (int i = 0; i < x.intLength(); i++) od[oo + i] = xd[xo + i] > 0 ? xd[xo + i] : 0f;
    }

    @Override
    public void reluBackward(Span x, Span dOut, Span dX) {
        OpChecks.reluBackward(x, dOut, dX);
        if (dX == null) return;
        float[] xd = data(x), gd = data(dOut), dd = data(dX);
        int xo = x.intOffset(), go = dOut.intOffset(), o = dX.intOffset();
        for (int i = 0; i < x.intLength(); i++)
            if (xd[xo + i] > 0) dd[o + i] = (float) ((double) dd[o + i] + gd[go + i]);
    }

    @Override
    public void gelu(Span x, Span out) {
        OpChecks.gelu(x, out);
        float[] xd = data(x), od = data(out);
        int xo = x.intOffset(), oo = out.intOffset();
        for (int i = 0; i < x.intLength(); i++) od[oo + i] = (float) ReferenceGelu.value(xd[xo + i]);
    }

    @Override
    public void geluBackward(Span x, Span dOut, Span dX) {
        OpChecks.geluBackward(x, dOut, dX);
        if (dX == null) return;
        float[] xd = data(x), gd = data(dOut), dd = data(dX);
        int xo = x.intOffset(), go = dOut.intOffset(), o = dX.intOffset();
        for (int i = 0; i < x.intLength(); i++)
            dd[o + i] = (float) (dd[o + i] + gd[go + i] * ReferenceGelu.derivative(xd[xo + i]));
    }

    // ---------------------------------------------------------------- softmax family and losses

    @Override
    public void softmax(Span x, int rows, int cols, Span mask, Span out) {
        OpChecks.softmax(x, rows, cols, mask, out);
        ReferenceRows.softmax(x, rows, cols, mask, out, false);
    }

    @Override
    public void softmaxBackward(Span y, Span dY, int rows, int cols, Span dX) {
        OpChecks.softmaxBackward(y, dY, rows, cols, dX);
        if (dX != null) ReferenceRows.softmaxBackward(y, dY, rows, cols, dX);
    }

    @Override
    public void logSoftmax(Span x, int rows, int cols, Span mask, Span out) {
        OpChecks.logSoftmax(x, rows, cols, mask, out);
        ReferenceRows.softmax(x, rows, cols, mask, out, true);
    }

    @Override
    public void logSoftmaxBackward(Span y, Span dY, int rows, int cols, Span dX) {
        OpChecks.logSoftmaxBackward(y, dY, rows, cols, dX);
        if (dX != null) ReferenceRows.logSoftmaxBackward(y, dY, rows, cols, dX);
    }

    @Override
    public void crossEntropy(Span logits, int rows, int cols, Span targets, int ignoreIndex, Span loss) {
        OpChecks.crossEntropy(logits, rows, cols, targets, ignoreIndex, loss);
        ReferenceRows.crossEntropy(logits, rows, cols, targets, ignoreIndex, loss);
    }

    @Override
    public void crossEntropyBackward(Span logits, int rows, int cols, Span targets, int ignoreIndex,
                                     Span dLoss, Span dLogits) {
        OpChecks.crossEntropyBackward(logits, rows, cols, targets, ignoreIndex, dLoss, dLogits);
        if (dLogits != null)
            ReferenceRows.crossEntropyBackward(logits, rows, cols, targets, ignoreIndex, dLoss, dLogits);
    }

    @Override
    public void mse(Span a, Span b, Span loss) {
        OpChecks.mse(a, b, loss);
        float[] ad = data(a), bd = data(b);
        int ao = a.intOffset(), bo = b.intOffset(), n = a.intLength();
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) ad[ao + i] - bd[bo + i];
            s += d * d;
        }
        data(loss)[loss.intOffset()] = n == 0 ? 0f : (float) (s / n);
    }

    @Override
    public void mseBackward(Span a, Span b, Span dLoss, Span dA, Span dB) {
        OpChecks.mseBackward(a, b, dLoss, dA, dB);
        float[] ad = data(a), bd = data(b);
        int ao = a.intOffset(), bo = b.intOffset(), n = a.intLength();
        double g = 2.0 * data(dLoss)[dLoss.intOffset()] / n;
        float[] da = dA == null ? null : data(dA), db = dB == null ? null : data(dB);
        for (int i = 0; i < n; i++) {
            double d = g * ((double) ad[ao + i] - bd[bo + i]);
            if (da != null) da[dA.intOffset() + i] = (float) (da[dA.intOffset() + i] + d);
            if (db != null) db[dB.intOffset() + i] = (float) (db[dB.intOffset() + i] - d);
        }
    }

    @Override
    public void klDiv(Span student, Span teacher, int rows, int cols, float temperature, Span loss) {
        OpChecks.klDiv(student, teacher, rows, cols, temperature, loss);
        ReferenceRows.klDiv(student, teacher, rows, cols, temperature, loss);
    }

    @Override
    public void klDivBackward(Span student, Span teacher, int rows, int cols, float temperature,
                              Span dLoss, Span dStudent) {
        OpChecks.klDivBackward(student, teacher, rows, cols, temperature, dLoss, dStudent);
        if (dStudent != null)
            ReferenceRows.klDivBackward(student, teacher, rows, cols, temperature, dLoss, dStudent);
    }

    // ---------------------------------------------------------------- normalisation

    @Override
    public void layerNorm(Span x, int rows, int cols, Span gamma, Span beta, float eps,
                          Span out, Span mean, Span rstd) {
        OpChecks.layerNorm(x, rows, cols, gamma, beta, eps, out, mean, rstd);
        ReferenceRows.layerNorm(x, rows, cols, gamma, beta, eps, out, mean, rstd);
    }

    @Override
    public void layerNormBackward(Span x, int rows, int cols, Span gamma, Span mean, Span rstd,
                                  Span dOut, Span dX, Span dGamma, Span dBeta) {
        OpChecks.layerNormBackward(x, rows, cols, gamma, mean, rstd, dOut, dX, dGamma, dBeta);
        ReferenceRows.layerNormBackward(x, rows, cols, gamma, mean, rstd, dOut, dX, dGamma, dBeta);
    }

    // ---------------------------------------------------------------- embeddings

    @Override
    public void embedding(Span ids, Span table, int vocab, int dim, Span out) {
        OpChecks.embedding(ids, table, vocab, dim, out);
        float[] id = data(ids), td = data(table), od = data(out);
        for (int i = 0; i < ids.intLength(); i++) {
            int row = Check.index("embedding", "id", id[ids.intOffset() + i], vocab);
            System.arraycopy(td, table.intOffset() + row * dim, od, out.intOffset() + i * dim, dim);
        }
    }

    @Override
    public void embeddingBackward(Span ids, Span dOut, int vocab, int dim, Span dTable) {
        OpChecks.embeddingBackward(ids, dOut, vocab, dim, dTable);
        if (dTable == null) return;
        float[] id = data(ids), gd = data(dOut), td = data(dTable);
        for (int i = 0; i < ids.intLength(); i++) {
            int row = Check.index("embeddingBackward", "id", id[ids.intOffset() + i], vocab);
            int t = dTable.intOffset() + row * dim, g = dOut.intOffset() + i * dim;
            for (int c = 0; c < dim; c++) td[t + c] = (float) ((double) td[t + c] + gd[g + c]);
        }
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    public void sgdStep(Span params, Span grads, Span velocity, float lr, float momentum, float weightDecay) {
        OpChecks.sgdStep(params, grads, velocity, lr, momentum, weightDecay);
        float[] p = data(params), g = data(grads), v = momentum == 0 ? null : data(velocity);
        int po = params.intOffset(), go = grads.intOffset(), vo = momentum == 0 ? 0 : velocity.intOffset();
        for (int i = 0; i < params.intLength(); i++) {
            double step = g[go + i] + (double) weightDecay * p[po + i];
            if (v != null) {
                step = (double) momentum * v[vo + i] + step;
                v[vo + i] = (float) step;
            }
            p[po + i] = (float) (p[po + i] - (double) lr * step);
        }
    }

    @Override
    public void adamwStep(Span params, Span grads, Span m, Span v, float lr, float beta1, float beta2, float eps,
                          float weightDecay, long step) {
        OpChecks.adamwStep(params, grads, m, v, lr, beta1, beta2, eps, weightDecay, step);
        float[] p = data(params), g = data(grads), md = data(m), vd = data(v);
        int po = params.intOffset(), go = grads.intOffset(), mo = m.intOffset(), vo = v.intOffset();
        double correction1 = 1 - Math.pow(beta1, step), correction2 = 1 - Math.pow(beta2, step);
        for (int i = 0; i < params.intLength(); i++) {
            double pi = p[po + i] * (1 - (double) lr * weightDecay);
            double gi = g[go + i];
            double mi = beta1 * (double) md[mo + i] + (1 - (double) beta1) * gi;
            double vi = beta2 * (double) vd[vo + i] + (1 - (double) beta2) * gi * gi;
            md[mo + i] = (float) mi;
            vd[vo + i] = (float) vi;
            pi -= lr * (mi / correction1) / (Math.sqrt(vi / correction2) + eps);
            p[po + i] = (float) pi;
        }
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public void sum(Span x, Span out) {
        OpChecks.sum(x, out);
        float[] xd = data(x);
        double s = 0;
        for (int i = 0; i < x.intLength(); i++) s += xd[x.intOffset() + i];
        data(out)[out.intOffset()] = (float) s;
    }

    @Override
    public void sumBackward(Span dOut, Span dX) {
        OpChecks.sumBackward(dOut, dX);
        if (dX == null) return;
        double g = data(dOut)[dOut.intOffset()];
        float[] d = data(dX);
        for (int i = 0; i < dX.intLength(); i++) d[dX.intOffset() + i] = (float) (d[dX.intOffset() + i] + g);
    }

    @Override
    public void sumOfSquares(Span x, Span out) {
        OpChecks.sumOfSquares(x, out);
        float[] xd = data(x);
        double s = 0;
        for (int i = 0; i < x.intLength(); i++) s += (double) xd[x.intOffset() + i] * xd[x.intOffset() + i];
        data(out)[out.intOffset()] = (float) s;
    }

    @Override
    public void max(Span x, Span out) {
        OpChecks.max(x, out);
        data(out)[out.intOffset()] = data(x)[x.intOffset() + firstMax(data(x), x.intOffset(), x.intLength())];
    }

    @Override
    public void maxBackward(Span x, Span dOut, Span dX) {
        OpChecks.maxBackward(x, dOut, dX);
        if (dX == null) return;
        int i = dX.intOffset() + firstMax(data(x), x.intOffset(), x.intLength());
        float[] d = data(dX);
        d[i] = (float) ((double) d[i] + data(dOut)[dOut.intOffset()]);
    }

    @Override
    public void argmaxRows(Span x, int rows, int cols, Span out) {
        OpChecks.argmaxRows(x, rows, cols, out);
        float[] xd = data(x), od = data(out);
        for (int r = 0; r < rows; r++) od[out.intOffset() + r] = firstMax(xd, x.intOffset() + r * cols, cols);
    }

    /** Position (relative to {@code from}) of the first largest of {@code n >= 1} values; NaN never wins. */
    static int firstMax(float[] d, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (d[from + i] > d[from + best] || Float.isNaN(d[from + best])) best = i;
        return best;
    }

    @Override
    public void close() {
        // nothing held: buffers are heap arrays, no threads
    }
}
