// A block of labelled samples held on the host: features (size, features) and class labels (size).
package curex.engine.data;

/**
 * {@code size} samples of {@code features} floats each, row-major in {@code x} (size, features), with class
 * indices as floats in {@code y} (size). Arrays are held, not copied.
 */
public record LabeledBatch(int size, int features, float[] x, float[] y) {

    public LabeledBatch {
        if (size < 0 || features < 1) throw new IllegalArgumentException("bad batch size " + size + " x " + features);
        if (x.length != (long) size * features)
            throw new IllegalArgumentException("x has " + x.length + " floats, expected " + size + " x " + features);
        if (y.length != size) throw new IllegalArgumentException("y has " + y.length + " labels, expected " + size);
    }
}
