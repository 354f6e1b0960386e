// A projection stage's trainable linear adapter dS -> dP with its own parameters and optimizer, dropped after the stage.
package curex.engine.distill;

import curex.engine.autograd.Activation;
import curex.engine.nn.Linear;
import curex.engine.nn.Parameters;
import curex.engine.optim.Optimizer;
import curex.kernels.Backend;

import java.util.function.Function;

/**
 * {@code adapter.weight} (dP, dS) and {@code adapter.bias} (dP) in a small Parameters buffer of their own, with an
 * optimizer of the student's kind and hyperparameters. Initialised as PyTorch initialises a Linear (uniform
 * +-1/sqrt(dS), as the prototype's nn.Linear), not as the identity: the target z is standardized (mean 0, std 1)
 * while hS is a post-activation, so the identity is no better a start, and it would need dP = dS.
 */
final class Adapter implements AutoCloseable {
    private final Parameters params;
    private final Linear linear;
    private final Optimizer optimizer;

    Adapter(Backend backend, int in, int out, long seed, Function<Parameters, Optimizer> optimizerFactory) {
        Parameters.Builder b = Parameters.builder();
        Linear.declare(b, "adapter", in, out);
        this.params = b.build(backend);
        this.linear = new Linear(params, "adapter", Activation.NONE);
        linear.initialize(seed);
        this.optimizer = optimizerFactory.apply(params);
    }

    Linear linear() {
        return linear;
    }

    Optimizer optimizer() {
        return optimizer;
    }

    Parameters parameters() {
        return params;
    }

    @Override
    public void close() {
        optimizer.close();
        params.close();
    }
}
