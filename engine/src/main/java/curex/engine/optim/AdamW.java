// AdamW with PyTorch semantics over a flat parameter buffer, moments in the same layout.
package curex.engine.optim;

import curex.engine.nn.ParamRange;
import curex.engine.nn.Parameters;
import curex.kernels.Backend;
import curex.kernels.Buffer;

import java.util.LinkedHashMap;
import java.util.Map;

/** Decoupled-weight-decay Adam; one {@link Backend#adamwStep} per step (per run of equal step counts). */
public final class AdamW implements Optimizer {

    /** Hyperparameters; {@link #defaults()} are PyTorch's. */
    public record Config(float beta1, float beta2, float eps, float weightDecay) {
        public Config {
            if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1))
                throw new IllegalArgumentException("AdamW betas must lie in [0, 1), got " + beta1 + ", " + beta2);
            if (!(eps > 0)) throw new IllegalArgumentException("AdamW eps must be > 0, got " + eps);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        }

        public static Config defaults() {
            return new Config(0.9f, 0.999f, 1e-8f, 0.01f);
        }
    }

    private final Parameters params;
    private final Config config;
    private final Buffer m;
    private final Buffer v;
    private final StepCounts counts;

    public AdamW(Parameters params, Config config) {
        this.params = params;
        this.config = config;
        Backend be = params.backend();
        this.m = be.allocate(params.count());
        this.v = be.allocate(params.count());
        this.counts = new StepCounts(params);
    }

    @Override
    public Parameters parameters() {
        return params;
    }

    public Config config() {
        return config;
    }

    @Override
    public void step(float lr, ParamRange range) {
        Backend be = params.backend();
        counts.forEachRun(range, (r, done) -> be.adamwStep(params.values(r), params.grads(r),
                m.span(r.from(), r.length()), v.span(r.from(), r.length()), lr, config.beta1, config.beta2,
                config.eps, config.weightDecay, done + 1));
    }

    @Override
    public void reset() {
        params.backend().fill(m.all(), 0f);
        params.backend().fill(v.all(), 0f);
        counts.reset();
    }

    @Override
    public OptimizerState exportState() {
        Map<String, float[]> b = new LinkedHashMap<>();
        b.put("m", host(m));
        b.put("v", host(v));
        return new OptimizerState("adamw", b, counts.export());
    }

    @Override
    public void importState(OptimizerState state) {
        if (!"adamw".equals(state.kind()))
            throw new IllegalArgumentException("cannot restore an AdamW optimizer from " + state.kind() + " state");
        load(state.buffer("m"), m);
        load(state.buffer("v"), v);
        counts.restore(state.steps());
    }

    private float[] host(Buffer b) {
        float[] out = new float[Math.toIntExact(b.length())];
        params.backend().copyToHost(b.all(), out, 0);
        return out;
    }

    private void load(float[] data, Buffer b) {
        if (data.length != b.length())
            throw new IllegalArgumentException("optimizer buffer of " + data.length + " floats for "
                    + b.length() + " parameters");
        params.backend().copyFromHost(data, 0, b.all());
    }

    @Override
    public void close() {
        m.close();
        v.close();
    }
}
