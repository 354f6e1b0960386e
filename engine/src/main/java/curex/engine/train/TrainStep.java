// One optimisation step: forward and loss, backward, NaN guard, clip, optimizer update(s).
package curex.engine.train;

import curex.engine.autograd.Arena;
import curex.engine.autograd.Tape;
import curex.engine.nn.ParamRange;
import curex.engine.nn.Parameters;
import curex.engine.optim.GradClipper;
import curex.engine.optim.Optimizer;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Span;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs training steps cheaply in a loop: the tape's arena is kept across calls, so after the first step no
 * buffer is allocated, and gradients are not zero-filled (see {@link Parameters#invalidateGrads()}). The loss and
 * the gradient norm are checked before any update: a non-finite value raises {@link NonFiniteLossException} with
 * the parameters untouched. Several {@link ParamGroup}s (e.g. a student prefix and a stage adapter, each with its
 * optimizer) can be stepped together; clipping then uses their joint norm.
 */
public final class TrainStep implements AutoCloseable {
    private final ExecContext ctx;
    private final Optimizer optimizer;
    private final List<ParamGroup> defaultGroups;
    private final Arena arena;
    private final GradClipper clipper;   // measures (and clips when clipNorm > 0)
    private final boolean clip;
    private final List<Parameters> touched = new ArrayList<>();
    private float lastGoodLoss = Float.NaN;
    private long lastGoodStep = -1;

    /** {@code clipNorm <= 0}: no clipping (and no norm). The optimizer's parameters are the model's. */
    public TrainStep(ExecContext ctx, Optimizer optimizer, float clipNorm) {
        this.ctx = ctx;
        this.optimizer = optimizer;
        if (optimizer.parameters().backend() != ctx.backend())
            throw new IllegalArgumentException("parameters and context live on different backends");
        this.defaultGroups = List.of(ParamGroup.all(optimizer));
        this.arena = new Arena(ctx.backend());
        this.clip = clipNorm > 0;
        this.clipper = new GradClipper(ctx.backend(), clipNorm);
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
        collectParameters(groups);
        for (Parameters p : touched) p.invalidateGrads();   // first writes overwrite: no zero-fill pass
        float lossValue;
        try (Tape tape = Tape.recording(ctx, arena)) {
            Tensor loss = objective.loss(tape, step);
            tape.backward(loss);
            lossValue = loss.item();
        } finally {
            for (Parameters p : touched) p.settleGrads();
        }
        if (!Float.isFinite(lossValue)) throw diverged(step, "loss", lossValue);
        float norm = Float.NaN;
        if (clip) {
            norm = clipNorm(groups);
            if (!Float.isFinite(norm)) throw diverged(step, "gradient norm", norm);
        }
        for (ParamGroup g : groups) g.optimizer().step(lr, g.range());
        lastGoodLoss = lossValue;
        lastGoodStep = step;
        return new StepResult(step, lossValue, norm, lr);
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

    private float clipNorm(List<ParamGroup> groups) {
        if (groups.size() == 1) return clipper.clip(grads(groups.getFirst()));
        double sq = 0;
        for (ParamGroup g : groups) {
            float n = clipper.norm(grads(g));
            sq += (double) n * n;
        }
        float norm = (float) Math.sqrt(sq);
        if (Float.isFinite(norm) && norm > clipper.maxNorm())
            for (ParamGroup g : groups) ctx.backend().scale((float) (clipper.maxNorm() / (norm + 1e-6)), grads(g), grads(g));
        return norm;
    }

    private static Span grads(ParamGroup g) {
        return g.optimizer().parameters().grads(g.range());
    }

    private NonFiniteLossException diverged(long step, String what, float value) {
        String last = lastGoodStep < 0 ? "no finite step before it in this run"
                : "last finite loss " + lastGoodLoss + " at step " + lastGoodStep;
        return new NonFiniteLossException(step, what, value, last);
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
        clipper.close();
    }
}
