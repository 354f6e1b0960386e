// The compute contract: buffers, products and every forward/backward kernel the engine needs.
package curex.kernels;

/**
 * A compute backend. It allocates {@link Buffer}s and runs kernels over {@link Span}s of them. Matrices are
 * row-major: element (i, j) of a matrix with leading dimension {@code ld} is at {@code offset + i * ld + j}.
 *
 * <p>Conventions, part of every kernel's contract:
 * <ul>
 *   <li>Forward kernels <b>overwrite</b> their outputs. Backward kernels <b>accumulate</b> ({@code +=}) into
 *       gradient spans, so that a tape can sum contributions; a {@code null} gradient span is skipped.</li>
 *   <li>Class indices and token ids travel in float buffers (exact below 2^24), so that every buffer is one
 *       type and may live in device memory.</li>
 *   <li>Scalar results (losses, reductions) are written to a span of length 1, never returned, so that a
 *       device backend need not synchronise; read them with {@link #copyToHost}.</li>
 *   <li>Arguments whose shapes or lengths do not fit raise a {@link ShapeException} naming the operation and
 *       the shapes.</li>
 *   <li>Outputs may alias inputs only where a method says so.</li>
 * </ul>
 */
public interface Backend extends AutoCloseable {

    /** Short name, e.g. "reference" or "vector". */
    String name();

    /** Worker threads this backend computes with. */
    int threads();

    /** Float32 lanes per SIMD vector (1 for a scalar backend). */
    int vectorWidth();

    // ---------------------------------------------------------------- memory

    /** A new zero-filled buffer of {@code length} floats. */
    Buffer allocate(long length);

    /** Copies {@code dst.length()} floats from {@code src[srcOffset..]} into {@code dst}. */
    void copyFromHost(float[] src, int srcOffset, Span dst);

    /** Copies all of {@code src} into {@code dst[dstOffset..]}. */
    void copyToHost(Span src, float[] dst, int dstOffset);

    /** {@code dst = src}; lengths must match. */
    void copy(Span src, Span dst);

    /** Sets every element of {@code dst} to {@code value}. */
    void fill(Span dst, float value);

    /**
     * Fills {@code dst} with uniform numbers in [lo, hi). Element i depends only on (seed, i), so the result
     * does not depend on the thread count or the backend.
     */
    void fillUniform(Span dst, float lo, float hi, long seed);

    /** Fills {@code dst} with normal numbers N(mean, std^2); element i depends only on (seed, i). */
    void fillNormal(Span dst, float mean, float std, long seed);

