// Argument validation for every Backend op, one method per op with the op's own name and parameters.
package curex.kernels;

/**
 * Shape and argument checks that every backend runs before a kernel. Each method has the name and the parameter
 * list of the {@link Backend} method it guards and throws a {@link ShapeException} naming that op and the shapes
 * when spans do not fit (or an {@link IllegalArgumentException} for a bad scalar such as a temperature of 0).
 * Values inside buffers (class indices, token ids) are not read here: a kernel checks them with
 * {@link Check#index} as it reads them, since a device backend cannot look at its data from here.
 *
 * <p>Shared conventions: a gradient span may be null (skipped); a non-null one must have the shape of the
 * value it is the gradient of. Scalars (losses, reductions, dLoss) live in spans of length 1.
 */
public final class OpChecks {
    private OpChecks() {
    }

    // ---------------------------------------------------------------- memory

    public static void copyFromHost(float[] src, int srcOffset, Span dst) {
        if (src == null || dst == null) throw new ShapeException("copyFromHost: null source or destination");
        if (srcOffset < 0 || srcOffset + dst.length() > src.length)
            throw new ShapeException("copyFromHost: " + dst.length() + " floats from offset " + srcOffset
                    + " of a host array of " + src.length);
    }

    public static void copyToHost(Span src, float[] dst, int dstOffset) {
        if (src == null || dst == null) throw new ShapeException("copyToHost: null source or destination");
        if (dstOffset < 0 || dstOffset + src.length() > dst.length)
            throw new ShapeException("copyToHost: " + src.length() + " floats to offset " + dstOffset
                    + " of a host array of " + dst.length);
    }

    public static void copy(Span src, Span dst) {
        Check.same("copy", "src", src, "dst", dst);
    }

    public static void fill(Span dst, float value) {
        if (dst == null) throw new ShapeException("fill: dst is null");
    }

    public static void fillUniform(Span dst, float lo, float hi, long seed) {
        if (dst == null) throw new ShapeException("fillUniform: dst is null");
        if (!(lo <= hi)) throw new IllegalArgumentException("fillUniform: lo " + lo + " > hi " + hi);
    }

    public static void fillNormal(Span dst, float mean, float std, long seed) {
        if (dst == null) throw new ShapeException("fillNormal: dst is null");
        if (!(std >= 0)) throw new IllegalArgumentException("fillNormal: std must be >= 0, got " + std);
    }

