// Shape arithmetic for tensors: element counts, contiguous strides, extents and -1 inference.
package curex.engine.tensor;

import curex.kernels.Span;

import java.util.Arrays;

/** Static helpers over int shapes and long strides. */
public final class Shapes {
    private Shapes() {
    }

    public static long numel(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n = Math.multiplyExact(n, (long) d);
        }
        return n;
    }

    /** Row-major strides of a contiguous tensor. */
    public static long[] contiguousStrides(int... shape) {
        long[] st = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= Math.max(1, shape[i]);
        }
        return st;
    }

    /** Elements from a view's first to its last element inclusive (0 when empty). */
    public static long extent(int[] shape, long[] strides) {
        long last = 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0) return 0;
            last += (shape[i] - 1L) * strides[i];
        }
        return last + 1;
    }

    /** Resolves one -1 dimension so that the shape holds {@code numel} elements. */
    static int[] infer(int[] shape, long numel) {
        int[] s = shape.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (unknown >= 0) throw new IllegalArgumentException("two -1 dimensions in " + Arrays.toString(shape));
                unknown = i;
            } else {
                known *= s[i];
            }
        }
        if (unknown >= 0) {
            if (known == 0 || numel % known != 0)
                throw new IllegalArgumentException("cannot reshape " + numel + " elements to " + Arrays.toString(shape));
            s[unknown] = (int) (numel / known);
        }
        if (numel(s) != numel)
            throw new IllegalArgumentException("cannot reshape " + numel + " elements to " + Arrays.toString(shape));
        return s;
    }

    static void checkLength(Span data, int[] shape) {
        if (data.length() != numel(shape))
            throw new IllegalArgumentException("span of " + data.length() + " elements for shape "
                    + Arrays.toString(shape));
    }

    public static String str(int... shape) {
        return Arrays.toString(shape);
    }
}
