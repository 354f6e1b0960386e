// Decides after each step whether the current stage is over: after fixed steps, or when its loss plateaus.
package curex.engine.distill;

/** Fed every step of a stage with the step count so far (from 1) and the step's loss. */
interface StageEnd {
    boolean done(long stepsInStage, float loss);

    /** The last stage: runs until the budget ends. */
    static StageEnd never() {
        return (n, loss) -> false;
    }

    static StageEnd after(long steps) {
        return (n, loss) -> n >= steps;
    }

    /** The end rule of {@code length}: fixed or fraction -> after {@code maxSteps}; adaptive -> a plateau detector. */
    static StageEnd of(StageLength length, long maxSteps) {
        return length.kind() == StageLength.Kind.ADAPTIVE ? new PlateauDetector(length) : after(maxSteps);
    }
}
