// The backward step an op records on the tape while its forward runs.
package curex.engine.autograd;

/** Propagates an op's output gradient to its inputs' gradients (accumulating or, if first, overwriting). */
@FunctionalInterface
public interface BackwardFn {
    void run();
}
