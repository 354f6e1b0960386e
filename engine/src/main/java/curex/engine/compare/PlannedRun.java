// One run of a comparison: a seed's teacher, or one method's student for a seed.
package curex.engine.compare;

import curex.engine.distill.DistillSettings;
import curex.engine.distill.Method;
import curex.engine.distill.StudentTraining;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@code method} is null for the teacher run. {@code dir} is relative to the comparison folder
 * ({@code seed-<s>/teacher}, {@code seed-<s>/<method>}). {@code settings} is what the run records in its
 * summary.json; a run whose recorded settings equal these is finished and is not run again. {@code distill} is
 * null for the teacher; {@code teacherDir} is null for runs that read no teacher.
 */
public record PlannedRun(long seed, Method method, Path dir, StudentTraining training, DistillSettings distill,
                         Path teacherDir, long checkpointEvery, Map<String, Object> settings) {

    public static final String TEACHER = "teacher";

    public boolean isTeacher() {
        return method == null;
    }

    /** "teacher" or the method's id. */
    public String role() {
        return method == null ? TEACHER : method.id();
    }

    /** "seed 0 extract". */
    public String label() {
        return "seed " + seed + " " + role();
    }
}
