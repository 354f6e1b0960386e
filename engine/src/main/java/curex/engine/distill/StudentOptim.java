// The student's optimizer and learning-rate schedule from its training settings (adapters get the same kind).
package curex.engine.distill;

import curex.engine.nn.Parameters;
import curex.engine.optim.AdamW;
import curex.engine.optim.LrSchedule;
import curex.engine.optim.Optimizer;
import curex.engine.optim.Sgd;

/**
 * AdamW (betas 0.9, 0.999, eps 1e-8) or SGD with momentum, both with the settings' weight decay, as
 * {@code curex train} builds them. The schedule is global over the whole budget, across stages: a linear warmup, then
 * constant or cosine decay to 0 at the last step.
 */
public final class StudentOptim {
    private StudentOptim() {
    }

    public static Optimizer optimizer(StudentTraining t, Parameters params) {
        return switch (t.optimizer()) {
            case ADAMW -> new AdamW(params, new AdamW.Config(0.9f, 0.999f, 1e-8f, (float) t.weightDecay()));
            case SGD -> new Sgd(params, (float) t.momentum(), (float) t.weightDecay());
        };
    }

    public static LrSchedule schedule(StudentTraining t) {
        float lr = (float) t.lr();
        long warmup = t.warmup();
        return switch (t.schedule()) {
            case COSINE -> LrSchedule.warmupCosine(lr, warmup, t.steps(), 0f);
            case CONSTANT -> warmup == 0 ? LrSchedule.constant(lr) : s -> s < warmup ? lr * (s + 1) / warmup : lr;
        };
    }
}
