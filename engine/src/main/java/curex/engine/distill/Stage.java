// One stage of a run as the loop sees it: its objective, what it trains, when it ends, what it frees at its end.
package curex.engine.distill;

import curex.engine.train.Objective;
import curex.engine.train.ParamGroup;

import java.util.List;
import java.util.function.LongFunction;

/**
 * {@code label} names the stage for step s (a progressive stage is named after the teacher of step s);
 * {@code resources} (targets, adapters) are closed when the stage ends.
 */
record Stage(LongFunction<String> label, Objective objective, List<ParamGroup> groups, StageEnd end,
             List<AutoCloseable> resources) {

    static Stage of(String name, Objective objective, List<ParamGroup> groups) {
        return new Stage(s -> name, objective, groups, StageEnd.never(), List.of());
    }
}
