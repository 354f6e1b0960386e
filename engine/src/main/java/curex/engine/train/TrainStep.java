// One optimisation step: forward and loss, backward, one host read (loss and gradient norms), NaN guard, clip, update.
package curex.engine.train;

import curex.engine.autograd.Arena;
import curex.engine.autograd.Tape;
import curex.engine.nn.ParamRange;
import curex.engine.nn.Parameters;
import curex.engine.optim.Optimizer;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.kernels.Buffer;
import curex.kernels.Span;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs training steps cheaply in a loop: the tape's arena is kept across calls, so after the first step no buffer is
 * allocated, and gradients are not zero-filled (see {@link Parameters#invalidateGrads()}). The loss and each group's
 * squared gradient norm are gathered on the device and read in one device-to-host copy per step, so a device backend
 * stalls once. Both are checked before any update: a non-finite value, or a loss over a million times the run's first
 * one, raises {@link DivergenceException} with the parameters untouched.
 * optimizer) can be stepped together; clipping (PyTorch's clip_grad_norm_) then uses their joint norm.
 */
public final class TrainStep implements AutoCloseable {
    /** Most parameter groups one step updates. */
    private static final int MAX_GROUPS = 8;
    /** A loss this many times above the run's first one (and above 1) has exploded, NaN or not. */
    static final double EXPLOSION = 1e6;

    private final ExecContext ctx;
    private final Optimizer optimizer;
    private final List<ParamGroup> defaultGroups;
    private final Arena arena;
    private final float clipNorm;                 // <= 0: no clipping, and no norm is measured
    private final Buffer scalars;                 // (1 + groups): the loss, then each group's sum of squares
    private final float[] host = new float[1 + MAX_GROUPS];
    private final List<Parameters> touched = new ArrayList<>();
    private float lastGoodLoss = Float.NaN;
    private long lastGoodStep = -1;
    private float firstLoss = Float.NaN;

    /** {@code clipNorm <= 0}: no clipping (and no norm). The optimizer's parameters are the model's. */
    public TrainStep(ExecContext ctx, Optimizer optimizer, float clipNorm) {
        this.ctx = ctx;
        this.optimizer = optimizer;
        if (optimizer.parameters().backend() != ctx.backend())
            throw new IllegalArgumentException("parameters and context live on different backends");
        this.defaultGroups = List.of(ParamGroup.all(optimizer));
        this.arena = new Arena(ctx.backend());
        this.clipNorm = clipNorm;
        this.scalars = ctx.backend().allocate(1 + MAX_GROUPS);
    }

    /** A step over all parameters of the optimizer. */
    public StepResult run(Objective objective, long step, float lr) {
        return run(objective, step, lr, defaultGroups);
    }

    /** A step that updates only {@code trainable} (e.g. layers 1..j) of the optimizer's parameters. */
    public StepResult run(Objective objective, long step, float lr, ParamRange trainable) {
        return run(objective, step, lr, List.of(new ParamGroup(optimizer, trainable)));
    }

    /** A step that updates each group's range with its optimizer, all at learning rate {@code lr}. */
    public StepResult run(Objective objective, long step, float lr, List<ParamGroup> groups) {
        if (groups.isEmpty() || groups.size() > MAX_GROUPS)
            throw new IllegalArgumentException("a step updates 1.." + MAX_GROUPS + " parameter groups, got " + groups.size());
        Backend be = ctx.backend();
        boolean clip = clipNorm > 0;
        int reads = 1 + (clip ? groups.size() : 0);
        collectParameters(groups);
        for (Parameters p : touched) {
            p.invalidateGrads();                             // first writes overwrite: no zero-fill pass
            p.trainOnly(rangesOf(groups, p));                // no gradient for what the step does not train
        }
        try (Tape tape = Tape.recording(ctx, arena)) {
            Tensor loss = objective.loss(tape, step);
            tape.backward(loss);
            be.copy(loss.span(), scalars.span(0, 1));
        } finally {
            for (Parameters p : touched) {
                p.trainAll();
                p.settleGrads();
            }
        }
        if (clip) for (int i = 0; i < groups.size(); i++) be.sumOfSquares(grads(groups.get(i)), scalars.span(1 + i, 1));
        be.copyToHost(scalars.span(0, reads), host, 0);   // the step's one device-to-host read
        float lossValue = host[0];
        if (!Float.isFinite(lossValue)) throw diverged(step, "loss is " + lossValue);
        if (Float.isNaN(firstLoss)) firstLoss = lossValue;
        if (lossValue > EXPLOSION * Math.max(1, Math.abs(firstLoss)))
            throw diverged(step, "loss " + lossValue + " is over " + (long) EXPLOSION + " times the first loss "
                    + firstLoss);
        float norm = Float.NaN;
        if (clip) {
            norm = jointNorm(groups.size());
            if (!Float.isFinite(norm)) throw diverged(step, "gradient norm is " + norm);
            if (norm > clipNorm)
                for (ParamGroup g : groups) be.scale((float) (clipNorm / (norm + 1e-6)), grads(g), grads(g));
        }
        for (ParamGroup g : groups) g.optimizer().step(lr, g.range());
        lastGoodLoss = lossValue;
        lastGoodStep = step;
        return new StepResult(step, lossValue, norm, lr, null);
    }

    /** The global L2 norm over the groups, as PyTorch's clip_grad_norm_ over their parameters computes it. */
    private float jointNorm(int groups) {
        if (groups == 1) return (float) Math.sqrt(host[1]);
        double sq = 0;
        for (int i = 0; i < groups; i++) {
            float n = (float) Math.sqrt(host[1 + i]);
            sq += (double) n * n;
        }
        return (float) Math.sqrt(sq);
    }

    private static List<ParamRange> rangesOf(List<ParamGroup> groups, Parameters p) {
        List<ParamRange> out = new ArrayList<>();
        for (ParamGroup g : groups) if (g.optimizer().parameters() == p) out.add(g.range());
        return out;
    }

    /** The model's parameters plus those of every group, each once. */
    private void collectParameters(List<ParamGroup> groups) {
        touched.clear();
        touched.add(optimizer.parameters());
        for (ParamGroup g : groups) {
            Parameters p = g.optimizer().parameters();
            boolean seen = false;
            for (Parameters t : touched) seen |= t == p;
            if (!seen) touched.add(p);
        }
    }

    private static Span grads(ParamGroup g) {
        return g.optimizer().parameters().grads(g.range());
    }

    private DivergenceException diverged(long step, String what) {
        String last = lastGoodStep < 0 ? "no good step before it in this run"
                : "last good loss " + lastGoodLoss + " at step " + lastGoodStep;
        return new DivergenceException(step, what, last);
    }

    public ExecContext ctx() {
        return ctx;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The step's arena, to observe allocations. */
    public Arena arena() {
        return arena;
    }

    @Override
    public void close() {
        arena.close();
        scalars.close();
    }
}
