// gemm and batched gemm on cuBLAS (FP32, or TF32 tensor cores when asked), row-major through GemmMapping.
package curex.cuda;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import curex.kernels.Span;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One cuBLAS handle on the backend's stream. As ReferenceBackend: beta 0 never reads C (cuBLAS's rule too), and
 * alpha 0 or k 0 never reads A or B (C = beta C by our own kernel, since cuBLAS may still read them).
 */
final class CudaProducts implements AutoCloseable {
    private final DeviceContext ctx;
    private final Cublas cublas;
    private final MemorySegment handle;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment scalars = arena.allocate(JAVA_FLOAT, 2);   // alpha, beta
    final boolean tf32;
    final String version;

    CudaProducts(DeviceContext ctx, boolean tf32) {
        this.ctx = ctx;
        this.cublas = ctx.libs.cublas();
        this.tf32 = tf32;
        handle = cublas.create();
        cublas.setStream(handle, ctx.stream());
        cublas.setMathMode(handle, tf32 ? Cublas.TF32_TENSOR_OP_MATH : Cublas.DEFAULT_MATH);
        version = cublas.version(handle);
    }

    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Span a, int lda, Span b, int ldb,
              float beta, Span c, int ldc) {
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0) {
            scaleC(ctx.ptr(c), m, n, ldc, beta);
            return;
        }
        setScalars(alpha, beta);
        cublas.sgemm(handle, GemmMapping.of(transA, transB, m, n, k, lda, ldb, ldc), scalars, ctx.ptr(b), ctx.ptr(a),
                ctx.ptr(c));
    }

    void gemmBatched(boolean transA, boolean transB, int m, int n, int k, float alpha, Span a, int lda, long strideA,
                     Span b, int ldb, long strideB, float beta, Span c, int ldc, long strideC, int batch) {
        if (m == 0 || n == 0 || batch == 0) return;
        if (k == 0 || alpha == 0) {
            for (int i = 0; i < batch; i++) scaleC(ctx.ptr(c) + 4 * i * strideC, m, n, ldc, beta);
            return;
        }
        setScalars(alpha, beta);
        cublas.sgemmStridedBatched(handle, GemmMapping.of(transA, transB, m, n, k, lda, ldb, ldc), scalars,
                ctx.ptr(b), strideB, ctx.ptr(a), strideA, ctx.ptr(c), strideC, batch);
    }

    private void setScalars(float alpha, float beta) {
        scalars.setAtIndex(JAVA_FLOAT, 0, alpha);
        scalars.setAtIndex(JAVA_FLOAT, 1, beta);
    }

    private void scaleC(long c, int m, int n, int ldc, float beta) {
        ctx.kernels.elements("scale_matrix_f32", (long) m * n, c, m, n, ldc, beta);
    }

    @Override
    public void close() {
        cublas.destroy(handle);
        arena.close();
    }
}
