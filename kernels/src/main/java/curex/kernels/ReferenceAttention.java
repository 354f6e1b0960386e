// Reference attention: scalar loops in double over each (sequence, head), the definition the fused kernels match.
package curex.kernels;

import static curex.kernels.HostBackend.data;
import static curex.kernels.HostBackend.prior;

/**
 * {@link Backend#attention} and its backward for {@link ReferenceBackend}, one (b, h) at a time, every sum in
 * double and rounded to float once. Element (b, i, h, p) of a (batch, rows, heads * headDim) span is at
 * {@code (b * rows + i) * d + h * headDim + p}, rows being {@code queries} for q, out, dOut and dQ and {@code seq}
 * for k, v, dK and dV. The output and the backward read the probabilities as stored (float).
 */
final class ReferenceAttention {
    private ReferenceAttention() {
    }

    static void forward(Span q, Span k, Span v, Span mask, int batch, int queries, int seq, int heads, int headDim,
                        float scale, Span probs, Span out) {
        float[] qd = data(q), kd = data(k), vd = data(v), pd = data(probs), od = data(out);
        float[] md = mask == null ? null : data(mask);
        int d = heads * headDim;
        double[] s = new double[seq];
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++) {
                int x0 = b * seq * d + h * headDim, q0 = b * queries * d + h * headDim;
                for (int i = 0; i < queries; i++) {
                    int p0 = probs.intOffset() + ((b * heads + h) * queries + i) * seq;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < seq; j++) {
                        double dot = 0;
                        for (int p = 0; p < headDim; p++)
                            dot += (double) qd[q.intOffset() + q0 + i * d + p] * kd[k.intOffset() + x0 + j * d + p];
                        s[j] = scale * dot + (md == null ? 0 : md[mask.intOffset() + b * seq + j]);
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < seq; j++) sum += max == Double.NEGATIVE_INFINITY ? 0 : Math.exp(s[j] - max);
                    for (int j = 0; j < seq; j++)
                        pd[p0 + j] = max == Double.NEGATIVE_INFINITY ? 0f : (float) (Math.exp(s[j] - max) / sum);
                    for (int p = 0; p < headDim; p++) {
                        double acc = 0;
                        for (int j = 0; j < seq; j++) acc += (double) pd[p0 + j] * vd[v.intOffset() + x0 + j * d + p];
                        od[out.intOffset() + q0 + i * d + p] = (float) acc;
                    }
                }
            }
    }

    static void backward(Span q, Span k, Span v, Span probs, Span dOut, int batch, int queries, int seq, int heads,
                         int headDim, float scale, float beta, Span dQ, Span dK, Span dV) {
        float[] qd = data(q), kd = data(k), vd = data(v), pd = data(probs), gd = data(dOut);
        int d = heads * headDim;
        double[][] dS = new double[queries][seq];
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++) {
                int x0 = b * seq * d + h * headDim, q0 = b * queries * d + h * headDim;
                int p0 = probs.intOffset() + (b * heads + h) * queries * seq;
                for (int i = 0; i < queries; i++) {   // dS = scale * P * (dP - sum_j dP P), dP = dOut V^T
                    double dot = 0;
                    for (int j = 0; j < seq; j++) {
                        double dp = 0;
                        for (int p = 0; p < headDim; p++)
                            dp += (double) gd[dOut.intOffset() + q0 + i * d + p] * vd[v.intOffset() + x0 + j * d + p];
                        dS[i][j] = dp;
                        dot += dp * pd[p0 + i * seq + j];
                    }
                    for (int j = 0; j < seq; j++) dS[i][j] = scale * pd[p0 + i * seq + j] * (dS[i][j] - dot);
                }
                for (int i = 0; i < queries; i++)   // dQ = dS K
                    for (int p = 0; p < headDim; p++) {
                        double gq = 0;
                        for (int j = 0; j < seq; j++) gq += dS[i][j] * kd[k.intOffset() + x0 + j * d + p];
                        write(dQ, q0 + i * d + p, beta, gq);
                    }
                for (int j = 0; j < seq; j++)       // dK = dS^T Q, dV = P^T dOut
                    for (int p = 0; p < headDim; p++) {
                        double gk = 0, gv = 0;
                        for (int i = 0; i < queries; i++) {
                            gk += dS[i][j] * qd[q.intOffset() + q0 + i * d + p];
                            gv += (double) pd[p0 + i * seq + j] * gd[dOut.intOffset() + q0 + i * d + p];
                        }
                        if (dK != null && dK.equals(dV)) {   // keys that are the values: one sum
                            write(dK, x0 + j * d + p, beta, gk + gv);
                            continue;
                        }
                        write(dK, x0 + j * d + p, beta, gk);
                        write(dV, x0 + j * d + p, beta, gv);
                    }
            }
    }

    private static void write(Span grad, int element, float beta, double contribution) {
        if (grad == null) return;
        float[] g = data(grad);
        int at = grad.intOffset() + element;
        g[at] = (float) (prior(beta, g[at]) + contribution);
    }
}
