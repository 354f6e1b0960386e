// Host copies, device copies, fills and the counter-based random fills of the CUDA backend.
package curex.cuda;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import curex.kernels.CounterRng;
import curex.kernels.Span;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Copies between Java memory and the device go through {@link HostStaging} (or straight from a native segment)
 * and wait for the device. Random fills compute {@link CounterRng}'s numbers on the host in chunks and upload
 * them: exactly the CPU backends' values for the same seed, with no device maths to diverge.
 */
final class CudaTransfers {
    /** Elements of a random fill computed and uploaded at a time. */
    static final int FILL_CHUNK = 1 << 20;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private final DeviceContext ctx;

    CudaTransfers(DeviceContext ctx) {
        this.ctx = ctx;
    }

    void fromHost(float[] src, int srcOffset, Span dst) {
        long bytes = 4 * dst.length();
        MemorySegment s = ctx.staging.get(bytes);
        MemorySegment.copy(src, srcOffset, s, JAVA_FLOAT, 0, dst.intLength());
        ctx.upload(s, ctx.ptr(dst), bytes);
    }

    void fromHost(int[] src, int srcOffset, Span dst) {
        long bytes = 4 * dst.length();
        MemorySegment s = ctx.staging.get(bytes);
        MemorySegment.copy(src, srcOffset, s, JAVA_INT, 0, dst.intLength());
        ctx.upload(s, ctx.ptr(dst), bytes);
    }

    void fromHost(MemorySegment src, long srcByteOffset, Span dst) {
        long bytes = 4 * dst.length();
        if (src.isNative()) {
            ctx.upload(src.asSlice(srcByteOffset, bytes), ctx.ptr(dst), bytes);
            return;
        }
        MemorySegment s = ctx.staging.get(bytes);
        MemorySegment.copy(src, srcByteOffset, s, 0, bytes);
        ctx.upload(s, ctx.ptr(dst), bytes);
    }

    void toHost(Span src, float[] dst, int dstOffset) {
        long bytes = 4 * src.length();
        MemorySegment s = ctx.staging.get(bytes);
        ctx.download(ctx.ptr(src), s, bytes);
        MemorySegment.copy(s, JAVA_FLOAT.withOrder(NATIVE), 0, dst, dstOffset, src.intLength());
    }

    void toHost(Span src, int[] dst, int dstOffset) {
        long bytes = 4 * src.length();
        MemorySegment s = ctx.staging.get(bytes);
        ctx.download(ctx.ptr(src), s, bytes);
        MemorySegment.copy(s, JAVA_INT.withOrder(NATIVE), 0, dst, dstOffset, src.intLength());
    }

    void toHost(Span src, MemorySegment dst, long dstByteOffset) {
        long bytes = 4 * src.length();
        if (dst.isNative()) {
            ctx.download(ctx.ptr(src), dst.asSlice(dstByteOffset, bytes), bytes);
            return;
        }
        MemorySegment s = ctx.staging.get(bytes);
        ctx.download(ctx.ptr(src), s, bytes);
        MemorySegment.copy(s, 0, dst, dstByteOffset, bytes);
    }

    void copy(Span src, Span dst) {
        if (src.length() == 0) return;
        ctx.driver.copyDeviceToDevice(ctx.ptr(dst), ctx.ptr(src), 4 * src.length(), ctx.stream());
    }

    void fill(Span dst, float value) {
        if (dst.length() == 0) return;
        ctx.kernels.elements("fill_f32", dst.length(), ctx.ptr(dst), dst.length(), value);
    }

    /** Zeroes a new buffer's block (F32 and I32 zero are both all-zero bits). */
    void zero(long pointer, long elements) {
        if (elements > 0) ctx.driver.fill32(pointer, 0, elements, ctx.stream());
    }

    void fillUniform(Span dst, float lo, float hi, long seed) {
        randomFill(dst, seed, false, lo, hi);
    }

    void fillNormal(Span dst, float mean, float std, long seed) {
        randomFill(dst, seed, true, mean, std);
    }

    /** Element i = lo + (hi - lo) * uniform(seed, i), or mean + std * normal(seed, i), as HostBackend computes it. */
    private void randomFill(Span dst, long seed, boolean normal, float a, float b) {
        long n = dst.length(), base = ctx.ptr(dst);
        float[] chunk = new float[(int) Math.min(n, FILL_CHUNK)];
        for (long from = 0; from < n; from += FILL_CHUNK) {
            int len = (int) Math.min(FILL_CHUNK, n - from);
            for (int j = 0; j < len; j++) {
                long i = from + j;
                chunk[j] = normal ? a + b * CounterRng.normal(seed, i) : a + (b - a) * CounterRng.uniform(seed, i);
            }
            MemorySegment s = ctx.staging.get(4L * len);
            MemorySegment.copy(chunk, 0, s, JAVA_FLOAT, 0, len);
            ctx.upload(s, base + 4 * from, 4L * len);
        }
    }

}
