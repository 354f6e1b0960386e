// SGD with momentum and weight decay (PyTorch semantics) over a flat parameter buffer.
package curex.engine.optim;

import curex.engine.nn.ParamRange;
import curex.engine.nn.Parameters;
import curex.kernels.Backend;
import curex.kernels.Buffer;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code g' = g + wd p; v = mu v + g'; p -= lr v}: one {@link Backend#sgdStep} per step. */
public final class Sgd implements Optimizer {
    private final Parameters params;
    private final float momentum;
    private final float weightDecay;
    private final Buffer velocity;     // null when momentum == 0
    private final StepCounts counts;

    public Sgd(Parameters params, float momentum, float weightDecay) {
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must lie in [0, 1), got " + momentum);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        this.params = params;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.velocity = momentum == 0 ? null : params.backend().allocate(params.count());
        this.counts = new StepCounts(params);
    }

    @Override
    public Parameters parameters() {
        return params;
    }

    @Override
    public void step(float lr, ParamRange range) {
        counts.forEachRun(range, (r, done) -> params.backend().sgdStep(params.values(r), params.grads(r),
                velocity == null ? null : velocity.span(r.from(), r.length()), lr, momentum, weightDecay));
    }

    @Override
    public void reset() {
        if (velocity != null) params.backend().fill(velocity.all(), 0f);
        counts.reset();
    }

    @Override
    public OptimizerState exportState() {
        Map<String, float[]> b = new LinkedHashMap<>();
        if (velocity != null) {
            float[] v = new float[Math.toIntExact(velocity.length())];
            params.backend().copyToHost(velocity.all(), v, 0);
            b.put("velocity", v);
        }
        return new OptimizerState("sgd", b, counts.export());
    }

    @Override
    public void importState(OptimizerState state) {
        if (!"sgd".equals(state.kind()))
            throw new IllegalArgumentException("cannot restore an SGD optimizer from " + state.kind() + " state");
        if (velocity != null) {
            float[] v = state.buffer("velocity");
            if (v.length != velocity.length())
                throw new IllegalArgumentException("velocity of " + v.length + " floats for " + velocity.length()
                        + " parameters");
            params.backend().copyFromHost(v, 0, velocity.all());
        }
        counts.restore(state.steps());
    }

    @Override
    public void close() {
        if (velocity != null) velocity.close();
    }
}
