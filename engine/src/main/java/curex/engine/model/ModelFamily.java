// The model families curex builds, keyed by the format tag checkpoints record in their metadata.
package curex.engine.model;

import curex.engine.nn.MlpConfig;
import curex.engine.nn.TransformerConfig;

import java.util.Map;
import java.util.function.Function;

/** Each family reads its config back from checkpoint metadata; {@code format} is the metadata's format tag. */
public enum ModelFamily {
    MLP("curex.mlp", MlpConfig::fromMetadata),
    TRANSFORMER("curex.transformer", TransformerConfig::fromMetadata);

    /** The metadata key of the format tag. */
    public static final String KEY = "format";

    private final String format;
    private final Function<Map<String, String>, ModelConfig> reader;

    ModelFamily(String format, Function<Map<String, String>, ModelConfig> reader) {
        this.format = format;
        this.reader = reader;
    }

    public String format() {
        return format;
    }

    /** The config recorded in checkpoint metadata; an IllegalArgumentException saying what is missing or wrong. */
    public static ModelConfig configOf(Map<String, String> meta) {
        String tag = meta.get(KEY);
        if (tag == null)
            throw new IllegalArgumentException("not a curex model: metadata has no '" + KEY + "' entry naming its family");
        for (ModelFamily f : values()) if (f.format.equals(tag)) return f.reader.apply(meta);
        throw new IllegalArgumentException("unknown model format '" + tag + "' in metadata '" + KEY + "'");
    }
}
