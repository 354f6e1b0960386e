// Which teacher a KD step distils from: always the final one, or a checkpoint chosen by the student's step.
package curex.engine.distill;

/** The teacher for student step {@code step}, and a short label of it for stage names. */
interface TeacherSource {
    /** The label of the final teacher. */
    String FINAL = "final";

    TeacherModel at(long step);

    /** {@link #FINAL}, or "step-N" for a checkpoint; a pure function of the step. */
    String label(long step);

    /** Whether step {@code step} distils from the final teacher (whose outputs other runs may share). */
    default boolean isFinal(long step) {
        return FINAL.equals(label(step));
    }

    /** One fixed teacher. */
    static TeacherSource fixed(TeacherModel teacher) {
        return new TeacherSource() {
            @Override
            public TeacherModel at(long step) {
                return teacher;
            }

            @Override
            public String label(long step) {
                return FINAL;
            }
        };
    }
}
