// How a model is trained, the same for a teacher, a baseline and every distillation method's student.
package curex.engine.settings;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code steps} steps of {@code batch} samples; {@code seed} draws the model's initialisation and the task's data
 * streams; {@code optimizer} updates and {@code eval} measures. Build with {@link #builder()}.
 */
public record TrainingSettings(int batch, long steps, long seed, OptimizerSettings optimizer, EvalSettings eval) {

    public TrainingSettings {
        if (batch < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batch);
        if (steps < 1) throw new IllegalArgumentException("step budget must be >= 1, got " + steps);
        if (optimizer == null || eval == null) throw new IllegalArgumentException("optimizer and evaluation must be given");
        if (optimizer.warmup() > steps)
            throw new IllegalArgumentException("warmup must lie in 0.." + steps + " steps, got " + optimizer.warmup());
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().batch(batch).steps(steps).seed(seed).optimizer(optimizer).eval(eval);
    }

    public TrainingSettings withSeed(long v) {
        return new TrainingSettings(batch, steps, v, optimizer, eval);
    }

    /** snake_case fields for config.json and summaries; {@code seed} omitted when {@code withSeed} is false. */
    public Map<String, Object> toMap(boolean withSeed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch", batch);
        m.put("steps", steps);
        m.putAll(optimizer.toMap());
        if (withSeed) m.put("seed", seed);
        m.putAll(eval.toMap());
        return m;
    }

    public Map<String, Object> toMap() {
        return toMap(true);
    }

    /** Defaults: batch 128, 5000 steps, seed 0, the optimizer defaults, evaluation every 250 steps. */
    public static final class Builder {
        private int batch = 128;
        private long steps = 5000;
        private long seed;
        private OptimizerSettings optimizer = OptimizerSettings.builder().build();
        private EvalSettings eval = EvalSettings.every(250);

        public Builder batch(int v) { batch = v; return this; }
        public Builder steps(long v) { steps = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder optimizer(OptimizerSettings v) { optimizer = v; return this; }
        public Builder eval(EvalSettings v) { eval = v; return this; }

        public TrainingSettings build() {
            return new TrainingSettings(batch, steps, seed, optimizer, eval);
        }
    }
}
