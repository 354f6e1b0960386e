// One arm of a comparison: a method with its settings, under the name its runs and report rows carry.
package curex.engine.compare;

import curex.engine.distill.DistillSettings;
import curex.engine.distill.Method;

/**
 * A comparison's arms are usually the four methods with the preset's options ({@link #of}); a sweep makes many arms of
 * one method with different settings ("extract-100-last-noadapter"). {@code id} names the run folders
 * ({@code seed-s/<id>}) and the report's rows; it must be a plain file name.
 */
public record Variant(String id, Method method, DistillSettings settings) {

    public Variant {
        if (id == null || !id.matches("[a-z0-9][a-z0-9.-]*"))
            throw new IllegalArgumentException("a variant id is lower-case letters, digits, '.' and '-': got '" + id + "'");
        if (id.equals(PlannedRun.TEACHER)) throw new IllegalArgumentException("'teacher' names the teacher's run");
        if (method == null || settings == null) throw new IllegalArgumentException("variant " + id + ": method and settings");
        settings = settings.forMethod(method);
    }

    /** The method under its own id with the preset's options. */
    public static Variant of(Preset preset, Method method) {
        return new Variant(method.id(), method, preset.settingsFor(method));
    }
}
