// A value the engine refuses, naming the settings it is about, so that a front end can point at its own options.
package curex.engine.settings;

import java.util.List;

/**
 * An {@link IllegalArgumentException} that says which settings a refusal is about (a transformer's heads that do not
 * divide its width: {@link Setting#HEADS}), so that the command line names its option without reading the message.
 */
public final class SettingException extends IllegalArgumentException {
    /** The settings a refusal can name. */
    public enum Setting {
        HIDDEN, D_MODEL, HEADS, LAYERS, MLP_RATIO, STAGES, LAYER_MAP, ADAPTER, PROJECTION, PROJECTION_DIM, STAGE_LENGTH,
        STEPS, SEQ_LEN
    }

    private final List<Setting> settings;

    /** A refusal about {@code settings} (at least one), in the order a user would look at them. */
    public SettingException(String message, Setting... settings) {
        super(message);
        if (settings.length == 0) throw new IllegalArgumentException("a setting refusal names at least one setting");
        this.settings = List.of(settings);
    }

    public List<Setting> settings() {
        return settings;
    }
}
