// Reverse-mode autodiff: ops record backward closures while the forward runs; backward replays them in reverse.
package curex.engine.autograd;

import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.kernels.Span;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A gradient tape, used with try-with-resources once per step:
 * <pre>
 * try (Tape tape = Tape.recording(ctx, arena)) {
 *     Tensor loss = Losses.crossEntropy(tape, model.forward(tape, x), y, -1);
 *     tape.backward(loss);
 * }
 * </pre>
 * Ops take their outputs (and output gradients) from the tape's {@link Arena}, which the caller keeps across
 * steps so that memory is reused. A {@link #noGrad} tape records nothing and its outputs require no grad (teacher
 * forwards, evaluation). Closing the tape rewinds the arena: tensors made on it must not be used afterwards.
 */
public final class Tape implements AutoCloseable {
    private final ExecContext ctx;
    private final Arena arena;
    private final boolean recording;
    private final boolean ownsArena;
    private final List<Entry> entries = new ArrayList<>();
    private final List<AutoCloseable> closeWith = new ArrayList<>();
    private boolean backwardDone;
    private boolean closed;

    private record Entry(Tensor output, BackwardFn fn) {
    }

    private Tape(ExecContext ctx, Arena arena, boolean recording, boolean ownsArena) {
        if (arena.backend() != ctx.backend())
            throw new IllegalArgumentException("arena of backend " + arena.backend().name()
                    + " for a context of backend " + ctx.backend().name());
        this.ctx = ctx;
        this.arena = arena;
        this.recording = recording;
        this.ownsArena = ownsArena;
        arena.acquire();
    }

    /** A recording tape over a caller-kept arena. */
    public static Tape recording(ExecContext ctx, Arena arena) {
        return new Tape(ctx, arena, true, false);
    }

    /** A tape that records nothing: outputs require no grad. */
    public static Tape noGrad(ExecContext ctx, Arena arena) {
        return new Tape(ctx, arena, false, false);
    }

    /** A recording tape with an arena of its own, freed on close (one-off use; no reuse across steps). */
    public static Tape recording(ExecContext ctx) {
        return new Tape(ctx, new Arena(ctx.backend()), true, true);
    }

    /** A no-grad tape with an arena of its own, freed on close. */
    public static Tape noGrad(ExecContext ctx) {
        return new Tape(ctx, new Arena(ctx.backend()), false, true);
    }

    public ExecContext ctx() {
        return ctx;
    }

    public Backend backend() {
        return ctx.backend();
    }

    public boolean isRecording() {
        return recording;
    }

    /** Whether an op over these inputs must record a backward: recording and some input requires grad. */
    public boolean needsGrad(Tensor... inputs) {
        if (!recording) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    /** A new contiguous tensor from the arena; with {@code requiresGrad} (and recording) it gets a gradient span. */
    public Tensor output(boolean requiresGrad, int... shape) {
        checkOpen();
        Span data = arena.take(curex.engine.tensor.Shapes.numel(shape));
        // the gradient is taken at its first contribution and given back once this output's backward has run
        if (requiresGrad && recording) return Tensor.activation(data, arena.gradients(), shape);
        return Tensor.wrap(data, shape);
    }

    /** A new contiguous tensor of ints (labels, argmax results) from the arena, without gradient. */
    public Tensor outputInts(int... shape) {
        checkOpen();
        return Tensor.wrap(arena.takeInts(curex.engine.tensor.Shapes.numel(shape)), shape);
    }

    /** Scratch memory from the arena, valid until the tape closes (forward or backward temporaries). */
    public Span scratch(long length) {
        checkOpen();
        return arena.take(length);
    }

    /**
     * Backward scratch of {@code length} floats from the memory activation gradients recycle (see
     * {@link Arena#gradients()}); give it back with {@link #giveBack} once nothing will read it.
     */
    public Span borrow(long length) {
        checkOpen();
        return arena.gradients().take(length);
    }

    /** Returns a span from {@link #borrow}, whose contents nothing reads again. */
    public void giveBack(Span span) {
        checkOpen();
        arena.gradients().give(span);
    }

    /** Records {@code fn} to propagate {@code output}'s gradient; it runs only if the output received one. */
    public void record(Tensor output, BackwardFn fn) {
        checkOpen();
        if (!recording) throw new IllegalStateException("record on a no-grad tape");
        if (backwardDone) throw new IllegalStateException("record after backward");
        entries.add(new Entry(output, fn));
    }

    /** Seeds d(loss)/d(loss) = 1 and runs the recorded backward steps in reverse order. */
    public void backward(Tensor loss) {
        checkOpen();
        if (!recording) throw new IllegalStateException("backward on a no-grad tape");
        if (backwardDone) throw new IllegalStateException("backward called twice on one tape");
        if (loss.numel() != 1)
            throw new IllegalArgumentException("backward needs a scalar loss, got shape " + Arrays.toString(loss.shape()));
        if (!loss.requiresGrad()) throw new IllegalArgumentException("loss does not depend on anything that requires grad");
        backwardDone = true;
        float beta = loss.overwriteGradBeta();
        Span g = loss.grad();
        if (beta == 0f) backend().fill(g, 1f);
        else backend().axpy(1f, onesOf(g), g);
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            if (e.output.gradReceived()) e.fn.run();
            e.output.releaseGrad();   // read by its backward alone: the memory goes to the next gradient
        }
    }

    private Span onesOf(Span like) {
        Span ones = arena.take(like.length());
        backend().fill(ones, 1f);
        return ones;
    }

    /**
     * Closes {@code resource} when this tape closes (before rewinding its arena). An objective opens its teacher's
     * no-grad tape and registers it here, so the teacher's outputs stay valid through the student's backward.
     */
    public <T extends AutoCloseable> T closeWith(T resource) {
        checkOpen();
        closeWith.add(resource);
        return resource;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("tape is closed");
    }

    /** Rewinds (or frees, if owned) the arena; tensors made on this tape become invalid. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        entries.clear();
        RuntimeException failure = null;
        for (int i = closeWith.size() - 1; i >= 0; i--) {
            try {
                closeWith.get(i).close();
            } catch (Exception e) {
                if (failure == null) failure = e instanceof RuntimeException re ? re : new IllegalStateException(e);
            }
        }
        closeWith.clear();
        arena.release();
        if (ownsArena) arena.close();
        if (failure != null) throw failure;
    }
}
