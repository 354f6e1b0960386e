// AdamW and SGD on the flat buffer: values against the PyTorch formulas, sub-range steps, per-tensor step counts.
package curex.engine.optim;

import curex.engine.nn.ParamRange;
import curex.engine.nn.Parameters;
import curex.kernels.Backend;
import curex.engine.TestBackends;
import curex.engine.autograd.Tape;
import curex.engine.loss.Losses;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.engine.train.Objective;
import curex.engine.train.StepResult;
import curex.engine.train.TrainStep;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OptimizerTest {
    private final Backend be = TestBackends.open();

    /** Two "layers": a.weight (2, 3), a.bias (2), b.weight (1, 2), b.bias (1): N = 11 floats, b from 8. */
    private static final int N = 11, B = 8;
    private Parameters params(long seed) {
        Parameters p = Parameters.builder().add("a.weight", 2, 3).add("a.bias", 2).add("b.weight", 1, 2)
                .add("b.bias", 1).build(be);
        be.fillUniform(p.values(), -1, 1, seed);
        return p;
    }

    private void setGrads(Parameters p, long seed) {
        be.fillUniform(p.grads(), -1, 1, seed);
    }

    @Test
    void adamwMatchesFormulaOverTwoSteps() {
        Parameters p = params(1);
        AdamW.Config c = new AdamW.Config(0.9f, 0.95f, 1e-8f, 0.1f);
        AdamW opt = new AdamW(p, c);
        double[] x = toDouble(p.valuesToHost()), m = new double[N], v = new double[N];
        float lr = 0.01f;
        for (int t = 1; t <= 2; t++) {
            setGrads(p, 10 + t);
            float[] g = p.gradsToHost();
            opt.step(lr);
            for (int i = 0; i < N; i++) {
                x[i] *= 1 - lr * 0.1;
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.95 * v[i] + 0.05 * g[i] * g[i];
                x[i] -= lr * (m[i] / (1 - Math.pow(0.9, t))) / (Math.sqrt(v[i] / (1 - Math.pow(0.95, t))) + 1e-8);
            }
        }
        float[] got = p.valuesToHost();
        for (int i = 0; i < N; i++) assertEquals(x[i], got[i], 1e-6);
    }

    @Test
    void subRangeStepLeavesTheRestAndCountsPerTensor() {
        Parameters p = params(2), fresh = params(2);
        AdamW opt = new AdamW(p, AdamW.Config.defaults());
        ParamRange first = new ParamRange(0, p.entry("a.bias").range().to());
        for (int s = 0; s < 3; s++) {
            setGrads(p, 20 + s);
            float[] before = p.valuesToHost();
            opt.step(0.1f, first);
            float[] after = p.valuesToHost();
            for (int i = B; i < N; i++) assertEquals(before[i], after[i]);      // layer b untouched
            assertNotEquals(before[0], after[0]);
        }
        // now everything: layer b's first update must be a first update (bias correction at step 1)
        setGrads(p, 30);
        fresh.loadValues(p.valuesToHost());
        be.copy(p.grads(), fresh.grads());
        opt.step(0.1f);
        new AdamW(fresh, AdamW.Config.defaults()).step(0.1f);
        float[] got = p.valuesToHost(), want = fresh.valuesToHost();
        for (int i = B; i < N; i++) assertEquals(want[i], got[i]);
        assertArrayEquals(new long[]{4, 4, 1, 1}, opt.exportState().steps());
        assertThrows(IllegalArgumentException.class, () -> opt.step(0.1f, new ParamRange(0, 5)));
    }

    @Test
    void stateRoundTrip() {
        Parameters p = params(3), q = params(3);
        AdamW a = new AdamW(p, AdamW.Config.defaults()), b = new AdamW(q, AdamW.Config.defaults());
        setGrads(p, 40);
        a.step(0.05f);
        b.importState(a.exportState());
        q.loadValues(p.valuesToHost());
        setGrads(p, 41);
        setGrads(q, 41);
        a.step(0.05f);
        b.step(0.05f);
        assertArrayEquals(p.valuesToHost(), q.valuesToHost());
        assertEquals(a.exportState(), b.exportState());
        assertThrows(IllegalArgumentException.class, () -> new Sgd(q, 0.9f, 0).importState(a.exportState()));
    }

    @Test
    void sgdMomentumMatchesFormula() {
        Parameters p = params(4);
        Sgd opt = new Sgd(p, 0.9f, 0.01f);
        double[] x = toDouble(p.valuesToHost()), vel = new double[N];
        for (int t = 0; t < 3; t++) {
            setGrads(p, 50 + t);
            float[] g = p.gradsToHost();
            opt.step(0.1f);
            for (int i = 0; i < N; i++) {
                vel[i] = 0.9 * vel[i] + g[i] + 0.01 * x[i];
                x[i] -= 0.1 * vel[i];
            }
        }
        float[] got = p.valuesToHost();
        for (int i = 0; i < N; i++) assertEquals(x[i], got[i], 1e-5);
    }

    @Test
    void schedules() {
        LrSchedule s = LrSchedule.warmupCosine(1f, 4, 14, 0.1f);
        assertEquals(0.25f, s.at(0), 1e-7);
        assertEquals(1f, s.at(3), 1e-7);
        assertEquals(1f, s.at(4), 1e-7);
        assertEquals(0.55f, s.at(9), 1e-6);     // half way: floor + (peak - floor) / 2
        assertEquals(0.1f, s.at(14), 1e-7);
        assertEquals(0.1f, s.at(100), 1e-7);
        assertEquals(0.3f, LrSchedule.constant(0.3f).at(12345));
    }

    /** loss = 3 w0 + 4 w1 over two parameters: gradient (3, 4), norm 5; SGD with lr 1 moves w by the clipped gradient. */
    @Test
    void clipping() {
        Parameters p = Parameters.builder().add("w", 2).build(be);
        float[] coef = {3, 4};
        try (Sgd sgd = new Sgd(p, 0f, 0f); TrainStep step = new TrainStep(new ExecContext(be), sgd, 1f);
             Tensor c = Tensor.fromHost(be, coef, 2)) {
            Objective linear = new Objective() {
                @Override
                public Tensor loss(Tape tape, long s) {
                    return curex.engine.autograd.Ops.sum(tape, curex.engine.autograd.Ops.mul(tape, p.get("w"), c));
                }

                @Override
                public int batchSize() {
                    return 1;
                }
            };
            StepResult r = step.run(linear, 0, 1f);
            assertEquals(5f, r.gradNorm(), 1e-6);                     // the norm before clipping
            assertArrayEquals(new float[]{-0.6f, -0.8f}, p.valuesToHost(), 1e-5f);   // moved by (3, 4) / 5
            try (TrainStep loose = new TrainStep(new ExecContext(be), sgd, 10f)) {
                StepResult under = loose.run(linear, 1, 1f);
                assertEquals(5f, under.gradNorm(), 1e-6);
                assertArrayEquals(new float[]{-3.6f, -4.8f}, p.valuesToHost(), 1e-5f);   // under the limit: unchanged
            }
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
