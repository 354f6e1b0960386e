// Typed host buffers: F32 and I32 allocation, array and MemorySegment copies both ways, dtype rules, synchronize.
package curex.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HostMemoryTest {

    static Stream<Backend> backends() {
        return Stream.of(new ReferenceBackend(), new VectorBackend(2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void intBuffersAreZeroFilledAndCopyBothWays(Backend be) {
        try (be) {
            Buffer b = be.allocateInts(6);
            assertEquals(DType.I32, b.dtype());
            assertEquals(DType.I32, b.all().dtype());
            assertEquals(DType.F32, be.allocate(1).dtype());
            int[] back = new int[8];
            be.copyToHost(b.all(), back, 1);
            assertArrayEquals(new int[8], back);
            be.copyFromHost(new int[] {-7, 1 << 30, 3, Integer.MIN_VALUE, 0, 42}, 0, b.all());
            Span tail = b.span(2, 3);
            int[] part = new int[3];
            be.copyToHost(tail, part, 0);
            assertArrayEquals(new int[] {3, Integer.MIN_VALUE, 0}, part);
            Span other = be.allocateInts(3).all();
            be.copy(tail, other);
            be.copyToHost(other, part, 0);
            assertArrayEquals(new int[] {3, Integer.MIN_VALUE, 0}, part);
            be.synchronize();
        }
    }

    /** Elements in native byte order, from and to any byte offset (no alignment needed), heap or native memory. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void memorySegmentCopiesUseNativeOrderAtAnyOffset(Backend be) {
        try (be; Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(64);
            ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT_UNALIGNED;
            ValueLayout.OfInt i = ValueLayout.JAVA_INT_UNALIGNED;
            for (int k = 0; k < 3; k++) seg.set(f, 5 + 4L * k, 1.5f * k - 1);   // odd offset: unaligned
            Span floats = be.allocate(5).span(1, 3);
            be.copyFromHost(seg, 5, floats);
            float[] got = new float[3];
            be.copyToHost(floats, got, 0);
            assertArrayEquals(new float[] {-1f, 0.5f, 2f}, got);

            byte[] heap = new byte[13];
            MemorySegment heapSeg = MemorySegment.ofArray(heap);
            Span ints = be.allocateInts(3).all();
            be.copyFromHost(new int[] {1, -2, 0x01020304}, 0, ints);
            be.copyToHost(ints, heapSeg, 1);
            assertEquals(-2, heapSeg.get(i, 5));
            assertEquals(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 4 : 1, heap[9]);
            Span again = be.allocateInts(3).all();
            be.copyFromHost(heapSeg, 1, again);
            int[] back = new int[3];
            be.copyToHost(again, back, 0);
            assertArrayEquals(new int[] {1, -2, 0x01020304}, back);

            be.copyToHost(floats, seg, 33);
            assertEquals(2f, seg.get(f, 41));
            assertThrows(IllegalArgumentException.class,
                    () -> be.copyToHost(floats, MemorySegment.ofArray(new byte[16]).asReadOnly(), 0));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void dtypesMustMatch(Backend be) {
        try (be) {
            Span f = be.allocate(2).all(), n = be.allocateInts(2).all();
            ShapeException e = assertThrows(ShapeException.class, () -> be.copy(f, n));
            assertTrue(e.getMessage().startsWith("copy:") && e.getMessage().contains("I32"), e.getMessage());
            assertThrows(ShapeException.class, () -> be.copyFromHost(new float[2], 0, n));
            assertThrows(ShapeException.class, () -> be.copyToHost(n, new float[2], 0));
            assertThrows(ShapeException.class, () -> be.fill(n, 0f));
            e = assertThrows(ShapeException.class, () -> be.relu(n, f));
            assertTrue(e.getMessage().startsWith("relu: x has dtype I32, expected F32"), e.getMessage());
        }
    }
}
