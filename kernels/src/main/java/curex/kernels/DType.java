// Element types a buffer can hold: float32 values and int32 indices (class targets, token ids, argmax results).
package curex.kernels;

import java.lang.foreign.ValueLayout;

/** The type of every element of a {@link Buffer}; both are 4 bytes wide. */
public enum DType {
    /** 32-bit IEEE float: activations, parameters, gradients, losses. */
    F32(ValueLayout.JAVA_FLOAT_UNALIGNED),
    /** 32-bit signed integer: class indices, token ids, argmax outputs. */
    I32(ValueLayout.JAVA_INT_UNALIGNED);

    private final ValueLayout layout;

    DType(ValueLayout layout) {
        this.layout = layout;
    }

    /** Bytes per element. */
    public int byteSize() {
        return (int) layout.byteSize();
    }

    /** How an element is laid out in a {@link java.lang.foreign.MemorySegment}: native byte order, unaligned. */
    public ValueLayout layout() {
        return layout;
    }
}
