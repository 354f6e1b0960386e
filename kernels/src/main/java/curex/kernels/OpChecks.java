// Argument validation for every Backend op, one method per op with the op's own name and parameters.
package curex.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Shape, dtype and argument checks that {@link CheckedBackend} runs before every kernel. Each method has the name
 * and the parameter list of the {@link Backend} method it guards and throws a {@link ShapeException} naming that
 * op and the parameter when spans do not fit (or an {@link IllegalArgumentException} for a bad scalar such as a
 * temperature of 0). Values inside buffers (class indices, token ids) are not read here: a kernel checks them
 * with {@link Check#index} as it reads them, since a device backend cannot look at its data from here.
 *
 * <p>Shared conventions: a gradient span may be null (skipped); a non-null one must have the shape of the
 * value it is the gradient of. Scalars (losses, reductions, dLoss) live in spans of length 1.
 */
final class OpChecks {
    /** Highest rank {@link Backend#stridedCopy} accepts. */
    static final int MAX_RANK = 6;

    private OpChecks() {
    }

    // ---------------------------------------------------------------- memory

    static void allocate(String op, long length) {
        if (length < 0) throw new ShapeException(op + ": negative length " + length);
    }

    static void copyFromHost(int srcLength, int srcOffset, Span dst, DType want) {
        Check.dtype("copyFromHost", "dst", dst, want);
        if (srcOffset < 0 || (long) srcOffset + dst.length() > srcLength)
            throw new ShapeException("copyFromHost: " + dst.length() + " elements from offset " + srcOffset
                    + " of a host array of " + srcLength);
    }

    static void copyToHost(Span src, int dstLength, int dstOffset, DType want) {
        Check.dtype("copyToHost", "src", src, want);
        if (dstOffset < 0 || (long) dstOffset + src.length() > dstLength)
            throw new ShapeException("copyToHost: " + src.length() + " elements to offset " + dstOffset
                    + " of a host array of " + dstLength);
    }

    /** The elements of span s, at the span's dtype, fit the segment from byte {@code byteOffset}. */
    static void segment(String op, String name, MemorySegment seg, long byteOffset, Span s) {
        if (seg == null) throw new ShapeException(op + ": " + name + " segment is null");
        if (s == null) throw new ShapeException(op + ": span is null");
        long bytes = s.length() * s.dtype().byteSize();
        if (byteOffset < 0 || byteOffset > seg.byteSize() || bytes > seg.byteSize() - byteOffset)
            throw new ShapeException(op + ": " + s.length() + " " + s.dtype() + " elements (" + bytes
                    + " bytes) from byte " + byteOffset + " do not fit a segment of " + seg.byteSize() + " bytes");
    }

    static void copy(Span src, Span dst) {
        if (src == null || dst == null) throw new ShapeException("copy: " + (src == null ? "src" : "dst") + " is null");
        if (src.dtype() != dst.dtype())
            throw new ShapeException("copy: src has dtype " + src.dtype() + " but dst has " + dst.dtype());
        if (src.length() != dst.length())
            throw new ShapeException("copy: src has " + src.length() + " elements but dst has " + dst.length());
    }

    static void fill(String op, Span dst) {
        Check.dtype(op, "dst", dst, DType.F32);
    }

    static void fillUniform(Span dst, float lo, float hi) {
        fill("fillUniform", dst);
        if (!(lo <= hi)) throw new IllegalArgumentException("fillUniform: lo " + lo + " > hi " + hi);
    }

    static void fillNormal(Span dst, float std) {
        fill("fillNormal", dst);
        if (!(std >= 0)) throw new IllegalArgumentException("fillNormal: std must be >= 0, got " + std);
    }

    // ---------------------------------------------------------------- products

    static void gemm(boolean transA, boolean transB, int m, int n, int k, Span a, int lda, Span b, int ldb,
                     Span c, int ldc) {
        Check.gemm("gemm", transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
    }

    static void gemmBias(boolean transA, boolean transB, int m, int n, int k, Span a, int lda, Span b, int ldb,
                         Span bias, Span c) {
        Check.gemm("gemmBias", transA, transB, m, n, k, a, lda, b, ldb, c, n);
        Check.length("gemmBias", "bias (" + n + ")", bias, n);
    }

    static void gemmBiasGrad(int m, int n, int k, Span a, Span b, Span c, Span dBias) {
        Check.gemm("gemmBiasGrad", true, false, m, n, k, a, m, b, n, c, n);
        Check.length("gemmBiasGrad", "dBias (" + m + ")", dBias, m);
    }

    static void gemmBatched(boolean transA, boolean transB, int m, int n, int k, Span a, int lda, long strideA,
                            Span b, int ldb, long strideB, Span c, int ldc, long strideC, int batch) {
        Check.gemmBatched("gemmBatched", transA, transB, m, n, k, a, lda, strideA, b, ldb, strideB,
                c, ldc, strideC, batch);
    }

    // ---------------------------------------------------------------- layout

    /** Rank 1..6, strides >= 0, every addressed element inside its span, no more dst tuples than elements. */
    static void stridedCopy(int[] shape, Span src, long[] srcStrides, Span dst, long[] dstStrides) {
        String op = "stridedCopy";
        if (shape == null || srcStrides == null || dstStrides == null)
            throw new ShapeException(op + ": shape and strides must not be null");
        if (shape.length < 1 || shape.length > MAX_RANK)
            throw new ShapeException(op + ": rank " + shape.length + " outside [1, " + MAX_RANK + "]");
        if (srcStrides.length != shape.length || dstStrides.length != shape.length)
            throw new ShapeException(op + ": shape " + Arrays.toString(shape) + " has rank " + shape.length
                    + " but srcStrides " + Arrays.toString(srcStrides) + " and dstStrides "
                    + Arrays.toString(dstStrides));
        Check.dims(op, shape);
        Check.dtype(op, "src", src, DType.F32);
        Check.dtype(op, "dst", dst, DType.F32);
        long count = 1;
        for (int d : shape) count = d == 0 || count == 0 ? 0 : saturatingMultiply(count, d);
        if (count > dst.length())
            throw new ShapeException(op + ": shape " + Arrays.toString(shape) + " has " + count
                    + " elements, more than dst's " + dst.length());
        reach(op, "src", shape, srcStrides, src, count);
        reach(op, "dst", shape, dstStrides, dst, count);
    }

    private static void reach(String op, String name, int[] shape, long[] strides, Span s, long count) {
        long last = 0;
        for (int i = 0; i < shape.length; i++) {
            if (strides[i] < 0)
                throw new ShapeException(op + ": negative " + name + " stride in " + Arrays.toString(strides));
            if (count > 0) last = saturatingAdd(last, saturatingMultiply(shape[i] - 1L, strides[i]));
        }
        if (count > 0 && last >= s.length())
            throw new ShapeException(op + ": shape " + Arrays.toString(shape) + " with " + name + " strides "
                    + Arrays.toString(strides) + " reaches element " + last + ", " + name + " has " + s.length());
    }

    /** a * b for non-negative a and b, Long.MAX_VALUE on overflow (which no span can reach). */
    private static long saturatingMultiply(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long saturatingAdd(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    // ---------------------------------------------------------------- elementwise

    static void add(Span a, Span b, Span out) {
        same3("add", "a", a, "b", b, "out", out);
    }

    static void mul(Span a, Span b, Span out) {
        same3("mul", "a", a, "b", b, "out", out);
    }

    static void mulBackward(Span a, Span b, Span dOut, float beta, Span dA, Span dB) {
        String op = "mulBackward";
        same3(op, "a", a, "b", b, "dOut", dOut);
        gradOf(op, "a", a, "dA", dA);
        gradOf(op, "b", b, "dB", dB);
        if (beta != 1) Check.disjoint(op, "dA", dA, "dB", dB);
    }

    static void scale(Span x, Span out) {
        Check.same("scale", "x", x, "out", out);
    }

    static void scaleBackward(Span dOut, Span dX) {
        Check.dtype("scaleBackward", "dOut", dOut, DType.F32);
        gradOf("scaleBackward", "dOut", dOut, "dX", dX);
    }

    static void axpy(Span x, Span y) {
        Check.same("axpy", "x", x, "y", y);
    }

    // ---------------------------------------------------------------- rows and columns

    static void biasAdd(Span x, int rows, int cols, Span bias, Span out) {
        Check.rows("biasAdd", "x", x, rows, cols);
        Check.length("biasAdd", "bias (" + cols + ")", bias, cols);
        Check.rows("biasAdd", "out", out, rows, cols);
    }

    static void biasGrad(Span dOut, int rows, int cols, Span dBias) {
        Check.rows("biasGrad", "dOut", dOut, rows, cols);
        Check.lengthOrNull("biasGrad", "dBias (" + cols + ")", dBias, cols);
    }

    static void rowDot(Span x, Span y, int rows, int cols, Span out) {
        Check.rows("rowDot", "x", x, rows, cols);
        Check.rows("rowDot", "y", y, rows, cols);
        Check.length("rowDot", "out (" + rows + ")", out, rows);
    }

    static void rowScale(Span x, int rows, int cols, Span scale, Span out) {
        Check.rows("rowScale", "x", x, rows, cols);
        Check.length("rowScale", "scale (" + rows + ")", scale, rows);
        Check.rows("rowScale", "out", out, rows, cols);
    }

    // ---------------------------------------------------------------- activations

    static void unary(String op, Span x, Span out) {
        Check.same(op, "x", x, "out", out);
    }

    /** x, out and derivative the same length, derivative apart from both. */
    static void geluWithDerivative(Span x, Span out, Span derivative) {
        String op = "geluWithDerivative";
        Check.same(op, "x", x, "out", out);
        Check.same(op, "x", x, "derivative", derivative);
        Check.disjoint(op, "derivative", derivative, "x", x);
        Check.disjoint(op, "derivative", derivative, "out", out);
    }

    static void unaryBackward(String op, Span x, Span dOut, Span dX) {
        Check.same(op, "x", x, "dOut", dOut);
        gradOf(op, "x", x, "dX", dX);
    }

    // ---------------------------------------------------------------- softmax family

    /** x and out (rows, cols); mask null or (maskRows, cols) with maskRows >= 1 whole rows; maskRepeat >= 1. */
    static void rowsAndMask(String op, Span x, int rows, int cols, Span mask, int maskRepeat, Span out) {
        Check.rows(op, "x", x, rows, cols);
        Check.rows(op, "out", out, rows, cols);
        if (maskRepeat < 1) throw new ShapeException(op + ": maskRepeat must be >= 1, got " + maskRepeat);
        if (mask == null) return;
        Check.dtype(op, "mask", mask, DType.F32);
        if (cols == 0) return;
        if (mask.length() == 0 || mask.length() % cols != 0)
            throw new ShapeException(op + ": mask has " + mask.length() + " elements, not a positive multiple of "
                    + cols + " columns");
    }

    static void rowsBackward(String op, Span y, Span dY, int rows, int cols, Span dX) {
        Check.rows(op, "y", y, rows, cols);
        Check.rows(op, "dY", dY, rows, cols);
        if (dX != null) Check.rows(op, "dX", dX, rows, cols);
    }

    // ---------------------------------------------------------------- losses

    static void crossEntropy(Span logits, int rows, int cols, Span targets, Span loss) {
        String op = "crossEntropy";
        Check.rows(op, "logits", logits, rows, cols);
        Check.indices(op, "targets (" + rows + ")", targets, rows);
        Check.length(op, "loss", loss, 1);
    }

    static void crossEntropyBackward(Span logits, int rows, int cols, Span targets, Span dLoss, Span dLogits) {
        String op = "crossEntropyBackward";
        Check.rows(op, "logits", logits, rows, cols);
        Check.indices(op, "targets (" + rows + ")", targets, rows);
        Check.length(op, "dLoss", dLoss, 1);
        if (dLogits != null) Check.rows(op, "dLogits", dLogits, rows, cols);
    }

    static void mse(Span a, Span b, Span loss) {
        Check.same("mse", "a", a, "b", b);
        Check.length("mse", "loss", loss, 1);
    }

    static void mseBackward(Span a, Span b, Span dLoss, float beta, Span dA, Span dB) {
        String op = "mseBackward";
        Check.same(op, "a", a, "b", b);
        Check.length(op, "dLoss", dLoss, 1);
        gradOf(op, "a", a, "dA", dA);
        gradOf(op, "b", b, "dB", dB);
        if (beta != 1) Check.disjoint(op, "dA", dA, "dB", dB);
    }

    static void klDiv(Span student, Span teacher, int rows, int cols, float temperature, Span loss) {
        String op = "klDiv";
        Check.rows(op, "student", student, rows, cols);
        Check.rows(op, "teacher", teacher, rows, cols);
        temperature(op, temperature);
        Check.length(op, "loss", loss, 1);
    }

    static void klDivBackward(Span student, Span teacher, int rows, int cols, float temperature,
                              Span dLoss, Span dStudent) {
        String op = "klDivBackward";
        Check.rows(op, "student", student, rows, cols);
        Check.rows(op, "teacher", teacher, rows, cols);
        temperature(op, temperature);
        Check.length(op, "dLoss", dLoss, 1);
        if (dStudent != null) Check.rows(op, "dStudent", dStudent, rows, cols);
    }

    static void cosineLoss(Span dots, int rows, float eps, Span loss) {
        Check.rows("cosineLoss", "dots", dots, 3, rows);
        cosineEps("cosineLoss", eps);
        Check.length("cosineLoss", "loss", loss, 1);
    }

    static void cosineLossBackward(Span dots, int rows, float eps, Span dLoss, Span coef) {
        String op = "cosineLossBackward";
        Check.rows(op, "dots", dots, 3, rows);
        cosineEps(op, eps);
        Check.length(op, "dLoss", dLoss, 1);
        Check.rows(op, "coef", coef, 4, rows);
    }

    private static void cosineEps(String op, float eps) {
        if (!(eps > 0) || Float.isInfinite(eps))
            throw new IllegalArgumentException(op + ": eps must be finite and > 0, got " + eps);
    }

    // ---------------------------------------------------------------- normalisation

    /** x, out (rows, cols); gamma, beta (cols); mean, rstd (rows); all required. */
    // ---------------------------------------------------------------- attention

    static void attention(Span q, Span k, Span v, Span mask, int batch, int queries, int seq, int heads, int headDim,
                          float scale, Span probs, Span out) {
        String op = "attention";
        long n = heads(op, q, k, v, batch, queries, seq, heads, headDim, scale);
        outputs(op, q, k, v, mask, batch, queries, seq, heads, probs, out, n);
    }

    /** {@link CpuBackend#attentionOfRows}: q, k and v are (tableRows, heads * headDim), rows (batch * seq) I32. */
    static void attentionOfRows(Span rows, int tableRows, Span q, Span k, Span v, Span mask, int batch, int seq,
                                int heads, int headDim, float scale, Span probs, Span out) {
        String op = "attentionOfRows";
        long n = tables(op, rows, tableRows, q, k, v, batch, seq, heads, headDim, scale);
        outputs(op, q, k, v, mask, batch, seq, seq, heads, probs, out, n);
    }

    /** {@link CpuBackend#attentionOfRowsBackward}: dQ, dK and dV (batch * seq * heads * headDim) or null. */
    static void attentionOfRowsBackward(Span rows, int tableRows, Span q, Span k, Span v, Span probs, Span dOut,
                                        int batch, int seq, int heads, int headDim, float scale, Span dQ, Span dK,
                                        Span dV) {
        String op = "attentionOfRowsBackward";
        long n = tables(op, rows, tableRows, q, k, v, batch, seq, heads, headDim, scale);
        Check.length(op, "probs (batch * heads * seq * seq)", probs, (long) batch * heads * seq * seq);
        Check.length(op, "dOut (batch * seq * heads * headDim)", dOut, n);
        gradients(op, dQ, dK, dV, n, n);
    }

    /** Checks the tables and their row index; returns batch * seq * heads * headDim. */
    private static long tables(String op, Span rows, int tableRows, Span q, Span k, Span v, int batch, int seq,
                               int heads, int headDim, float scale) {
        Check.dims(op, batch, seq, heads, headDim, tableRows);
        if (!Float.isFinite(scale)) throw new IllegalArgumentException(op + ": scale must be finite, got " + scale);
        Check.indices(op, "rows (batch * seq = " + (long) batch * seq + ")", rows, (long) batch * seq);
        long table = (long) tableRows * heads * headDim;
        Check.length(op, "q (tableRows * heads * headDim = " + table + ")", q, table);
        Check.length(op, "k", k, table);
        Check.length(op, "v", v, table);
        return (long) batch * seq * heads * headDim;
    }

    /** The mask (batch, seq) or null, probs (batch, heads, queries, seq) and out (n): sizes, and no overlaps. */
    private static void outputs(String op, Span q, Span k, Span v, Span mask, int batch, int queries, int seq,
                                int heads, Span probs, Span out, long n) {
        if (mask != null) Check.length(op, "mask (batch * seq = " + (long) batch * seq + ")", mask, (long) batch * seq);
        Check.length(op, "probs (batch * heads * queries * seq)", probs, (long) batch * heads * queries * seq);
        Check.length(op, "out (batch * queries * heads * headDim)", out, n);
        disjointFromInputs(op, "probs", probs, q, k, v, mask);
        disjointFromInputs(op, "out", out, q, k, v, mask);
        Check.disjoint(op, "probs", probs, "out", out);
    }

    private static void disjointFromInputs(String op, String name, Span written, Span q, Span k, Span v, Span mask) {
        Check.disjoint(op, name, written, "q", q);
        Check.disjoint(op, name, written, "k", k);
        Check.disjoint(op, name, written, "v", v);
        Check.disjoint(op, name, written, "mask", mask);
    }

    static void attentionBackward(Span q, Span k, Span v, Span probs, Span dOut, int batch, int queries, int seq,
                                  int heads, int headDim, float scale, Span dQ, Span dK, Span dV) {
        String op = "attentionBackward";
        long n = heads(op, q, k, v, batch, queries, seq, heads, headDim, scale);
        Check.length(op, "probs (batch * heads * queries * seq)", probs, (long) batch * heads * queries * seq);
        Check.length(op, "dOut (batch * queries * heads * headDim)", dOut, n);
        gradients(op, dQ, dK, dV, n, (long) batch * seq * heads * headDim);
    }

    /** dQ (n floats), dK and dV (keys floats): each null or apart from the others, but dK and dV may be one span. */
    private static void gradients(String op, Span dQ, Span dK, Span dV, long n, long keys) {
        Span[] grads = {dQ, dK, dV};
        String[] names = {"dQ", "dK", "dV"};
        for (int g = 0; g < 3; g++) {
            if (grads[g] == null) continue;
            Check.length(op, names[g], grads[g], g == 0 ? n : keys);
            for (int o = g + 1; o < 3; o++)
                if (g != 1 || !grads[1].equals(grads[2]))   // dK and dV may be one span
                    Check.disjoint(op, names[g], grads[g], names[o], grads[o]);
        }
    }

    /**
     * Dimensions, scale and the inputs of attention: q (batch, queries, heads * headDim), k and v (batch, seq, heads *
     * headDim); returns q's length.
     */
    private static long heads(String op, Span q, Span k, Span v, int batch, int queries, int seq, int heads,
                              int headDim, float scale) {
        Check.dims(op, batch, queries, seq, heads, headDim);
        if (!Float.isFinite(scale)) throw new IllegalArgumentException(op + ": scale must be finite, got " + scale);
        long n = (long) batch * queries * heads * headDim, keys = (long) batch * seq * heads * headDim;
        Check.length(op, "q (batch * queries * heads * headDim = " + n + ")", q, n);
        Check.length(op, "k (batch * seq * heads * headDim = " + keys + ")", k, keys);
        Check.length(op, "v", v, keys);
        return n;
    }

    static void layerNorm(Span x, int rows, int cols, Span gamma, Span beta, float eps,
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

    static void layerNormBackward(Span x, int rows, int cols, Span gamma, Span mean, Span rstd,
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

    /** ids I32 (n) with n = ids.length(); table (vocab, dim); out (n, dim). */
    static void embedding(Span ids, Span table, int vocab, int dim, Span out) {
        String op = "embedding";
        Check.dtype(op, "ids", ids, DType.I32);
        Check.rows(op, "table", table, vocab, dim);
        Check.rows(op, "out", out, Math.toIntExact(ids.length()), dim);
    }

    static void embeddingBackward(Span ids, Span dOut, int vocab, int dim, Span dTable) {
        String op = "embeddingBackward";
        Check.dtype(op, "ids", ids, DType.I32);
        Check.rows(op, "dOut", dOut, Math.toIntExact(ids.length()), dim);
        Check.dims(op, vocab, dim);
        if (dTable != null) Check.rows(op, "dTable", dTable, vocab, dim);
    }

    // ---------------------------------------------------------------- optimizers

    /** velocity may be null only when momentum is 0. */
    static void sgdStep(Span params, Span grads, Span velocity, float momentum) {
        String op = "sgdStep";
        Check.same(op, "params", params, "grads", grads);
        if (momentum != 0 || velocity != null) Check.same(op, "params", params, "velocity", velocity);
    }

    static void adamwStep(Span params, Span grads, Span m, Span v, float beta1, float beta2, long step) {
        String op = "adamwStep";
        Check.same(op, "params", params, "grads", grads);
        Check.same(op, "params", params, "m", m);
        Check.same(op, "params", params, "v", v);
        if (step < 1) throw new IllegalArgumentException(op + ": step counts from 1, got " + step);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1))
            throw new IllegalArgumentException(op + ": betas must lie in [0, 1), got " + beta1 + ", " + beta2);
    }

    // ---------------------------------------------------------------- reductions

    static void reduction(String op, Span x, Span out) {
        Check.dtype(op, "x", x, DType.F32);
        Check.length(op, "out", out, 1);
    }

    static void sumBackward(Span dOut, Span dX) {
        Check.length("sumBackward", "dOut", dOut, 1);
        if (dX != null) Check.dtype("sumBackward", "dX", dX, DType.F32);
    }

    /** x (rows, cols) with cols >= 1 when rows > 0; out I32 (rows). */
    static void argmaxRows(Span x, int rows, int cols, Span out) {
        Check.rows("argmaxRows", "x", x, rows, cols);
        if (rows > 0 && cols == 0) throw new ShapeException("argmaxRows: " + rows + " rows of 0 columns");
        Check.indices("argmaxRows", "out (" + rows + ")", out, rows);
    }

    // ---------------------------------------------------------------- shared pieces

    private static void same3(String op, String na, Span a, String nb, Span b, String nc, Span c) {
        Check.same(op, na, a, nb, b);
        Check.same(op, na, a, nc, c);
    }

    /** A gradient span: null, or an F32 span as long as the value it belongs to. */
    private static void gradOf(String op, String nameValue, Span value, String nameGrad, Span grad) {
        if (grad != null) Check.same(op, nameValue, value, nameGrad, grad);
    }

    private static void temperature(String op, float t) {
        if (!(t > 0) || Float.isInfinite(t))
            throw new IllegalArgumentException(op + ": temperature must be finite and > 0, got " + t);
    }
}
