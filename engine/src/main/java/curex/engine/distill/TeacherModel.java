// A trained teacher model read from a safetensors file, run forward-only on its own context (its own FLOP counter).
package curex.engine.distill;

import curex.engine.autograd.Arena;
import curex.engine.autograd.Tape;
import curex.engine.checkpoint.ModelCheckpoint;
import curex.engine.data.Task;
import curex.engine.flops.FlopCounter;
import curex.engine.model.Model;
import curex.engine.model.ModelConfig;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The teacher's forwards run on no-grad tapes over the teacher's arena and {@link ExecContext}, so their products
 * are counted on the teacher's {@link FlopCounter} and never on the student's. In a training step, open the
 * teacher's tape with {@link #open(Tape)}: it closes with the student's tape, so the teacher's outputs (targets)
 * stay valid through the student's backward. {@link #hidden} runs only layers 1..l, so only those are counted.
 */
public final class TeacherModel implements AutoCloseable {
    private final Path file;
    private final long fileBytes;
    private final Model model;
    private final ExecContext ctx;
    private final Arena arena;
    private final boolean ownsArena;
    private String digest;   // of the weights, computed on first use (the weights never change)

    private TeacherModel(Path file, long fileBytes, Model model, ExecContext ctx, Arena arena, boolean ownsArena) {
        this.file = file;
        this.fileBytes = fileBytes;
        this.model = model;
        this.ctx = ctx;
        this.arena = arena;
        this.ownsArena = ownsArena;
    }

    /** Loads {@code file} onto {@code backend} with a context (FLOP counter) and arena of its own. */
    public static TeacherModel load(Path file, Backend backend) throws IOException {
        Arena arena = new Arena(backend);
        try {
            return load(file, new ExecContext(backend), arena, true);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Loads {@code file} sharing a context and arena (successive teachers of one run count on one counter). */
    public static TeacherModel load(Path file, ExecContext ctx, Arena arena) throws IOException {
        return load(file, ctx, arena, false);
    }

    private static TeacherModel load(Path file, ExecContext ctx, Arena arena, boolean ownsArena) throws IOException {
        if (!Files.isRegularFile(file)) throw new java.io.FileNotFoundException("teacher model " + file + " does not exist");
        long bytes = Files.size(file);
        Model model = ModelCheckpoint.load(file, ctx.backend());
        return new TeacherModel(file, bytes, model, ctx, arena, ownsArena);
    }

    /** Fails with a message naming the teacher's file unless it reads {@code task}'s inputs and predicts its classes. */
    public void checkTask(Task task) {
        try {
            model.config().checkTask(task);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("teacher " + file + " " + e.getMessage());
        }
    }

    /** A no-grad tape on the teacher's context that closes together with {@code owner} (the student's step tape). */
    public Tape open(Tape owner) {
        return owner.closeWith(open());
    }

    /** A no-grad tape on the teacher's context; the caller closes it. */
    public Tape open() {
        return Tape.noGrad(ctx, arena);
    }

    /**
     * A no-grad tape on the teacher's context with a throwaway arena of its own, for one-off passes over large
     * chunks (statistics) whose buffers the per-step arena should not keep.
     */
    public Tape openScratch() {
        return Tape.noGrad(ctx);
    }

    /** Logits at the readout rows (rows, classes) of a batch of inputs, on a tape from {@link #open}. */
    public Tensor logits(Tape tape, Tensor x) {
        checkTape(tape);
        return model.forward(tape, x);
    }

    /** Logits at some readout rows only ({@link Model#forward(Tape, Tensor, Tensor)}; null: all of them). */
    public Tensor logits(Tape tape, Tensor x, Tensor rows) {
        checkTape(tape);
        return model.forward(tape, x, rows);
    }

    /** Hidden representation {@code l} (rows, width(l)) of a batch of inputs, running only layers 1..l. */
    public Tensor hidden(Tape tape, Tensor x, int l) {
        checkTape(tape);
        return model.hidden(tape, x, l);
    }

    private void checkTape(Tape tape) {
        if (tape.ctx() != ctx)
            throw new IllegalArgumentException("teacher forwards must run on the teacher's tape (TeacherModel.open), "
                    + "so that they count as teacher FLOPs");
    }

    public ModelConfig config() {
        return model.config();
    }

    /** Number of hidden representations, layers 1..depth. */
    public int depth() {
        return model.depth();
    }

    /** Width of hidden representation l (1..depth()). */
    public int width(int l) {
        if (l < 1 || l > depth())
            throw new IllegalArgumentException("teacher " + file + " has hidden layers 1.." + depth() + ", not " + l);
        return model.width(l);
    }

    public Path file() {
        return file;
    }

    /** The file's absolute path and the digest of its weights: two teachers with equal identities compute alike. */
    public String identity() {
        return file.toAbsolutePath().normalize() + "#" + weightsDigest();
    }

    /** A digest of the weights (SHA-256 of their float bits), to tell two files holding the same weights apart. */
    public String weightsDigest() {
        if (digest == null) digest = digestOf(model.parameters().valuesToHost());
        return digest;
    }

    private static String digestOf(float[] v) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4096 * Float.BYTES);
            for (int from = 0; from < v.length; from += 4096) {
                buf.clear();
                for (int i = from; i < Math.min(v.length, from + 4096); i++) buf.putInt(Float.floatToRawIntBits(v[i]));
                buf.flip();
                md.update(buf);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Size of the file it was read from. */
    public long fileBytes() {
        return fileBytes;
    }

    public ExecContext ctx() {
        return ctx;
    }

    public FlopCounter flops() {
        return ctx.flops();
    }

    @Override
    public void close() {
        model.close();
        if (ownsArena) arena.close();
    }
}
