// One optimizer and the range of its parameters a step updates (e.g. student layers 1..j, or a stage's adapter).
package curex.engine.train;

import curex.engine.nn.ParamRange;
import curex.engine.optim.Optimizer;

/** What a step trains: {@code optimizer} updates {@code range} of its parameters. */
public record ParamGroup(Optimizer optimizer, ParamRange range) {

    /** All parameters of the optimizer. */
    public static ParamGroup all(Optimizer optimizer) {
        return new ParamGroup(optimizer, optimizer.parameters().all());
    }
}
