// The elementwise nonlinearities a layer may apply after its affine map.
package curex.engine.autograd;

import java.util.Locale;

/** Activation after a linear layer: none (logits), ReLU or GELU (tanh form). */
public enum Activation {
    NONE, RELU, GELU;

    /** Parses "relu", "gelu" or "none" (case-insensitive). */
    public static Activation parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown activation '" + name + "'; expected relu, gelu or none");
        }
    }

    /** Lower-case name as written in configs and checkpoints. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
