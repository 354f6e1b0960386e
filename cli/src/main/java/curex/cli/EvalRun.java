// Runs a saved model over a task's held-out set for `curex eval`.
package curex.cli;

import curex.engine.autograd.Arena;
import curex.engine.autograd.Tape;
import curex.engine.checkpoint.MlpCheckpoint;
import curex.engine.data.LabeledBatch;
import curex.engine.data.SparseParity;
import curex.engine.io.CheckpointException;
import curex.engine.io.NamedArray;
import curex.engine.io.Safetensors;
import curex.engine.nn.Mlp;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.engine.train.ClassifierAccuracy;
import curex.engine.train.EvalResult;
import curex.kernels.Backend;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The bridge from a validated evaluation request to the engine's model and evaluation code. */
final class EvalRun {

    private EvalRun() {
    }

    /** Prints the held-out accuracy of the model in {@code s} (and writes its logits if asked). */
    static int run(EvalCommand.EvalSettings s, PrintWriter out) throws IOException {
        SparseParity task = new SparseParity(s.n(), s.k());
        LabeledBatch held = task.heldOut(s.seed(), s.evalSize());
        try (Backend backend = Backends.create(s.backend(), s.threads());
             Mlp model = MlpCheckpoint.load(s.model(), backend)) {
            if (model.config().inputs() != s.n())
                throw new CheckpointException(s.model(), "the model takes " + model.config().inputs()
                        + " inputs but the task has n = " + s.n());
            EvalResult r;
            try (ClassifierAccuracy acc = ClassifierAccuracy.onHeldOut(backend, model, held)) {
                r = acc.evaluate();
            }
            if (s.logits() != null) writeLogits(s, backend, model, held);
            out.printf(Locale.ROOT, "accuracy: %.4f (%d held-out samples of parity n=%d k=%d, seed %d)%n",
                    r.accuracy(), held.size(), s.n(), s.k(), s.seed());
            out.printf(Locale.ROOT, "loss: %.6f%n", r.loss());
            if (s.logits() != null) out.println("logits: " + s.logits());
            out.flush();
            return Main.OK;
        }
    }

    /** Writes logits (count, classes) and labels (count) of the held-out set as safetensors. */
    private static void writeLogits(EvalCommand.EvalSettings s, Backend backend, Mlp model, LabeledBatch held)
            throws IOException {
        int classes = model.config().outputs();
        float[] logits = new float[held.size() * classes];
        ExecContext ctx = new ExecContext(backend);
        try (Tensor x = Tensor.fromHost(backend, held.x(), held.size(), s.n()); Arena arena = new Arena(backend)) {
            for (int from = 0; from < held.size(); from += ClassifierAccuracy.DEFAULT_CHUNK) {
                int to = Math.min(held.size(), from + ClassifierAccuracy.DEFAULT_CHUNK);
                try (Tape tape = Tape.noGrad(ctx, arena)) {
                    float[] part = model.forward(tape, x.slice0(from, to)).toHost();
                    System.arraycopy(part, 0, logits, from * classes, part.length);
                }
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", s.model().toString());
        meta.put(EvalCommand.KEY_N, Integer.toString(s.n()));
        meta.put(EvalCommand.KEY_K, Integer.toString(s.k()));
        meta.put(EvalCommand.KEY_SEED, Long.toString(s.seed()));
        Safetensors.write(s.logits(), meta, List.of(new NamedArray("logits", new int[]{held.size(), classes}, logits),
                new NamedArray("labels", new int[]{held.size()}, held.y())));
    }
}
