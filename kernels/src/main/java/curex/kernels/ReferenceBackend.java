// The scalar reference backend: plain loops accumulated in double, the oracle every other backend is tested against.
package curex.kernels;

/**
 * Single-threaded scalar implementation of {@link Backend}; {@link CheckedBackend} has validated every argument
 * before a {@code do*} method runs. Each op is the most direct loop; sums are accumulated in double and rounded
 * to float once. Row-wise ops (softmax family, losses, layer norm) live in {@link ReferenceRows}.
 *
 * <p>Choices where the contract leaves room (other backends follow them):
 * <ul>
 *   <li>gemm with {@code beta == 0} never reads C; with {@code alpha == 0} it never reads A or B (as BLAS).</li>
 *   <li>A backward kernel writes {@code (float) (prior + contribution)} with {@code prior} = 0, the old value
 *       or {@code beta * old} rounded to float ({@link HostBackend#prior}), for beta 0, 1 and anything else.</li>
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

    @Override
    public void close() {
        // nothing held: buffers are heap arrays, no threads
    }

    // ---------------------------------------------------------------- products

    @Override
    protected void doGemm(boolean transA, boolean transB, int m, int n, int k,
                          float alpha, Span a, int lda, Span b, int ldb, float beta, Span c, int ldc) {
        gemmAt(transA, transB, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, ldc);
    }

    @Override
    protected void doGemmBatched(boolean transA, boolean transB, int m, int n, int k,
                                 float alpha, Span a, int lda, long strideA, Span b, int ldb, long strideB,
                                 float beta, Span c, int ldc, long strideC, int batch) {
        for (int i = 0; i < batch; i++)
            gemmAt(transA, transB, m, n, k, alpha, a, i * strideA, lda, b, i * strideB, ldb,
                    beta, c, i * strideC, ldc);
    }

    /** One gemm whose operands start {@code aAt, bAt, cAt} elements into their spans. */
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

    // ---------------------------------------------------------------- layout

    /** Visits the index tuples of shape in row-major order (an odometer), one element at a time. */
    @Override
    protected void doStridedCopy(int[] shape, Span src, long[] srcStrides, Span dst, long[] dstStrides,
                                 float beta) {
        float[] s = data(src), d = data(dst);
        int rank = shape.length;
        int[] index = new int[rank];
        long total = 1;
        for (int n : shape) total *= n;
        for (long e = 0; e < total; e++) {
            long so = src.offset(), dof = dst.offset();
            for (int i = 0; i < rank; i++) {
                so += index[i] * srcStrides[i];
                dof += index[i] * dstStrides[i];
            }
            d[(int) dof] = (float) (prior(beta, d[(int) dof]) + (double) s[(int) so]);
            for (int i = rank - 1; i >= 0 && ++index[i] == shape[i]; i--) index[i] = 0;
        }
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    protected void doAdd(Span a, Span b, Span out) {
        float[] ad = data(a), bd = data(b), od = data(out);
        int ao = a.intOffset(), bo = b.intOffset(), oo = out.intOffset();
        for (int i = 0; i < a.intLength(); i++) od[oo + i] = (float) ((double) ad[ao + i] + bd[bo + i]);
    }

    @Override
    protected void doMul(Span a, Span b, Span out) {
        float[] ad = data(a), bd = data(b), od = data(out);
        int ao = a.intOffset(), bo = b.intOffset(), oo = out.intOffset();
        for (int i = 0; i < a.intLength(); i++) od[oo + i] = (float) ((double) ad[ao + i] * bd[bo + i]);
    }

    @Override
    protected void doMulBackward(Span a, Span b, Span dOut, float beta, Span dA, Span dB) {
        float[] ad = data(a), bd = data(b), gd = data(dOut);
        int ao = a.intOffset(), bo = b.intOffset(), go = dOut.intOffset(), n = a.intLength();
        if (dA != null) {
            float[] d = data(dA);
            int o = dA.intOffset();
            for (int i = 0; i < n; i++)
                d[o + i] = (float) (prior(beta, d[o + i]) + (double) gd[go + i] * bd[bo + i]);
        }
        if (dB != null) {
            float[] d = data(dB);
            int o = dB.intOffset();
            for (int i = 0; i < n; i++)
                d[o + i] = (float) (prior(beta, d[o + i]) + (double) gd[go + i] * ad[ao + i]);
        }
    }

    @Override
    protected void doScale(float alpha, Span x, Span out) {
        float[] xd = data(x), od = data(out);
        int xo = x.intOffset(), oo = out.intOffset();
        for (int i = 0; i < x.intLength(); i++) od[oo + i] = (float) ((double) alpha * xd[xo + i]);
    }

    @Override
    protected void doScaleBackward(float alpha, Span dOut, float beta, Span dX) {
        accumulate(alpha, dOut, beta, dX);
    }

    @Override
    protected void doAxpy(float alpha, Span x, Span y) {
        accumulate(alpha, x, 1f, y);
    }

    /** {@code y = beta y + alpha * x}. */
    private static void accumulate(float alpha, Span x, float beta, Span y) {
        float[] xd = data(x), yd = data(y);
        int xo = x.intOffset(), yo = y.intOffset();
        for (int i = 0; i < x.intLength(); i++)
            yd[yo + i] = (float) (prior(beta, yd[yo + i]) + (double) alpha * xd[xo + i]);
    }

    // ---------------------------------------------------------------- rows and columns

    @Override
    protected void doBiasAdd(Span x, int rows, int cols, Span bias, Span out) {
        float[] xd = data(x), bd = data(bias), od = data(out);
        int xo = x.intOffset(), bo = bias.intOffset(), oo = out.intOffset();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                od[oo + r * cols + c] = (float) ((double) xd[xo + r * cols + c] + bd[bo + c]);
    }

    @Override
    protected void doBiasGrad(Span dOut, int rows, int cols, float beta, Span dBias) {
        float[] gd = data(dOut), bd = data(dBias);
        int go = dOut.intOffset(), bo = dBias.intOffset();
        for (int c = 0; c < cols; c++) {
            double s = prior(beta, bd[bo + c]);
            for (int r = 0; r < rows; r++) s += gd[go + r * cols + c];
            bd[bo + c] = (float) s;
        }
    }

    @Override
    protected void doRowDot(Span x, Span y, int rows, int cols, Span out) {
        float[] xd = data(x), yd = data(y), od = data(out);
        for (int r = 0; r < rows; r++) {
            int xo = x.intOffset() + r * cols, yo = y.intOffset() + r * cols;
            double s = 0;
            for (int c = 0; c < cols; c++) s += (double) xd[xo + c] * yd[yo + c];
            od[out.intOffset() + r] = (float) s;
        }
    }

    @Override
    protected void doRowScale(Span x, int rows, int cols, Span scale, float beta, Span out) {
        float[] xd = data(x), sd = data(scale), od = data(out);
        for (int r = 0; r < rows; r++) {
            int xo = x.intOffset() + r * cols, oo = out.intOffset() + r * cols;
            double s = sd[scale.intOffset() + r];
            for (int c = 0; c < cols; c++) od[oo + c] = (float) (prior(beta, od[oo + c]) + s * xd[xo + c]);
        }
    }

    // ---------------------------------------------------------------- activations

    @Override
    protected void doRelu(Span x, Span out) {
        float[] xd = data(x), od = data(out);
        int xo = x.intOffset(), oo = out.intOffset();
        for (int i = 0; i < x.intLength(); i++) od[oo + i] = xd[xo + i] > 0 ? xd[xo + i] : 0f;
    }

    /** Where {@code x <= 0} the contribution is 0: dX keeps its value for beta 1 and becomes beta dX otherwise. */
    @Override
    protected void doReluBackward(Span x, Span dOut, float beta, Span dX) {
        float[] xd = data(x), gd = data(dOut), dd = data(dX);
        int xo = x.intOffset(), go = dOut.intOffset(), o = dX.intOffset();
        for (int i = 0; i < x.intLength(); i++) {
            if (xd[xo + i] > 0) dd[o + i] = (float) ((double) prior(beta, dd[o + i]) + gd[go + i]);
            else if (beta != 1) dd[o + i] = prior(beta, dd[o + i]);
        }
    }

    @Override
    protected void doGelu(Span x, Span out) {
        float[] xd = data(x), od = data(out);
        int xo = x.intOffset(), oo = out.intOffset();
        for (int i = 0; i < x.intLength(); i++) od[oo + i] = (float) ReferenceGelu.value(xd[xo + i]);
    }

    @Override
    protected void doGeluBackward(Span x, Span dOut, float beta, Span dX) {
        float[] xd = data(x), gd = data(dOut), dd = data(dX);
        int xo = x.intOffset(), go = dOut.intOffset(), o = dX.intOffset();
        for (int i = 0; i < x.intLength(); i++)
            dd[o + i] = (float) (prior(beta, dd[o + i]) + gd[go + i] * ReferenceGelu.derivative(xd[xo + i]));
    }

    // ---------------------------------------------------------------- softmax family and losses

    @Override
    protected void doSoftmax(Span x, int rows, int cols, Span mask, int maskRepeat, Span out) {
        ReferenceRows.softmax(x, rows, cols, mask, maskRepeat, out, false);
    }

    @Override
    protected void doSoftmaxBackward(Span y, Span dY, int rows, int cols, float beta, Span dX) {
        ReferenceRows.softmaxBackward(y, dY, rows, cols, beta, dX);
    }

    @Override
    protected void doLogSoftmax(Span x, int rows, int cols, Span mask, int maskRepeat, Span out) {
        ReferenceRows.softmax(x, rows, cols, mask, maskRepeat, out, true);
    }

    @Override
    protected void doLogSoftmaxBackward(Span y, Span dY, int rows, int cols, float beta, Span dX) {
        ReferenceRows.logSoftmaxBackward(y, dY, rows, cols, beta, dX);
    }

    @Override
    protected void doCrossEntropy(Span logits, int rows, int cols, Span targets, int ignoreIndex, Span loss) {
        ReferenceRows.crossEntropy(logits, rows, cols, targets, ignoreIndex, loss);
    }

    @Override
    protected void doCrossEntropyBackward(Span logits, int rows, int cols, Span targets, int ignoreIndex,
                                          Span dLoss, float beta, Span dLogits) {
        ReferenceRows.crossEntropyBackward(logits, rows, cols, targets, ignoreIndex, dLoss, beta, dLogits);
    }

    @Override
    protected void doMse(Span a, Span b, Span loss) {
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
    protected void doMseBackward(Span a, Span b, Span dLoss, float beta, Span dA, Span dB) {
        float[] ad = data(a), bd = data(b);
        int ao = a.intOffset(), bo = b.intOffset(), n = a.intLength();
        double g = 2.0 * data(dLoss)[dLoss.intOffset()] / n;
        float[] da = dA == null ? null : data(dA), db = dB == null ? null : data(dB);
        for (int i = 0; i < n; i++) {
            double d = g * ((double) ad[ao + i] - bd[bo + i]);
            if (da != null) da[dA.intOffset() + i] = (float) (prior(beta, da[dA.intOffset() + i]) + d);
            if (db != null) db[dB.intOffset() + i] = (float) (prior(beta, db[dB.intOffset() + i]) - d);
        }
    }

    @Override
    protected void doKlDiv(Span student, Span teacher, int rows, int cols, float temperature, Span loss) {
        ReferenceRows.klDiv(student, teacher, rows, cols, temperature, loss);
    }

    @Override
    protected void doKlDivBackward(Span student, Span teacher, int rows, int cols, float temperature,
                                   Span dLoss, float beta, Span dStudent) {
        ReferenceRows.klDivBackward(student, teacher, rows, cols, temperature, dLoss, beta, dStudent);
    }

    @Override
    protected void doCosineLoss(Span dots, int rows, float eps, Span loss) {
        ReferenceRows.cosineLoss(dots, rows, eps, loss);
    }

    @Override
    protected void doCosineLossBackward(Span dots, int rows, float eps, Span dLoss, Span coef) {
        ReferenceRows.cosineLossBackward(dots, rows, eps, dLoss, coef);
    }

    // ---------------------------------------------------------------- attention

    @Override
    protected void doAttention(Span q, Span k, Span v, Span mask, int batch, int queries, int seq, int heads,
                               int headDim, float scale, Span probs, Span out) {
        ReferenceAttention.forward(q, k, v, mask, batch, queries, seq, heads, headDim, scale, probs, out);
    }

    @Override
    protected void doAttentionBackward(Span q, Span k, Span v, Span probs, Span dOut, int batch, int queries, int seq,
                                       int heads, int headDim, float scale, float beta, Span dQ, Span dK, Span dV) {
        ReferenceAttention.backward(q, k, v, probs, dOut, batch, queries, seq, heads, headDim, scale, beta, dQ, dK,
                dV);
    }

    // ---------------------------------------------------------------- normalisation and embeddings

    @Override
    protected void doLayerNorm(Span x, int rows, int cols, Span gamma, Span beta, float eps,
                               Span out, Span mean, Span rstd) {
        ReferenceRows.layerNorm(x, rows, cols, gamma, beta, eps, out, mean, rstd);
    }

    @Override
    protected void doLayerNormBackward(Span x, int rows, int cols, Span gamma, Span mean, Span rstd,
                                       Span dOut, float beta, Span dX, Span dGamma, Span dBeta) {
        ReferenceRows.layerNormBackward(x, rows, cols, gamma, mean, rstd, dOut, beta, dX, dGamma, dBeta);
    }

    @Override
    protected void doEmbedding(Span ids, Span table, int vocab, int dim, Span out) {
        int[] id = ints(ids);
        float[] td = data(table), od = data(out);
        for (int i = 0; i < ids.intLength(); i++) {
            int row = Check.index("embedding", "id", id[ids.intOffset() + i], vocab);
            System.arraycopy(td, table.intOffset() + row * dim, od, out.intOffset() + i * dim, dim);
        }
    }

    @Override
    protected void doPaddingMask(Span ids, int padId, Span out) {
        int[] id = ints(ids);
        float[] od = data(out);
        for (int i = 0; i < ids.intLength(); i++)
            od[out.intOffset() + i] = id[ids.intOffset() + i] == padId ? Float.NEGATIVE_INFINITY : 0f;
    }

    /** The ids are checked first; then the table becomes beta dTable and the rows of dOut are added in order. */
    @Override
    protected void doEmbeddingBackward(Span ids, Span dOut, int vocab, int dim, float beta, Span dTable) {
        int[] id = ints(ids);
        float[] gd = data(dOut), td = data(dTable);
        for (int i = 0; i < ids.intLength(); i++) Check.index("embeddingBackward", "id", id[ids.intOffset() + i], vocab);
        if (beta != 1)
            for (int i = 0; i < dTable.intLength(); i++)
                td[dTable.intOffset() + i] = prior(beta, td[dTable.intOffset() + i]);
        for (int i = 0; i < ids.intLength(); i++) {
            int t = dTable.intOffset() + id[ids.intOffset() + i] * dim, g = dOut.intOffset() + i * dim;
            for (int c = 0; c < dim; c++) td[t + c] = (float) ((double) td[t + c] + gd[g + c]);
        }
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    protected void doSgdStep(Span params, Span grads, Span velocity, float lr, float momentum, float weightDecay) {
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
    protected void doAdamwStep(Span params, Span grads, Span m, Span v, float lr, float beta1, float beta2,
                               float eps, float weightDecay, long step) {
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
    protected void doSum(Span x, Span out) {
        float[] xd = data(x);
        double s = 0;
        for (int i = 0; i < x.intLength(); i++) s += xd[x.intOffset() + i];
        data(out)[out.intOffset()] = (float) s;
    }

    @Override
    protected void doSumBackward(Span dOut, float beta, Span dX) {
        double g = data(dOut)[dOut.intOffset()];
        float[] d = data(dX);
        for (int i = 0; i < dX.intLength(); i++)
            d[dX.intOffset() + i] = (float) (prior(beta, d[dX.intOffset() + i]) + g);
    }

    @Override
    protected void doSumOfSquares(Span x, Span out) {
        float[] xd = data(x);
        double s = 0;
        for (int i = 0; i < x.intLength(); i++) s += (double) xd[x.intOffset() + i] * xd[x.intOffset() + i];
        data(out)[out.intOffset()] = (float) s;
    }

    @Override
    protected void doArgmaxRows(Span x, int rows, int cols, Span out) {
        float[] xd = data(x);
        int[] od = ints(out);
        for (int r = 0; r < rows; r++) od[out.intOffset() + r] = firstMax(xd, x.intOffset() + r * cols, cols);
    }

    /** Position (relative to {@code from}) of the first largest of {@code n >= 1} values; NaN never wins. */
    static int firstMax(float[] d, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (d[from + i] > d[from + best] || Float.isNaN(d[from + best])) best = i;
        return best;
    }
}