    // ---------------------------------------------------------------- products

    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float alpha, Span a, int lda, Span b, int ldb, float beta, Span c, int ldc) {
        Check.gemm("gemm", transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
    }

    public static void gemmBatched(boolean transA, boolean transB, int m, int n, int k,
                                   float alpha, Span a, int lda, long strideA, Span b, int ldb, long strideB,
                                   float beta, Span c, int ldc, long strideC, int batch) {
        Check.gemmBatched("gemmBatched", transA, transB, m, n, k, a, lda, strideA, b, ldb, strideB,
                c, ldc, strideC, batch);
    }

    /** A, B and dC as in the forward; dA (A's layout, lda) and dB (B's layout, ldb) when not null. */
    public static void gemmBackward(boolean transA, boolean transB, int m, int n, int k,
                                    Span a, int lda, Span b, int ldb, Span dC, int ldc, Span dA, Span dB) {
        String op = "gemmBackward";
        Check.gemm(op, transA, transB, m, n, k, a, lda, b, ldb, dC, ldc);
        if (dA != null) Check.matrix(op, transA ? "dA^T (k x m)" : "dA (m x k)", dA, transA ? k : m,
                transA ? m : k, lda);
        if (dB != null) Check.matrix(op, transB ? "dB^T (n x k)" : "dB (k x n)", dB, transB ? n : k,
                transB ? k : n, ldb);
    }

    // ---------------------------------------------------------------- elementwise

    public static void add(Span a, Span b, Span out) {
        same3("add", "a", a, "b", b, "out", out);
    }

    public static void addBackward(Span dOut, Span dA, Span dB) {
        gradOf("addBackward", "dOut", dOut, "dA", dA);
        gradOf("addBackward", "dOut", dOut, "dB", dB);
    }

    public static void mul(Span a, Span b, Span out) {
        same3("mul", "a", a, "b", b, "out", out);
    }

    public static void mulBackward(Span a, Span b, Span dOut, Span dA, Span dB) {
        same3("mulBackward", "a", a, "b", b, "dOut", dOut);
        gradOf("mulBackward", "a", a, "dA", dA);
        gradOf("mulBackward", "b", b, "dB", dB);
    }

    public static void scale(float alpha, Span x, Span out) {
        Check.same("scale", "x", x, "out", out);
    }

    public static void scaleBackward(float alpha, Span dOut, Span dX) {
        gradOf("scaleBackward", "dOut", dOut, "dX", dX);
    }

    public static void axpy(float alpha, Span x, Span y) {
        Check.same("axpy", "x", x, "y", y);
    }

    // ---------------------------------------------------------------- rows and columns

    public static void biasAdd(Span x, int rows, int cols, Span bias, Span out) {
        Check.rows("biasAdd", "x", x, rows, cols);
        Check.length("biasAdd", "bias (" + cols + ")", bias, cols);
        Check.rows("biasAdd", "out", out, rows, cols);
    }

    public static void biasGrad(Span dOut, int rows, int cols, Span dBias) {
        Check.rows("biasGrad", "dOut", dOut, rows, cols);
        Check.lengthOrNull("biasGrad", "dBias (" + cols + ")", dBias, cols);
    }

    // ---------------------------------------------------------------- activations

    public static void relu(Span x, Span out) {
        Check.same("relu", "x", x, "out", out);
    }

    public static void reluBackward(Span x, Span dOut, Span dX) {
        Check.same("reluBackward", "x", x, "dOut", dOut);
        gradOf("reluBackward", "x", x, "dX", dX);
    }

    public static void gelu(Span x, Span out) {
        Check.same("gelu", "x", x, "out", out);
    }

    public static void geluBackward(Span x, Span dOut, Span dX) {
        Check.same("geluBackward", "x", x, "dOut", dOut);
        gradOf("geluBackward", "x", x, "dX", dX);
    }

    // ---------------------------------------------------------------- softmax family

    /** x and out (rows, cols); mask null or (maskRows, cols) with maskRows >= 1 whole rows. */
    public static void softmax(Span x, int rows, int cols, Span mask, Span out) {
        rowsAndMask("softmax", x, rows, cols, mask, out);
    }

    public static void softmaxBackward(Span y, Span dY, int rows, int cols, Span dX) {
        rowsBackward("softmaxBackward", y, dY, rows, cols, dX);
    }

    public static void logSoftmax(Span x, int rows, int cols, Span mask, Span out) {
        rowsAndMask("logSoftmax", x, rows, cols, mask, out);
    }

    public static void logSoftmaxBackward(Span y, Span dY, int rows, int cols, Span dX) {
        rowsBackward("logSoftmaxBackward", y, dY, rows, cols, dX);
    }

    // ---------------------------------------------------------------- losses

    public static void crossEntropy(Span logits, int rows, int cols, Span targets, int ignoreIndex, Span loss) {
        String op = "crossEntropy";
        Check.rows(op, "logits", logits, rows, cols);
        Check.length(op, "targets (" + rows + ")", targets, rows);
        Check.length(op, "loss", loss, 1);
    }

    public static void crossEntropyBackward(Span logits, int rows, int cols, Span targets, int ignoreIndex,
                                            Span dLoss, Span dLogits) {
        String op = "crossEntropyBackward";
        Check.rows(op, "logits", logits, rows, cols);
        Check.length(op, "targets (" + rows + ")", targets, rows);
        Check.length(op, "dLoss", dLoss, 1);
        if (dLogits != null) Check.rows(op, "dLogits", dLogits, rows, cols);
    }

    public static void mse(Span a, Span b, Span loss) {
        Check.same("mse", "a", a, "b", b);
        Check.length("mse", "loss", loss, 1);
    }

    public static void mseBackward(Span a, Span b, Span dLoss, Span dA, Span dB) {
        String op = "mseBackward";
        Check.same(op, "a", a, "b", b);
        Check.length(op, "dLoss", dLoss, 1);
        gradOf(op, "a", a, "dA", dA);
        gradOf(op, "b", b, "dB", dB);
    }

    public static void klDiv(Span student, Span teacher, int rows, int cols, float temperature, Span loss) {
        String op = "klDiv";
        Check.rows(op, "student", student, rows, cols);
        Check.rows(op, "teacher", teacher, rows, cols);
        temperature(op, temperature);
        Check.length(op, "loss", loss, 1);
    }

    public static void klDivBackward(Span student, Span teacher, int rows, int cols, float temperature,
                                     Span dLoss, Span dStudent) {
        String op = "klDivBackward";
        Check.rows(op, "student", student, rows, cols);
        Check.rows(op, "teacher", teacher, rows, cols);
        temperature(op, temperature);
        Check.length(op, "dLoss", dLoss, 1);
        if (dStudent != null) Check.rows(op, "dStudent", dStudent, rows, cols);
    }

    // ---------------------------------------------------------------- normalisation

    /** x, out (rows, cols); gamma, beta (cols); mean, rstd (rows); all required. */
    public static void layerNorm(Span x, int rows, int cols, Span gamma, Span beta, float eps,
                                 Span out, Span mean, Span rstd) {
        String op = "layerNorm";
        Check.rows(op, "x", x, rows, cols);
        Check.length(op, "gamma (" + cols + ")", gamma, cols);
        Check.length(op, "beta (" + cols + ")", beta, cols);
        Check.rows(op, "out", out, rows, cols);
        Check.length(op, "mean (" + rows + ")", mean, rows);
        Check.length(op, "rstd (" + rows + ")", rstd, rows);
        if (!(eps >= 0) || Float.isInfinite(eps))
            throw new IllegalArgumentException(op + ": eps must be finite and >= 0, got " + eps);
    }

    public static void layerNormBackward(Span x, int rows, int cols, Span gamma, Span mean, Span rstd,
                                         Span dOut, Span dX, Span dGamma, Span dBeta) {
        String op = "layerNormBackward";
        Check.rows(op, "x", x, rows, cols);
        Check.length(op, "gamma (" + cols + ")", gamma, cols);
        Check.length(op, "mean (" + rows + ")", mean, rows);
        Check.length(op, "rstd (" + rows + ")", rstd, rows);
        Check.rows(op, "dOut", dOut, rows, cols);
        if (dX != null) Check.rows(op, "dX", dX, rows, cols);
        Check.lengthOrNull(op, "dGamma (" + cols + ")", dGamma, cols);
        Check.lengthOrNull(op, "dBeta (" + cols + ")", dBeta, cols);
    }

    // ---------------------------------------------------------------- embeddings

    /** ids (n) with n = ids.length(); table (vocab, dim); out (n, dim). */
    public static void embedding(Span ids, Span table, int vocab, int dim, Span out) {
        String op = "embedding";
        if (ids == null) throw new ShapeException(op + ": ids is null");
        Check.rows(op, "table", table, vocab, dim);
        Check.rows(op, "out", out, Math.toIntExact(ids.length()), dim);
    }

    public static void embeddingBackward(Span ids, Span dOut, int vocab, int dim, Span dTable) {
        String op = "embeddingBackward";
        if (ids == null) throw new ShapeException(op + ": ids is null");
        Check.rows(op, "dOut", dOut, Math.toIntExact(ids.length()), dim);
        Check.dims(op, vocab, dim);
        if (dTable != null) Check.rows(op, "dTable", dTable, vocab, dim);
    }

    // ---------------------------------------------------------------- optimizers

    /** velocity may be null only when momentum is 0. */
    public static void sgdStep(Span params, Span grads, Span velocity, float lr, float momentum, float weightDecay) {
        String op = "sgdStep";
        Check.same(op, "params", params, "grads", grads);
        if (momentum != 0) Check.same(op, "params", params, "velocity", velocity);
        else if (velocity != null) Check.same(op, "params", params, "velocity", velocity);
    }

    public static void adamwStep(Span params, Span grads, Span m, Span v, float lr, float beta1, float beta2,
                                 float eps, float weightDecay, long step) {
        String op = "adamwStep";
        Check.same(op, "params", params, "grads", grads);
        Check.same(op, "params", params, "m", m);
        Check.same(op, "params", params, "v", v);
        if (step < 1) throw new IllegalArgumentException(op + ": step counts from 1, got " + step);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1))
            throw new IllegalArgumentException(op + ": betas must lie in [0, 1), got " + beta1 + ", " + beta2);
    }

    // ---------------------------------------------------------------- reductions

    public static void sum(Span x, Span out) {
        if (x == null) throw new ShapeException("sum: x is null");
        Check.length("sum", "out", out, 1);
    }

    public static void sumBackward(Span dOut, Span dX) {
        Check.length("sumBackward", "dOut", dOut, 1);
    }

    public static void sumOfSquares(Span x, Span out) {
        if (x == null) throw new ShapeException("sumOfSquares: x is null");
        Check.length("sumOfSquares", "out", out, 1);
    }

    public static void max(Span x, Span out) {
        nonEmpty("max", x);
        Check.length("max", "out", out, 1);
    }

    public static void maxBackward(Span x, Span dOut, Span dX) {
        nonEmpty("maxBackward", x);
        Check.length("maxBackward", "dOut", dOut, 1);
        gradOf("maxBackward", "x", x, "dX", dX);
    }

    /** x (rows, cols) with cols >= 1 when rows > 0; out (rows). */
    public static void argmaxRows(Span x, int rows, int cols, Span out) {
        Check.rows("argmaxRows", "x", x, rows, cols);
        if (rows > 0 && cols == 0) throw new ShapeException("argmaxRows: " + rows + " rows of 0 columns");
        Check.length("argmaxRows", "out (" + rows + ")", out, rows);
    }

    // ---------------------------------------------------------------- shared pieces

    private static void same3(String op, String na, Span a, String nb, Span b, String nc, Span c) {
        Check.same(op, na, a, nb, b);
        Check.same(op, na, a, nc, c);
    }

    /** A gradient span: null, or as long as the value it belongs to. */
    private static void gradOf(String op, String nameValue, Span value, String nameGrad, Span grad) {
        if (grad != null) Check.same(op, nameValue, value, nameGrad, grad);
    }

    private static void rowsAndMask(String op, Span x, int rows, int cols, Span mask, Span out) {
        Check.rows(op, "x", x, rows, cols);
        Check.rows(op, "out", out, rows, cols);
        if (mask == null || cols == 0) return;
        if (mask.length() == 0 || mask.length() % cols != 0)
            throw new ShapeException(op + ": mask has " + mask.length() + " elements, not a positive multiple of "
                    + cols + " columns");
    }

    private static void rowsBackward(String op, Span y, Span dY, int rows, int cols, Span dX) {
        Check.rows(op, "y", y, rows, cols);
        Check.rows(op, "dY", dY, rows, cols);
        if (dX != null) Check.rows(op, "dX", dX, rows, cols);
    }

    private static void temperature(String op, float t) {
        if (!(t > 0) || Float.isInfinite(t))
            throw new IllegalArgumentException(op + ": temperature must be finite and > 0, got " + t);
    }

    private static void nonEmpty(String op, Span x) {
        if (x == null) throw new ShapeException(op + ": x is null");
        if (x.length() == 0) throw new ShapeException(op + ": x is empty");
    }
}
