// A model and how it is trained: one side (teacher or student) of a comparison.
package curex.engine.compare;

import curex.engine.model.ModelConfig;
import curex.engine.settings.TrainingSettings;

import java.util.LinkedHashMap;
import java.util.Map;

/** The model config and the training settings; the seed in {@code training} is set per seed of the comparison. */
public record RunSpec(ModelConfig model, TrainingSettings training) {

    public RunSpec {
        if (model == null || training == null) throw new IllegalArgumentException("a run needs a model and training settings");
    }

    /** The same spec for seed {@code seed}. */
    public RunSpec withSeed(long seed) {
        return new RunSpec(model, training.withSeed(seed));
    }

    /** As compare-settings.json and run settings record it; the seed left out unless {@code withSeed}. */
    public Map<String, Object> toMap(boolean withSeed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model.toMap());
        m.putAll(training.toMap(withSeed));
        return m;
    }
}
