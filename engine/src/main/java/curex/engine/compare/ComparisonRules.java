// How a comparison shares its teacher, sets the students' target, and at which steps its report lists accuracy.
package curex.engine.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sharedTeacher}: one teacher, trained with the first seed, serves every seed (its runs read it from
 * {@code teacher/}), instead of one teacher per seed. {@code targetBelowTeacher}: when not NaN, a student's target is
 * its teacher's final held-out accuracy minus this (0.02: two points below the teacher), replacing the student's own
 * target. {@code accuracyAt}: the steps at which the report lists each method's held-out accuracy (the papers' table
 * form); the students should be evaluated at those steps.
 */
public record ComparisonRules(boolean sharedTeacher, double targetBelowTeacher, List<Long> accuracyAt) {

    public ComparisonRules {
        if (!Double.isNaN(targetBelowTeacher) && !(targetBelowTeacher >= 0 && targetBelowTeacher < 1))
            throw new IllegalArgumentException("target below the teacher must lie in [0, 1), got " + targetBelowTeacher);
        accuracyAt = List.copyOf(accuracyAt);
        for (int i = 0; i < accuracyAt.size(); i++)
            if (accuracyAt.get(i) < 1 || (i > 0 && accuracyAt.get(i) <= accuracyAt.get(i - 1)))
                throw new IllegalArgumentException("accuracy steps must be positive and increasing, got " + accuracyAt);
    }

    /** A teacher per seed, the student's own target, no accuracy-at-steps table. */
    public static ComparisonRules standard() {
        return new ComparisonRules(false, Double.NaN, List.of());
    }

    public boolean targetFromTeacher() {
        return !Double.isNaN(targetBelowTeacher);
    }

    /** The student target for a teacher whose final held-out accuracy is {@code teacherAccuracy}. */
    public double studentTarget(double teacherAccuracy) {
        if (!targetFromTeacher()) throw new IllegalStateException("these rules keep the student's own target");
        double t = teacherAccuracy - targetBelowTeacher;
        if (!(t > 0)) throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                "the teacher's accuracy %.4f leaves no target %.2f below it: train the teacher longer "
                        + "(--teacher-steps), or set the students' target with --target", teacherAccuracy,
                targetBelowTeacher));
        return Math.min(1, t);
    }

    /** These rules with the students' own target (a --target given) instead of one below the teacher's accuracy. */
    public ComparisonRules withOwnTarget() {
        return new ComparisonRules(sharedTeacher, Double.NaN, accuracyAt);
    }

    public ComparisonRules withSharedTeacher(boolean v) {
        return new ComparisonRules(v, targetBelowTeacher, accuracyAt);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shared_teacher", sharedTeacher);
        m.put("target_below_teacher", targetFromTeacher() ? targetBelowTeacher : null);
        m.put("accuracy_at", new ArrayList<>(accuracyAt));
        return m;
    }
}
