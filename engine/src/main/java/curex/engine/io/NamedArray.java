// A named, shaped array of floats or ints: the unit a checkpoint stores (one tensor of a safetensors file).
package curex.engine.io;

import java.util.Arrays;

/**
 * A tensor as stored in a checkpoint: a name, a row-major shape and its data, float32 in {@code data} or int32 in
 * {@code ints} (exactly one of the two is set; labels and ids are stored as integers). The array is held, not copied.
 * A scalar has the empty shape and one element.
 */
public record NamedArray(String name, int[] shape, float[] data, int[] ints) {

    public NamedArray {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("tensor name must not be empty");
        if (shape == null) throw new IllegalArgumentException("tensor '" + name + "': shape must not be null");
        if ((data == null) == (ints == null))
            throw new IllegalArgumentException("tensor '" + name + "': give float data or int data, not both or neither");
        long elements = elements(shape);
        if (elements < 0)
            throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape "
                    + Arrays.toString(shape));
        int length = data != null ? data.length : ints.length;
        if (elements != length)
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " holds " + elements + " elements but data has " + length);
    }

    /** A float32 tensor. */
    public NamedArray(String name, int[] shape, float[] data) {
        this(name, shape, data, null);
    }

    /** An int32 tensor. */
    public static NamedArray ofInts(String name, int[] shape, int[] values) {
        return new NamedArray(name, shape, null, values);
    }

    /** Product of the dimensions (1 for a scalar), or -1 if a dimension is negative. */
    public static long elements(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) return -1;
            n = Math.multiplyExact(n, (long) d);
        }
        return n;
    }

    /** True for an int32 tensor. */
    public boolean isInts() {
        return ints != null;
    }

    /** "F32" or "I32", as safetensors names the type. */
    public String dtype() {
        return isInts() ? "I32" : "F32";
    }

    /** Number of elements. */
    public int size() {
        return data != null ? data.length : ints.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedArray other && name.equals(other.name) && Arrays.equals(shape, other.shape)
                && Arrays.equals(data, other.data) && Arrays.equals(ints, other.ints);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data) + Arrays.hashCode(ints);
    }

    @Override
    public String toString() {
        return "NamedArray[" + name + " " + dtype() + " " + Arrays.toString(shape) + "]";
    }
}
