// Which command-line options set each engine setting, so that the engine's refusals name the options to change.
package curex.cli;

import curex.engine.settings.SettingException;
import curex.engine.settings.SettingException.Setting;

import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The option of each {@link Setting}, and usage messages that start with the options a refusal is about. */
final class SettingOptions {
    private static final Map<Setting, String> OPTION = new EnumMap<>(Map.ofEntries(
            Map.entry(Setting.HIDDEN, "--hidden"), Map.entry(Setting.D_MODEL, "--d-model"),
            Map.entry(Setting.HEADS, "--heads"),
            Map.entry(Setting.LAYERS, "--layers"), Map.entry(Setting.MLP_RATIO, "--mlp-ratio"),
            Map.entry(Setting.STAGES, "--stages"), Map.entry(Setting.LAYER_MAP, "--layer-map"),
            Map.entry(Setting.ADAPTER, "--adapter"), Map.entry(Setting.PROJECTION, "--projection"),
            Map.entry(Setting.PROJECTION_DIM, "--projection-dim"), Map.entry(Setting.STAGE_LENGTH, "--stage-length"),
            Map.entry(Setting.STEPS, "--steps"), Map.entry(Setting.SEQ_LEN, "--seq-len")));

    private SettingOptions() {
    }

    /** The option that sets {@code s}. */
    static String of(Setting s) {
        return OPTION.get(s);
    }

    /**
     * {@code e}'s message after the options it is about ("--heads: transformer: 6 heads do not divide ..."), or after
     * {@code otherwise} when it names no setting (the message alone when {@code otherwise} is null).
     */
    static String prefixed(IllegalArgumentException e, String otherwise) {
        String options = e instanceof SettingException s
                ? s.settings().stream().map(SettingOptions::of).collect(Collectors.joining("/")) : otherwise;
        return options == null ? e.getMessage() : options + ": " + e.getMessage();
    }
}
