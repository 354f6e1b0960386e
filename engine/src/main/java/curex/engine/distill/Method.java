// The four ways a student can learn: ground truth only, one-shot KD, progressive KD, curriculum extraction.
package curex.engine.distill;

import curex.engine.settings.Choice;

/**
 * {@code ce}: cross-entropy on ground-truth labels, no teacher. {@code oneshot}: KD on the final teacher's outputs
 * for the whole budget. {@code progressive}: KD on the teacher's intermediate checkpoints, then the final teacher.
 * {@code extract}: projection stages on the final teacher's hidden layers, then KD on its outputs.
 */
public enum Method {
    CE, ONESHOT, PROGRESSIVE, EXTRACT;

    /** Parses "ce", "oneshot", "progressive" or "extract" (any case). */
    public static Method parse(String word) {
        return Choice.parse(Method.class, "distillation method", word);
    }

    /** The lower-case name as typed and written to results. */
    public String id() {
        return Choice.id(this);
    }

    @Override
    public String toString() {
        return id();
    }

    /** Whether the method reads a teacher run. */
    public boolean needsTeacher() {
        return this != CE;
    }
}
