// The elementwise nonlinearities a layer may apply after its affine map.
package curex.engine.autograd;

import curex.engine.settings.Choice;

/**
 * Activation after a linear layer: none (logits), ReLU, or GELU in its tanh approximation, which is PyTorch's
 * {@code gelu(x, approximate='tanh')} (not PyTorch's default, the exact erf form): the id {@code gelu} names it
 * here, and checkpoints record the exact form as {@code gelu_tanh} in {@link #pytorchName()}.
 */
public enum Activation {
    NONE, RELU, GELU;

    /** Parses "relu", "gelu" or "none" (case-insensitive). */
    public static Activation parse(String name) {
        return Choice.parse(Activation.class, "activation", name);
    }

    /** Lower-case name as written in configs and checkpoints. */
    public String id() {
        return Choice.id(this);
    }

    /** The PyTorch function this is: "relu", "gelu_tanh" (gelu with approximate='tanh'), "identity". */
    public String pytorchName() {
        return switch (this) {
            case NONE -> "identity";
            case RELU -> "relu";
            case GELU -> "gelu_tanh";
        };
    }

    @Override
    public String toString() {
        return id();
    }
}
