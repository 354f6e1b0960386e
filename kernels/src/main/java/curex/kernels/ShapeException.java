// Thrown when a kernel is called with shapes or buffer lengths that do not fit together.
package curex.kernels;

/** A kernel's arguments do not fit; the message names the operation and the shapes. */
public final class ShapeException extends IllegalArgumentException {
    public ShapeException(String message) {
        super(message);
    }
}
