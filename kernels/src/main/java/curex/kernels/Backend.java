// The compute contract: typed buffers, host transfers, products and every forward/backward kernel the engine needs.
package curex.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * A compute backend. It allocates {@link Buffer}s and runs kernels over {@link Span}s of them. Matrices are
 * row-major: element (i, j) of a matrix with leading dimension {@code ld} is at {@code offset + i * ld + j}.
 *
 * <p>Conventions, part of every kernel's contract:
 * <ul>
 *   <li>Forward kernels overwrite; backward kernels write {@code beta * grad + contribution} (0 overwrites,
 *       1 accumulates); a null gradient span is skipped. With {@code beta == 0} a gradient's old contents are
 *       never read (NaN there is ignored); with {@code beta == 1} contributions add up, so a tape can sum
 *       them. Elements a backward kernel contributes nothing to still get {@code beta * grad}.</li>
 *   <li>Spans hold float32 ({@link DType#F32}) unless stated: class targets, token ids and argmax outputs are
 *       int32 ({@link DType#I32}) spans.</li>
 *   <li>Scalar results (losses, reductions) are written to a span of length 1, never returned, so that a
 *       device backend need not synchronise; read them with {@link #copyToHost}.</li>
 *   <li>A device backend may run kernels asynchronously, in issue order; copies to and from the host wait for
 *       the kernels issued before them, and {@link #synchronize} waits for all of them.</li>
 *   <li>Arguments whose shapes, lengths or dtypes do not fit raise a {@link ShapeException} naming the
 *       operation and the parameter; a bad scalar (a temperature of 0) an {@link IllegalArgumentException}.
 *       Values inside buffers (an index outside [0, limit)) are checked by the kernel as it reads them.</li>
 *   <li>Outputs may alias inputs only where a method says so.</li>
 * </ul>
 */
public interface Backend extends AutoCloseable {

    /** Short name, e.g. "reference" or "vector". */
    String name();

    /**
     * Ordered facts about this backend for {@code curex info}: at least "backend" (the name); host backends add
     * "threads" and "vector width", a device backend its device.
     */
    Map<String, String> describe();

    // ---------------------------------------------------------------- memory

    /** A new zero-filled buffer of {@code length} float32 elements. */
    Buffer allocate(long length);

    /** A new zero-filled buffer of {@code length} int32 elements. */
    Buffer allocateInts(long length);

    /** Copies {@code dst.length()} floats from {@code src[srcOffset..]} into the F32 span {@code dst}. */
    void copyFromHost(float[] src, int srcOffset, Span dst);

    /** Copies {@code dst.length()} ints from {@code src[srcOffset..]} into the I32 span {@code dst}. */
    void copyFromHost(int[] src, int srcOffset, Span dst);

    /**
     * Copies {@code dst.length()} elements of dst's dtype, stored from byte {@code srcByteOffset} of {@code src}
     * in native byte order ({@link java.lang.foreign.ValueLayout#JAVA_FLOAT} or {@code JAVA_INT}, no alignment
     * required), into {@code dst}.
     */
    void copyFromHost(MemorySegment src, long srcByteOffset, Span dst);

    /** Copies the F32 span {@code src} into {@code dst[dstOffset..]}; waits for the kernels issued before. */
    void copyToHost(Span src, float[] dst, int dstOffset);

    /** Copies the I32 span {@code src} into {@code dst[dstOffset..]}; waits for the kernels issued before. */
    void copyToHost(Span src, int[] dst, int dstOffset);

    /**
     * Copies {@code src} into {@code dst} from byte {@code dstByteOffset}, in native byte order (the layout of
     * {@link #copyFromHost(MemorySegment, long, Span)}); waits for the kernels issued before.
     */
    void copyToHost(Span src, MemorySegment dst, long dstByteOffset);

    /** {@code dst = src}; same dtype and length. */
    void copy(Span src, Span dst);

    /** Sets every element of the F32 span {@code dst} to {@code value}. */
    void fill(Span dst, float value);

    /**
     * Fills {@code dst} with uniform numbers in [lo, hi). Element i depends only on (seed, i), so the result
     * does not depend on the thread count or the backend.
     */
    void fillUniform(Span dst, float lo, float hi, long seed);

    /** Fills {@code dst} with normal numbers N(mean, std^2); element i depends only on (seed, i). */
    void fillNormal(Span dst, float mean, float std, long seed);

    /**
     * Waits until every kernel issued so far has finished. A no-op for the CPU backends, whose kernels return
     * when done; host copies synchronise implicitly, so this is needed only to time kernels or before touching
     * memory outside the backend.
     */
    void synchronize();

    // ---------------------------------------------------------------- products

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} where op(A) is (m, k), op(B) is (k, n) and C is (m, n).
     * A is stored (m, k) with leading dimension lda, or (k, m) when {@code transA}; likewise B. With
     * {@code beta == 0} C is overwritten (its old contents, NaN included, are ignored). Gradients of a product
     * are products too: for {@code C = A B}, {@code dA = dC B^T} and {@code dB = A^T dC}.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float alpha, Span a, int lda, Span b, int ldb, float beta, Span c, int ldc);

    /**
     * A linear layer's product: {@code C = op(A) op(B) + bias}, C (m, n) contiguous, bias (n) added to each of its
     * rows. The same as {@link #gemm} (alpha 1, beta 0) followed by {@link #biasAdd}; a backend may add the bias as it
     * writes C, saving a pass over it.
     */
    void gemmBias(boolean transA, boolean transB, int m, int n, int k, Span a, int lda, Span b, int ldb, Span bias,
                  Span c);

    /**
     * A linear layer's weight and bias gradients from its output gradient A (k, m) and input B (k, n), all contiguous:
     * {@code C = beta C + A^T B} (m, n) and {@code dBias = biasBeta dBias + sum_p A[p, :]} (m). The same as
     * {@link #gemm} (transA, alpha 1) followed by {@link #biasGrad}; a backend may sum A's columns as it reads A for
     * the product, saving a pass over it.
     */
    void gemmBiasGrad(int m, int n, int k, Span a, Span b, float beta, Span c, float biasBeta, Span dBias);

    /**
     * {@code batch} independent gemms; matrix i of A starts {@code i * strideA} elements after A's start,
     * likewise B and C.
     */
    void gemmBatched(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, Span a, int lda, long strideA, Span b, int ldb, long strideB,
                     float beta, Span c, int ldc, long strideC, int batch);

    // ---------------------------------------------------------------- layout

    /**
     * For every index tuple i of {@code shape} (rank 1 to 6): {@code dst[dot(i, dstStrides)] = beta *
     * dst[dot(i, dstStrides)] + src[dot(i, srcStrides)]}, offsets relative to each span's start; {@code beta == 0}
     * overwrites. Strides are {@code >= 0} (a 0 source stride broadcasts) and every addressed element lies in
     * its span. No two index tuples may address the same dst element (unless the shape has a 0), and src and dst
     * must not overlap. Permutes and makes tensors contiguous, e.g. (B, T, H, d) into (B, H, T, d). It is its
     * own backward: {@code dSrc = beta * dSrc + dDst} is this kernel with the roles of src and dst swapped.
     */
    void stridedCopy(int[] shape, Span src, long[] srcStrides, Span dst, long[] dstStrides, float beta);

    // ---------------------------------------------------------------- elementwise (equal lengths)

    /** {@code out = a + b}; out may alias a or b. Its gradients are dOut itself (see {@link #axpy}). */
    void add(Span a, Span b, Span out);

    /** {@code out = a * b} elementwise; out may alias a or b. Backward: {@link #mulBackward}. */
    void mul(Span a, Span b, Span out);

    /**
     * Backward of {@link #mul}: {@code dA = beta dA + dOut * b; dB = beta dB + dOut * a}. dA and dB may be the
     * same span only when {@code beta == 1} (the contributions then add up).
     */
    void mulBackward(Span a, Span b, Span dOut, float beta, Span dA, Span dB);

    /** {@code out = alpha * x}; out may alias x. Backward: {@link #scaleBackward}. */
    void scale(float alpha, Span x, Span out);

    /** Backward of {@link #scale}: {@code dX = beta dX + alpha * dOut}. */
    void scaleBackward(float alpha, Span dOut, float beta, Span dX);

    /** {@code y += alpha * x}. Its own backward: {@code dX += alpha * dY}. */
    void axpy(float alpha, Span x, Span y);

    // ---------------------------------------------------------------- rows and columns of (rows, cols) matrices

    /** {@code out[r, c] = x[r, c] + bias[c]}; out may alias x. Backward for the bias: {@link #biasGrad}. */
    void biasAdd(Span x, int rows, int cols, Span bias, Span out);

    /** Backward of {@link #biasAdd} for the bias: {@code dBias[c] = beta dBias[c] + sum_r dOut[r, c]}. */
    void biasGrad(Span dOut, int rows, int cols, float beta, Span dBias);

    /**
     * {@code out[r] = sum_c x[r, c] * y[r, c]}; out has {@code rows} elements and is overwritten. Its gradients
     * are row scalings: {@code dX = rowScale(y, dOut)}, {@code dY = rowScale(x, dOut)}.
     */
    void rowDot(Span x, Span y, int rows, int cols, Span out);

    /**
     * {@code out[r, c] = beta * out[r, c] + scale[r] * x[r, c]} ({@code beta == 0} overwrites); scale has
     * {@code rows} elements. Its gradients: {@code dX = rowScale(dOut, scale)}, {@code dScale = rowDot(dOut, x)}.
     */
    void rowScale(Span x, int rows, int cols, Span scale, float beta, Span out);

    // ---------------------------------------------------------------- activations (equal lengths)

    /** {@code out = max(x, 0)}; out may alias x. */
    void relu(Span x, Span out);

    /** Backward of {@link #relu}: {@code dX = beta dX + dOut * (x > 0)}. */
    void reluBackward(Span x, Span dOut, float beta, Span dX);

    /** GELU, tanh form: {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}; out may alias x. */
    void gelu(Span x, Span out);

    /** Backward of {@link #gelu}: {@code dX = beta dX + dOut * gelu'(x)}. */
    void geluBackward(Span x, Span dOut, float beta, Span dX);

    /**
     * {@code out = gelu(x)}, the bits of {@link #gelu}, and {@code derivative = gelu'(x)}: a forward that keeps the
     * derivative, so that its backward is one product, {@code dX = dOut * derivative} ({@link #mul}). out may alias
     * x; derivative overlaps neither. At infinite x the derivative may be NaN, as {@link #geluBackward}'s is, or its
     * limit (1 or 0).
     */
    void geluWithDerivative(Span x, Span out, Span derivative);

    // ---------------------------------------------------------------- softmax family, row-wise over (rows, cols)

    /**
     * {@code out[r] = softmax(x[r] + mask[(r / maskRepeat) % maskRows])}. The mask is additive (0 or -inf, say), of
     * length {@code maskRows * cols}, or null; each mask row serves {@code maskRepeat >= 1} consecutive rows of x, so a
     * key-padding mask (B, T) serves attention scores (B, H, T, T) with {@code maskRepeat = H * T}. A row that is
     * entirely -inf gives zeros. out may alias x.
     */
    void softmax(Span x, int rows, int cols, Span mask, int maskRepeat, Span out);

    /** Backward from the softmax output y: {@code dX = beta dX + y * (dY - sum_c(dY * y))}. */
    void softmaxBackward(Span y, Span dY, int rows, int cols, float beta, Span dX);

    /** {@code out[r] = log_softmax(x[r] + mask[(r / maskRepeat) % maskRows])}; mask as in {@link #softmax}. */
    void logSoftmax(Span x, int rows, int cols, Span mask, int maskRepeat, Span out);

    /** Backward from the log-softmax output y: {@code dX = beta dX + dY - exp(y) * sum_c(dY)}. */
    void logSoftmaxBackward(Span y, Span dY, int rows, int cols, float beta, Span dX);

    // ---------------------------------------------------------------- losses (scalar into a span of length 1)

    /**
     * Mean over rows of {@code -log softmax(logits[r])[target[r]]}, skipping rows whose target equals
     * {@code ignoreIndex}; 0 when every row is ignored. targets: I32 (rows), class indices in [0, cols).
     */
    void crossEntropy(Span logits, int rows, int cols, Span targets, int ignoreIndex, Span loss);

    /**
     * {@code dLogits[r] = beta dLogits[r] + dLoss * (softmax(logits[r]) - onehot(target[r])) / counted} for
     * counted rows; ignored rows get {@code beta dLogits[r]}.
     */
    void crossEntropyBackward(Span logits, int rows, int cols, Span targets, int ignoreIndex,
                              Span dLoss, float beta, Span dLogits);

    /** Mean over all elements of {@code (a - b)^2}. */
    void mse(Span a, Span b, Span loss);

    /**
     * {@code dA = beta dA + dLoss * 2 (a - b) / n; dB = beta dB - dLoss * 2 (a - b) / n}. dA and dB must not
     * overlap unless {@code beta == 1}.
     */
    void mseBackward(Span a, Span b, Span dLoss, float beta, Span dA, Span dB);

    /**
     * Distillation loss {@code T^2 * mean_r KL(softmax(teacher[r] / T) || softmax(student[r] / T))} over
     * (rows, cols) logits.
     */
    void klDiv(Span student, Span teacher, int rows, int cols, float temperature, Span loss);

    /** {@code dStudent = beta dStudent + dLoss * T * (softmax(student / T) - softmax(teacher / T)) / rows}. */
    void klDivBackward(Span student, Span teacher, int rows, int cols, float temperature,
                       Span dLoss, float beta, Span dStudent);

    /**
     * Cosine distance from row dot products: {@code dots} is (3, rows) = [x.y | x.x | y.y], as three
     * {@link #rowDot} calls leave it. {@code loss[0] = mean_r (1 - x.y / (max(sqrt(x.x), eps) max(sqrt(y.y),
     * eps)))}; 0 when rows is 0.
     */
    void cosineLoss(Span dots, int rows, float eps, Span loss);

    /**
     * Backward of {@link #cosineLoss} as row coefficients: <b>overwrites</b> {@code coef} (4, rows) with, for
     * {@code s = dLoss[0] / rows}, {@code nx = max(sqrt(x.x), eps)}, {@code ny = max(sqrt(y.y), eps)},
     * {@code cos = x.y / (nx ny)}: coef[0][r] = -s / (nx ny) (y-term of dX), coef[1][r] = sqrt(x.x) < eps ? 0 :
     * s cos / nx^2 (x-term of dX), coef[2][r] = -s / (nx ny) (x-term of dY), coef[3][r] = sqrt(y.y) < eps ? 0 :
     * s cos / ny^2 (y-term of dY). Then {@code dX = rowScale(y, coef[0]) + rowScale(x, coef[1])} and
     * {@code dY = rowScale(x, coef[2]) + rowScale(y, coef[3])}.
     */
    void cosineLossBackward(Span dots, int rows, float eps, Span dLoss, Span coef);

    // ---------------------------------------------------------------- normalisation

    /**
     * Layer norm over each row of a (rows, cols) matrix: {@code out = (x - mean) * rstd * gamma + beta}, with
     * the biased variance. Saves mean and rstd (each of length rows) for the backward.
     */
    void layerNorm(Span x, int rows, int cols, Span gamma, Span beta, float eps,
                   Span out, Span mean, Span rstd);

    /**
     * Backward of {@link #layerNorm} from the saved mean and rstd, with {@code xhat = (x - mean) rstd} and
     * {@code g = dOut gamma}: {@code dX = beta dX + rstd (g - mean_c(g) - xhat mean_c(g xhat))},
     * {@code dGamma = beta dGamma + sum_r dOut xhat}, {@code dBeta = beta dBeta + sum_r dOut}; each may be null.
     */
    void layerNormBackward(Span x, int rows, int cols, Span gamma, Span mean, Span rstd,
                           Span dOut, float beta, Span dX, Span dGamma, Span dBeta);

    // ---------------------------------------------------------------- attention

    /**
     * Multi-head scaled dot-product attention in one pass, heads side by side: k and v are (batch, seq, d) with
     * {@code d = heads * headDim}, head h being columns {@code h * headDim ..} of each row; q and out are (batch,
     * queries, d), the query rows of each sequence (all of its positions, or fewer: a head that reads one position
     * needs one query); probs is (batch, heads, queries, seq); mask is an additive key mask (batch, seq) (0 or -inf,
     * say) or null. For each (b, h, i): {@code probs[b,h,i,j] = softmax_j(scale * q[b,i,h] . k[b,j,h] + mask[b,j])}
     * (a row that is entirely -inf gives zeros) and {@code out[b,i,h] = sum_j probs[b,h,i,j] v[b,j,h]}. probs is kept
     * for the backward. The same as two {@link #gemmBatched} products per (b, h) around a {@link #softmax}, without
     * their round trips through memory. out and probs must not overlap the inputs or each other.
     */
    void attention(Span q, Span k, Span v, Span mask, int batch, int queries, int seq, int heads, int headDim,
                   float scale, Span probs, Span out);

    /** {@link #attention} with a query at every position ({@code queries = seq}). */
    default void attention(Span q, Span k, Span v, Span mask, int batch, int seq, int heads, int headDim, float scale,
                           Span probs, Span out) {
        attention(q, k, v, mask, batch, seq, seq, heads, headDim, scale, probs, out);
    }

    /**
     * Backward of {@link #attention} from its probs P: with {@code dP = dOut V^T} and
     * {@code dS = scale * P * (dP - sum_j(dP P))} per (b, h): {@code dQ = beta dQ + dS K},
     * {@code dK = beta dK + dS^T Q}, {@code dV = beta dV + P^T dOut}; each may be null. The mask is already in P.
     * dOut and dQ are (batch, queries, d), dK and dV (batch, seq, d). dK and dV may be one span (keys that are also
     * the values): it then becomes {@code beta dK + dS^T Q + P^T dOut}.
     */
    void attentionBackward(Span q, Span k, Span v, Span probs, Span dOut, int batch, int queries, int seq, int heads,
                           int headDim, float scale, float beta, Span dQ, Span dK, Span dV);

    /** {@link #attentionBackward} with a query at every position ({@code queries = seq}). */
    default void attentionBackward(Span q, Span k, Span v, Span probs, Span dOut, int batch, int seq, int heads,
                                   int headDim, float scale, float beta, Span dQ, Span dK, Span dV) {
        attentionBackward(q, k, v, probs, dOut, batch, seq, seq, heads, headDim, scale, beta, dQ, dK, dV);
    }

    // ---------------------------------------------------------------- embeddings

    /** {@code out[i] = table[ids[i]]}: ids I32 (n) in [0, vocab), table (vocab, dim), out (n, dim). */
    void embedding(Span ids, Span table, int vocab, int dim, Span out);

    /**
     * Key-padding mask for attention: {@code out[i] = ids[i] == padId ? -inf : 0}, ids I32 (n), out F32 (n), the
     * additive mask {@link #softmax} takes. Not differentiable (its input is ids).
     */
    void paddingMask(Span ids, int padId, Span out);

    /**
     * Scatter-add: {@code dTable = beta dTable + sum_i onehot(ids[i]) dOut[i]}, rows added in order of i. With
     * {@code beta == 0} the whole table gradient is overwritten: rows no id refers to become 0.
     */
    void embeddingBackward(Span ids, Span dOut, int vocab, int dim, float beta, Span dTable);

    // ---------------------------------------------------------------- optimizers (in place on params)

    /**
     * SGD with momentum, PyTorch semantics: {@code g' = g + weightDecay * p; v = momentum * v + g';
     * p -= lr * v}. With momentum 0, velocity may be null.
     */
    void sgdStep(Span params, Span grads, Span velocity, float lr, float momentum, float weightDecay);

    /**
     * AdamW, PyTorch semantics, {@code step} counting from 1: {@code p -= lr * wd * p; m = b1 m + (1-b1) g;
     * v = b2 v + (1-b2) g^2; p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)}.
     */
    void adamwStep(Span params, Span grads, Span m, Span v, float lr, float beta1, float beta2, float eps,
                   float weightDecay, long step);

    // ---------------------------------------------------------------- reductions

    /** {@code out[0] = sum(x)}. */
    void sum(Span x, Span out);

    /** Backward of {@link #sum}: {@code dX[i] = beta dX[i] + dOut[0]}. */
    void sumBackward(Span dOut, float beta, Span dX);

    /** {@code out[0] = sum(x^2)}, for gradient norms. */
    void sumOfSquares(Span x, Span out);

    /** {@code out[r]} (I32) = index of the first maximum of row r of a (rows, cols) matrix; NaN never wins. */
    void argmaxRows(Span x, int rows, int cols, Span out);

    /** Stops the backend's threads and frees what it holds. */
    @Override
    void close();
}
