// What a distillation run does beyond plain training: the method and its options, validated, with defaults.
package curex.engine.distill;

import curex.engine.settings.Choice;
import curex.engine.settings.SettingException;
import curex.engine.settings.SettingException.Setting;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The method and its options (docs/method.md); {@link #builder()} starts from the defaults.
 * <ul>
 *   <li>KD (oneshot, progressive, the final stage of extract): temperature T (1), hard teacher labels (off: CE on
 *       the teacher's argmax instead of KL), ground-truth weight alpha (0): loss = (1 - alpha) KD + alpha CE.</li>
 *   <li>Extraction: projection kind (gaussian), projection dimension (0: the student layer's width dS[j]), adapter
 *       (off), stage loss (mse), stages (empty: every student hidden layer 1..HS), layer map (empty: t(j) =
 *       round(j * HT / HS) clamped to 1..HT over hidden layers; else one teacher layer per student hidden layer, or
 *       one per selected stage), trained layers (prefix 1..j), stage length (300 steps), samples for the
 *       standardization statistics (4096).</li>
 *   <li>Progressive: checkpoint speed (1): at student step s use the first checkpoint whose step >= s * speed.</li>
 * </ul>
 * Checks that need the models' sizes (stages in range, dimensions, budget) happen in {@link StagePlan}.
 */
public record DistillSettings(Method method, double temperature, boolean hardLabels, double alpha,
                              Projection.Kind projection, int projectionDim, boolean adapter, StageLoss stageLoss,
                              int[] stages, int[] layerMap, TrainedLayers trainedLayers, StageLength stageLength,
                              double speed, int standardizeSamples) {

    public static final int DEFAULT_STANDARDIZE_SAMPLES = 4096;

    /** How a projection stage compares: {@code mse} mean over batch of |a - z|^2 / dP; {@code cosine} of 1 - cos(a, z). */
    public enum StageLoss {
        MSE, COSINE;

        public static StageLoss parse(String word) {
            return Choice.parse(StageLoss.class, "stage loss", word);
        }

        public String id() {
            return Choice.id(this);
        }

        @Override
        public String toString() {
            return id();
        }
    }

    /** Which student layers projection stage j trains: {@code prefix} layers 1..j (default), {@code current} layer j. */
    public enum TrainedLayers {
        PREFIX, CURRENT;

        public static TrainedLayers parse(String word) {
            return Choice.parse(TrainedLayers.class, "trained layers", word);
        }

        public String id() {
            return Choice.id(this);
        }

        @Override
        public String toString() {
            return id();
        }
    }

    public DistillSettings {
        if (method == null) throw new IllegalArgumentException("distillation method must be given");
        if (!(temperature > 0) || !Double.isFinite(temperature))
            throw new IllegalArgumentException("KD temperature must be a finite number > 0, got " + temperature);
        if (!(alpha >= 0 && alpha <= 1))
            throw new IllegalArgumentException("ground-truth mixing weight alpha must lie in [0, 1], got " + alpha);
        if (projection == null) throw new IllegalArgumentException("projection kind must be given");
        if (projectionDim < 0)
            throw new IllegalArgumentException("projection dimension must be >= 1 (or 0 for the student layer's width), got "
                    + projectionDim);
        if (stageLoss == null) throw new IllegalArgumentException("stage loss must be given");
        if (trainedLayers == null) throw new IllegalArgumentException("trained layers must be given");
        if (stageLength == null) throw new IllegalArgumentException("stage length must be given");
        if (!(speed > 0) || !Double.isFinite(speed))
            throw new IllegalArgumentException("progressive checkpoint speed must be a finite number > 0, got " + speed);
        if (standardizeSamples < 2)
            throw new IllegalArgumentException("standardization needs >= 2 samples, got " + standardizeSamples);
        stages = stages == null ? new int[0] : stages.clone();
        layerMap = layerMap == null ? new int[0] : layerMap.clone();
        for (int i = 0; i < stages.length; i++) {
            if (stages[i] < 1)
                throw new SettingException("stages are student hidden layers numbered from 1, got " + stages[i],
                        Setting.STAGES);
            if (i > 0 && stages[i] <= stages[i - 1])
                throw new SettingException("stages must be strictly increasing (shallow to deep), got "
                        + Arrays.toString(stages), Setting.STAGES);
        }
        for (int t : layerMap)
            if (t < 1) throw new SettingException("layer map entries are teacher hidden layers numbered from 1, got "
                    + Arrays.toString(layerMap), Setting.LAYER_MAP);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults for {@code method}. */
    public static DistillSettings of(Method method) {
        return builder().method(method).build();
    }

    /** These options under another method. */
    public DistillSettings forMethod(Method m) {
        return toBuilder().method(m).build();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return builder().method(method).temperature(temperature).hardLabels(hardLabels).alpha(alpha)
                .projection(projection).projectionDim(projectionDim).adapter(adapter).stageLoss(stageLoss)
                .stages(stages).layerMap(layerMap).trainedLayers(trainedLayers).stageLength(stageLength).speed(speed)
                .standardizeSamples(standardizeSamples);
    }

    @Override
    public int[] stages() {
        return stages.clone();
    }

    @Override
    public int[] layerMap() {
        return layerMap.clone();
    }

    /** The settings as written to config.json / summary.json (snake_case keys). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method.id());
        m.put("temperature", temperature);
        m.put("hard_labels", hardLabels);
        m.put("alpha", alpha);
        if (method == Method.EXTRACT) {
            m.put("projection", projection.id());
            m.put("projection_dim", projectionDim == 0 ? "student width" : projectionDim);
            m.put("adapter", adapter);
            m.put("stage_loss", stageLoss.id());
            m.put("stages", stages.length == 0 ? "all" : Arrays.stream(stages).boxed().toList());
            m.put("layer_map", layerMap.length == 0 ? "default" : Arrays.stream(layerMap).boxed().toList());
            m.put("trained_layers", trainedLayers.id());
            m.put("stage_length", stageLength.describe());
            m.put("standardize_samples", standardizeSamples);
        }
        if (method == Method.PROGRESSIVE) m.put("speed", speed);
        return m;
    }

    /** Mutable builder holding the defaults. */
    public static final class Builder {
        private Method method = Method.EXTRACT;
        private double temperature = 1;
        private boolean hardLabels;
        private double alpha;
        private Projection.Kind projection = Projection.Kind.GAUSSIAN;
        private int projectionDim;
        private boolean adapter;
        private StageLoss stageLoss = StageLoss.MSE;
        private int[] stages = new int[0];
        private int[] layerMap = new int[0];
        private TrainedLayers trainedLayers = TrainedLayers.PREFIX;
        private StageLength stageLength = StageLength.defaults();
        private double speed = 1;
        private int standardizeSamples = DEFAULT_STANDARDIZE_SAMPLES;

        public Builder method(Method v) { method = v; return this; }
        public Builder temperature(double v) { temperature = v; return this; }
        public Builder hardLabels(boolean v) { hardLabels = v; return this; }
        public Builder alpha(double v) { alpha = v; return this; }
        public Builder projection(Projection.Kind v) { projection = v; return this; }
        /** 0: the student layer's width. */
        public Builder projectionDim(int v) { projectionDim = v; return this; }
        public Builder adapter(boolean v) { adapter = v; return this; }
        public Builder stageLoss(StageLoss v) { stageLoss = v; return this; }
        /** Student hidden layers to run projection stages for, increasing; empty: all. */
        public Builder stages(int... v) { stages = v; return this; }
        /** Teacher hidden layer per student hidden layer (or per selected stage); empty: the default map. */
        public Builder layerMap(int... v) { layerMap = v; return this; }
        public Builder trainedLayers(TrainedLayers v) { trainedLayers = v; return this; }
        public Builder stageLength(StageLength v) { stageLength = v; return this; }
        public Builder speed(double v) { speed = v; return this; }
        public Builder standardizeSamples(int v) { standardizeSamples = v; return this; }

        public DistillSettings build() {
            return new DistillSettings(method, temperature, hardLabels, alpha, projection, projectionDim, adapter,
                    stageLoss, stages, layerMap, trainedLayers, stageLength, speed, standardizeSamples);
        }
    }
}
