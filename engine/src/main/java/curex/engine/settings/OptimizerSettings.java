// How parameters are updated: optimizer kind and hyperparameters, learning-rate schedule, gradient clipping.
package curex.engine.settings;

import curex.engine.optim.OptimizerKind;
import curex.engine.optim.ScheduleKind;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Peak learning rate {@code lr}, reached after {@code warmup} linear steps, then {@code schedule} over the budget;
 * {@code momentum} is SGD's, {@code beta1}/{@code beta2} AdamW's; {@code clip} > 0 clips the global gradient norm.
 * Build with {@link #builder()} (defaults: AdamW, lr 3e-3, betas 0.9/0.999, no decay, constant, no warmup, no clip).
 */
public record OptimizerSettings(OptimizerKind kind, double lr, double momentum, double weightDecay, double beta1,
                                double beta2, ScheduleKind schedule, long warmup, double clip) {

    public OptimizerSettings {
        if (kind == null || schedule == null) throw new IllegalArgumentException("optimizer and schedule must be given");
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must lie in [0, 1), got " + momentum);
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay))
            throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1))
            throw new IllegalArgumentException("AdamW betas must lie in [0, 1), got " + beta1 + ", " + beta2);
        if (warmup < 0) throw new IllegalArgumentException("warmup must be >= 0 steps, got " + warmup);
        if (!(clip >= 0) || !Double.isFinite(clip))
            throw new IllegalArgumentException("gradient clip norm must be >= 0 (0: off), got " + clip);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder().kind(kind).lr(lr).momentum(momentum).weightDecay(weightDecay).betas(beta1, beta2)
                .schedule(schedule).warmup(warmup).clip(clip);
    }

    /** snake_case fields for config.json and summaries. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("optimizer", kind.toString());
        m.put("lr", lr);
        if (kind == OptimizerKind.SGD) m.put("momentum", momentum);
        else m.put("betas", java.util.List.of(beta1, beta2));
        m.put("weight_decay", weightDecay);
        m.put("schedule", schedule.toString());
        m.put("warmup", warmup);
        m.put("clip", clip);
        return m;
    }

    /** Named construction with the defaults above. */
    public static final class Builder {
        private OptimizerKind kind = OptimizerKind.ADAMW;
        private double lr = 3e-3;
        private double momentum = 0.9;
        private double weightDecay;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private ScheduleKind schedule = ScheduleKind.CONSTANT;
        private long warmup;
        private double clip;

        public Builder kind(OptimizerKind v) { kind = v; return this; }
        public Builder lr(double v) { lr = v; return this; }
        public Builder momentum(double v) { momentum = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder betas(double b1, double b2) { beta1 = b1; beta2 = b2; return this; }
        public Builder schedule(ScheduleKind v) { schedule = v; return this; }
        public Builder warmup(long v) { warmup = v; return this; }
        public Builder clip(double v) { clip = v; return this; }

        public OptimizerSettings build() {
            return new OptimizerSettings(kind, lr, momentum, weightDecay, beta1, beta2, schedule, warmup, clip);
        }
    }
}
