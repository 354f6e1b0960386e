// A named, shaped array of floats: the unit a checkpoint stores (one tensor of a safetensors file).
package curex.engine.io;

import java.util.Arrays;

/**
 * A tensor as stored in a checkpoint: a name, a row-major shape and its float32 data. The array is held, not
 * copied. A scalar has the empty shape and one element.
 */
public record NamedArray(String name, int[] shape, float[] data) {

    public NamedArray {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("tensor name must not be empty");
        if (shape == null) throw new IllegalArgumentException("tensor '" + name + "': shape must not be null");
        if (data == null) throw new IllegalArgumentException("tensor '" + name + "': data must not be null");
        long elements = elements(shape);
        if (elements < 0)
            throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape "
                    + Arrays.toString(shape));
        if (elements != data.length)
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " holds " + elements + " elements but data has " + data.length);
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

    /** Number of elements. */
    public int size() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedArray other && name.equals(other.name) && Arrays.equals(shape, other.shape)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NamedArray[" + name + " " + Arrays.toString(shape) + "]";
    }
}
