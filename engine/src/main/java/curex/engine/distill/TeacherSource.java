// Which teacher a KD step distils from: always the final one, or a checkpoint chosen by the student's step.
package curex.engine.distill;

/** The teacher for student step {@code step}, and a short label of it for stage names. */
interface TeacherSource {
    TeacherModel at(long step);

    /** "final", or "step-N" for a checkpoint; a pure function of the step. */
    String label(long step);

    /** One fixed teacher. */
    static TeacherSource fixed(TeacherModel teacher) {
        return new TeacherSource() {
            @Override
            public TeacherModel at(long step) {
                return teacher;
            }

            @Override
            public String label(long step) {
                return "final";
            }
        };
    }
}
