// One run of a comparison: a seed's teacher, or one method's student for a seed, and whether it already finished.
package curex.engine.compare;

import curex.engine.distill.DistillSettings;
import curex.engine.distill.Method;
import curex.engine.io.Json;
import curex.engine.io.RunLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * {@code method} is null for the teacher run; {@code role} is "teacher" or the arm's id ({@link Variant#id()}). {@code dir} is relative to the comparison folder
 * ({@code seed-<s>/teacher}, {@code seed-<s>/<method>}). {@code settings} is what the run records in its
 * summary.json; a run whose recorded settings equal these is finished and is not run again. {@code distill} is
 * null for the teacher; {@code teacherDir} is null for runs that read no teacher.
 */
public record PlannedRun(long seed, Method method, String role, Path dir, RunSpec spec, DistillSettings distill,
                         Path teacherDir, long checkpointEvery, Map<String, Object> settings) {

    public static final String TEACHER = "teacher";
    /** The summary.json key holding a run's settings. */
    public static final String SETTINGS = "settings";
    /** The stop reason of a run stopped before its end (Ctrl-C, a kill): not finished, whatever its summary says. */
    static final String INTERRUPTED = "interrupted";

    public boolean isTeacher() {
        return method == null;
    }


    /** "seed 0 extract". */
    public String label() {
        return "seed " + seed + " " + role();
    }

    /**
     * The run's summary when its folder under {@code root} holds this run finished: summary.json is written last,
     * with the settings under {@value #SETTINGS}; a folder without it, with one of an interrupted run, with a damaged one, or
     * with other settings is not finished.
     */
    public Optional<Map<String, Object>> finished(Path root) throws IOException {
        Path file = new RunLayout(root.resolve(dir)).summary();
        if (!Files.isRegularFile(file)) return Optional.empty();
        Map<String, Object> summary;
        try {
            summary = Json.readMap(file);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!(summary.get(SETTINGS) instanceof Map<?, ?> recorded)) return Optional.empty();
        if (INTERRUPTED.equals(summary.get("stop_reason"))) return Optional.empty();   // it continues from its checkpoint
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) recorded;
        return SettingsDiff.same(r, settings) ? Optional.of(summary) : Optional.empty();
    }

    /** This student run with its target set to {@code target} (in its spec and its recorded settings). */
    public PlannedRun withStudentTarget(double target) {
        if (isTeacher()) throw new IllegalStateException("the teacher's target is its own");
        var t = spec.training();
        var e = t.eval();
        RunSpec s = new RunSpec(spec.model(), t.toBuilder().eval(new curex.engine.settings.EvalSettings(e.every(), e.size(),
                target, e.stopAtTarget())).build());
        Map<String, Object> recorded = new java.util.LinkedHashMap<>(settings);
        recorded.put("student", s.toMap(true));
        return new PlannedRun(seed, method, role, dir, s, distill, teacherDir, checkpointEvery, recorded);
    }
}
