// The optimizers a run can train with, each made from the run's optimizer settings.
package curex.engine.optim;

import curex.engine.nn.Parameters;
import curex.engine.settings.Choice;
import curex.engine.settings.OptimizerSettings;

/** {@code sgd} (with momentum) or {@code adamw} (decoupled weight decay), PyTorch semantics. */
public enum OptimizerKind {
    SGD, ADAMW;

    public static OptimizerKind parse(String word) {
        return Choice.parse(OptimizerKind.class, "optimizer", word);
    }

    /** A new optimizer of this kind over {@code params} with the settings' hyperparameters. */
    public Optimizer create(Parameters params, OptimizerSettings s) {
        return switch (this) {
            case ADAMW -> new AdamW(params, new AdamW.Config((float) s.beta1(), (float) s.beta2(), 1e-8f,
                    (float) s.weightDecay()));
            case SGD -> new Sgd(params, (float) s.momentum(), (float) s.weightDecay());
        };
    }

    @Override
    public String toString() {
        return Choice.id(this);
    }
}
