// One planned projection stage: which student and teacher layers, their widths, the projection size and length.
package curex.engine.distill;

/**
 * Stage j: student hidden layer {@code studentLayer} (width dS) learns the projection of teacher hidden layer
 * {@code teacherLayer} (width dT) to {@code projectionDim} (dP) dimensions, for at most {@code maxSteps} steps.
 */
public record StageSpec(int studentLayer, int teacherLayer, int studentWidth, int teacherWidth, int projectionDim,
                        StageLength length, long maxSteps) {

    /** "project-j". */
    public String name() {
        return "project-" + studentLayer;
    }
}
