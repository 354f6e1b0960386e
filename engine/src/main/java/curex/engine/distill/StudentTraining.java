// How the student is trained, the same for every method: shape, optimizer, schedule, budget, evaluation, target.
package curex.engine.distill;

import curex.engine.autograd.Activation;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The student MLP is {@code [n, hidden..., classes]} with {@code activation}, initialised from {@code seed} (as
 * {@code curex train} does, so {@code ce} equals plain training). One optimizer and one learning-rate schedule run
 * over the whole budget of {@code steps} steps, across stages. Training batches are the task's batches of
 * {@code seed}; evaluation uses its held-out set of {@code evalSize} samples every {@code evalEvery} steps (0: only
 * at the end), plus a point at step 0. {@code targetAccuracy} defines the "to target" figures; with
 * {@code stopAtTarget} the run ends at the first evaluation that reaches it.
 */
public record StudentTraining(int[] hidden, Activation activation, int batch, long steps, OptimizerKind optimizer,
                              double lr, double momentum, double weightDecay, ScheduleKind schedule, long warmup,
                              double clip, long seed, long evalEvery, int evalSize, double targetAccuracy,
                              boolean stopAtTarget) {

    public enum OptimizerKind {
        ADAMW, SGD;

        public static OptimizerKind parse(String word) {
            return Choice.parse(OptimizerKind.class, "optimizer", word);
        }
    }

    public enum ScheduleKind {
        CONSTANT, COSINE;

        public static ScheduleKind parse(String word) {
            return Choice.parse(ScheduleKind.class, "learning-rate schedule", word);
        }
    }

    public StudentTraining {
        if (hidden == null || hidden.length == 0)
            throw new IllegalArgumentException("the student needs at least one hidden layer width");
        for (int h : hidden) if (h < 1) throw new IllegalArgumentException("student widths must be >= 1, got "
                + Arrays.toString(hidden));
        hidden = hidden.clone();
        if (activation == null || activation == Activation.NONE)
            throw new IllegalArgumentException("the student's activation must be relu or gelu");
        if (batch < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batch);
        if (steps < 1) throw new IllegalArgumentException("step budget must be >= 1, got " + steps);
        if (optimizer == null || schedule == null) throw new IllegalArgumentException("optimizer and schedule must be given");
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must lie in [0, 1), got " + momentum);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        if (warmup < 0 || warmup > steps)
            throw new IllegalArgumentException("warmup must lie in 0.." + steps + " steps, got " + warmup);
        if (!(clip >= 0)) throw new IllegalArgumentException("gradient clip norm must be >= 0 (0: off), got " + clip);
        if (evalEvery < 0) throw new IllegalArgumentException("evaluation interval must be >= 0 (0: only at the end), got " + evalEvery);
        if (evalSize < 1) throw new IllegalArgumentException("held-out size must be >= 1, got " + evalSize);
        if (!(targetAccuracy > 0 && targetAccuracy <= 1))
            throw new IllegalArgumentException("target accuracy must lie in (0, 1], got " + targetAccuracy);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** Layer widths [inputs, hidden..., classes]. */
    public int[] widths(int inputs, int classes) {
        int[] w = new int[hidden.length + 2];
        w[0] = inputs;
        System.arraycopy(hidden, 0, w, 1, hidden.length);
        w[w.length - 1] = classes;
        return w;
    }

    /** Snake_case fields for config.json / summary.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hidden", Arrays.stream(hidden).boxed().toList());
        m.put("activation", activation.id());
        m.put("batch", batch);
        m.put("steps", steps);
        m.put("optimizer", Choice.id(optimizer));
        m.put("lr", lr);
        m.put("momentum", momentum);
        m.put("weight_decay", weightDecay);
        m.put("schedule", Choice.id(schedule));
        m.put("warmup", warmup);
        m.put("clip", clip);
        m.put("seed", seed);
        m.put("eval_every", evalEvery);
        m.put("eval_size", evalSize);
        m.put("target_accuracy", targetAccuracy);
        m.put("stop_at_target", stopAtTarget);
        return m;
    }

    /** Defaults: hidden [100], relu, batch 128, 5000 steps, AdamW lr 3e-3, constant, seed 0, eval every 250. */
    public static final class Builder {
        private int[] hidden = {100};
        private Activation activation = Activation.RELU;
        private int batch = 128;
        private long steps = 5000;
        private OptimizerKind optimizer = OptimizerKind.ADAMW;
        private double lr = 3e-3;
        private double momentum = 0.9;
        private double weightDecay;
        private ScheduleKind schedule = ScheduleKind.CONSTANT;
        private long warmup;
        private double clip;
        private long seed;
        private long evalEvery = 250;
        private int evalSize = 4096;
        private double targetAccuracy = 0.99;
        private boolean stopAtTarget;

        public Builder hidden(int... v) { hidden = v; return this; }
        public Builder activation(Activation v) { activation = v; return this; }
        public Builder batch(int v) { batch = v; return this; }
        public Builder steps(long v) { steps = v; return this; }
        public Builder optimizer(OptimizerKind v) { optimizer = v; return this; }
        public Builder lr(double v) { lr = v; return this; }
        public Builder momentum(double v) { momentum = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder schedule(ScheduleKind v) { schedule = v; return this; }
        public Builder warmup(long v) { warmup = v; return this; }
        public Builder clip(double v) { clip = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder evalEvery(long v) { evalEvery = v; return this; }
        public Builder evalSize(int v) { evalSize = v; return this; }
        public Builder targetAccuracy(double v) { targetAccuracy = v; return this; }
        public Builder stopAtTarget(boolean v) { stopAtTarget = v; return this; }

        public StudentTraining build() {
            return new StudentTraining(hidden, activation, batch, steps, optimizer, lr, momentum, weightDecay, schedule,
                    warmup, clip, seed, evalEvery, evalSize, targetAccuracy, stopAtTarget);
        }
    }
}
