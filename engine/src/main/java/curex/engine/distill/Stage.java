// One stage of a distillation run as the loop sees it: its objective, what it trains, when it ends, what it frees.
package curex.engine.distill;

import curex.engine.train.Objective;
import curex.engine.train.ParamGroup;

import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * {@code label} names the stage for step s (a progressive stage is named after the teacher of step s);
 * {@code adapter} is the stage's own trained map (or null), saved with checkpoints; {@code resources} (targets,
 * adapters) are closed when the stage ends.
 */
record Stage(LongFunction<String> label, Objective objective, List<ParamGroup> groups, End end, Adapter adapter,
             List<AutoCloseable> resources) {

    /** Decides after each step of a stage, given its step count so far (from 1) and the step's loss, that it is over. */
    interface End {
        boolean done(long stepsInStage, float loss);

        /** What a resumed run needs to continue this rule (an adaptive rule's windows); empty for a pure rule. */
        default Map<String, String> state() {
            return Map.of();
        }

        default void restore(Map<String, String> state) {
        }

        /** Why the stage ended, once {@link #done} has said so: the rule and the statistic that triggered it. */
        default Map<String, Object> reason() {
            return Map.of("rule", "length");
        }

        /** The last stage: runs until the budget ends. */
        static End never() {
            return (n, loss) -> false;
        }

        /** After a fixed number of steps. */
        static End after(long steps) {
            return new End() {
                @Override
                public boolean done(long n, float loss) {
                    return n >= steps;
                }

                @Override
                public Map<String, Object> reason() {
                    return Map.of("rule", "length", "steps", steps);
                }
            };
        }

        /**
         * The end rule of {@code length} in a run of {@code budget} steps: fixed or fraction -> after {@code maxSteps};
         * adaptive -> on a plateau; auto -> {@link AutoStageEnd}.
         */
        static End of(StageLength length, long maxSteps, long budget) {
            return switch (length.kind()) {
                case ADAPTIVE -> new PlateauDetector(length);
                case AUTO -> new AutoStageEnd(StageLength.windowFor(budget), length.minImprovement(), length.patience(),
                        maxSteps);
                default -> after(maxSteps);
            };
        }
    }

    static Stage of(String name, Objective objective, List<ParamGroup> groups) {
        return new Stage(s -> name, objective, groups, End.never(), null, List.of());
    }
}