    // ---------------------------------------------------------------- products

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} where op(A) is (m, k), op(B) is (k, n) and C is (m, n).
     * A is stored (m, k) with leading dimension lda, or (k, m) when {@code transA}; likewise B. With
     * {@code beta == 0} C is overwritten (its old contents, NaN included, are ignored).
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float alpha, Span a, int lda, Span b, int ldb, float beta, Span c, int ldc);

    /**
     * {@code batch} independent gemms; matrix i of A starts {@code i * strideA} elements after A's start,
     * likewise B and C.
     */
    void gemmBatched(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, Span a, int lda, long strideA, Span b, int ldb, long strideB,
                     float beta, Span c, int ldc, long strideC, int batch);

    /**
     * Backward of {@code C = op(A) op(B)}: accumulates {@code dA += dC op(B)^T} (in A's storage layout) and
     * {@code dB += op(A)^T dC} (in B's layout). dA shares lda, dB shares ldb, dC shares ldc.
     */
    default void gemmBackward(boolean transA, boolean transB, int m, int n, int k,
                              Span a, int lda, Span b, int ldb, Span dC, int ldc, Span dA, Span dB) {
        if (dA != null) {
            if (!transA) gemm(false, !transB, m, k, n, 1f, dC, ldc, b, ldb, 1f, dA, lda);  // (m,n)(n,k)
            else gemm(transB, true, k, m, n, 1f, b, ldb, dC, ldc, 1f, dA, lda);           // (k,n)(n,m)
        }
        if (dB != null) {
            if (!transB) gemm(!transA, false, k, n, m, 1f, a, lda, dC, ldc, 1f, dB, ldb);  // (k,m)(m,n)
            else gemm(true, transA, n, k, m, 1f, dC, ldc, a, lda, 1f, dB, ldb);            // (n,m)(m,k)
        }
    }

    // ---------------------------------------------------------------- elementwise (equal lengths)

    /** {@code out = a + b}; out may alias a or b. Backward: {@link #addBackward}. */
    void add(Span a, Span b, Span out);

    /** Backward of {@link #add}: {@code dA += dOut; dB += dOut}. */
    default void addBackward(Span dOut, Span dA, Span dB) {
        if (dA != null) axpy(1f, dOut, dA);
        if (dB != null) axpy(1f, dOut, dB);
    }

    /** {@code out = a * b} elementwise; out may alias a or b. */
    void mul(Span a, Span b, Span out);

    /** Backward of {@link #mul}: {@code dA += dOut * b; dB += dOut * a}. */
    void mulBackward(Span a, Span b, Span dOut, Span dA, Span dB);

    /** {@code out = alpha * x}; out may alias x. */
    void scale(float alpha, Span x, Span out);

    /** Backward of {@link #scale}: {@code dX += alpha * dOut}. */
    default void scaleBackward(float alpha, Span dOut, Span dX) {
        if (dX != null) axpy(alpha, dOut, dX);
    }

    /** {@code y += alpha * x}. Its own backward: {@code dX += alpha * dY}. */
    void axpy(float alpha, Span x, Span y);

    // ---------------------------------------------------------------- rows and columns

    /** {@code out[r, c] = x[r, c] + bias[c]} for a (rows, cols) matrix; out may alias x. */
    void biasAdd(Span x, int rows, int cols, Span bias, Span out);

    /** Backward of {@link #biasAdd} for the bias: {@code dBias[c] += sum_r dOut[r, c]}. */
    void biasGrad(Span dOut, int rows, int cols, Span dBias);

    // ---------------------------------------------------------------- activations (equal lengths)

    /** {@code out = max(x, 0)}; out may alias x. */
    void relu(Span x, Span out);

    /** {@code dX += dOut * (x > 0)}. */
    void reluBackward(Span x, Span dOut, Span dX);

    /** GELU, tanh form: {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}; out may alias x. */
    void gelu(Span x, Span out);

    /** {@code dX += dOut * gelu'(x)}. */
    void geluBackward(Span x, Span dOut, Span dX);

    // ---------------------------------------------------------------- softmax family, row-wise over (rows, cols)

    /**
     * {@code out[r] = softmax(x[r] + mask[r % maskRows])}. The mask is additive (0 or -inf, say), of length
     * {@code maskRows * cols}, or null. out may alias x.
     */
    void softmax(Span x, int rows, int cols, Span mask, Span out);

    /** Backward from the softmax output y: {@code dX += y * (dY - sum_c(dY * y))}. */
    void softmaxBackward(Span y, Span dY, int rows, int cols, Span dX);

    /** {@code out[r] = log_softmax(x[r] + mask[r % maskRows])}; mask as in {@link #softmax}. */
    void logSoftmax(Span x, int rows, int cols, Span mask, Span out);

    /** Backward from the log-softmax output y: {@code dX += dY - exp(y) * sum_c(dY)}. */
    void logSoftmaxBackward(Span y, Span dY, int rows, int cols, Span dX);

    // ---------------------------------------------------------------- losses (scalar into a span of length 1)

    /**
     * Mean over rows of {@code -log softmax(logits[r])[target[r]]}, skipping rows whose target equals
     * {@code ignoreIndex}; 0 when every row is ignored. targets: (rows), class indices as floats.
     */
    void crossEntropy(Span logits, int rows, int cols, Span targets, int ignoreIndex, Span loss);

    /** {@code dLogits[r] += dLoss * (softmax(logits[r]) - onehot(target[r])) / counted} for counted rows. */
    void crossEntropyBackward(Span logits, int rows, int cols, Span targets, int ignoreIndex,
                              Span dLoss, Span dLogits);

    /** Mean over all elements of {@code (a - b)^2}. */
    void mse(Span a, Span b, Span loss);

    /** {@code dA += dLoss * 2 (a - b) / n; dB -= dLoss * 2 (a - b) / n}. */
    void mseBackward(Span a, Span b, Span dLoss, Span dA, Span dB);

    /**
     * Distillation loss {@code T^2 * mean_r KL(softmax(teacher[r] / T) || softmax(student[r] / T))} over
     * (rows, cols) logits.
     */
    void klDiv(Span student, Span teacher, int rows, int cols, float temperature, Span loss);

    /** {@code dStudent += dLoss * T * (softmax(student / T) - softmax(teacher / T)) / rows}. */
    void klDivBackward(Span student, Span teacher, int rows, int cols, float temperature,
                       Span dLoss, Span dStudent);

    // ---------------------------------------------------------------- normalisation

    /**
     * Layer norm over each row of a (rows, cols) matrix: {@code out = (x - mean) * rstd * gamma + beta}, with
     * the biased variance. Saves mean and rstd (each of length rows) for the backward.
     */
    void layerNorm(Span x, int rows, int cols, Span gamma, Span beta, float eps,
                   Span out, Span mean, Span rstd);

    /** Accumulates dX, dGamma, dBeta (each may be null) from dOut and the saved mean and rstd. */
    void layerNormBackward(Span x, int rows, int cols, Span gamma, Span mean, Span rstd,
                           Span dOut, Span dX, Span dGamma, Span dBeta);

    // ---------------------------------------------------------------- embeddings

    /** {@code out[i] = table[ids[i]]}: ids (n) as floats, table (vocab, dim), out (n, dim). */
    void embedding(Span ids, Span table, int vocab, int dim, Span out);

    /** Scatter-add: {@code dTable[ids[i]] += dOut[i]}. */
    void embeddingBackward(Span ids, Span dOut, int vocab, int dim, Span dTable);

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

    /** Backward of {@link #sum}: {@code dX[i] += dOut[0]}. */
    void sumBackward(Span dOut, Span dX);

    /** {@code out[0] = sum(x^2)}, for gradient norms. */
    void sumOfSquares(Span x, Span out);

    /** {@code out[0] = max(x)}; x must not be empty. */
    void max(Span x, Span out);

    /** Backward of {@link #max}: {@code dX[i*] += dOut[0]} at the first index of the maximum. */
    void maxBackward(Span x, Span dOut, Span dX);

    /** {@code out[r]} = index of the first maximum of row r of a (rows, cols) matrix, as a float. */
    void argmaxRows(Span x, int rows, int cols, Span out);

    /** Stops the backend's threads and frees what it holds. */
    @Override
    void close();
}
