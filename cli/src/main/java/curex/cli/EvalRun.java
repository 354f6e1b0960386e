// Runs a saved model over a task's held-out set for `curex eval`.
package curex.cli;

import curex.engine.autograd.Arena;
import curex.engine.autograd.Tape;
import curex.engine.checkpoint.ModelCheckpoint;
import curex.engine.data.Batch;
import curex.engine.io.CheckpointException;
import curex.engine.io.NamedArray;
import curex.engine.io.Safetensors;
import curex.engine.model.Model;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.engine.train.EvalResult;
import curex.engine.train.HeldOutAccuracy;
import curex.engine.train.TaskObjective;
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

    /** Prints the held-out accuracy of the model in {@code r} (and writes its logits if asked). */
    static int run(EvalCommand.Request r, BackendOptions backendOptions, PrintWriter out) throws IOException {
        Batch held = r.task().heldOut(r.heldOutSeed(), r.evalSize());
        try (Backend backend = backendOptions.open(); Model model = ModelCheckpoint.load(r.model(), backend)) {
            try {
                model.config().checkTask(r.task());
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(r.model(), "the model " + e.getMessage());
            }
            EvalResult result;
            try (HeldOutAccuracy acc = HeldOutAccuracy.onHeldOut(backend, model, r.task(), held)) {
                result = acc.evaluate();
            }
            if (r.logits() != null) writeLogits(r, backend, model, held);
            out.printf(Locale.ROOT, "accuracy: %.4f (%d held-out samples of %s, seed %d)%n",
                    result.accuracy(), held.size(), r.task().describe(), r.seed());
            out.printf(Locale.ROOT, "loss: %.6f%n", result.loss());
            if (r.logits() != null) out.println("logits: " + r.logits());
            out.flush();
            return Main.OK;
        }
    }

    /** Writes logits (count, classes) as F32 and labels (count) as I32 of the held-out set, as safetensors. */
    private static void writeLogits(EvalCommand.Request r, Backend backend, Model model, Batch held) throws IOException {
        int classes = r.task().classes();
        float[] logits = new float[held.labels().length * classes];
        ExecContext ctx = new ExecContext(backend);
        try (Tensor x = TaskObjective.inputTensor(backend, held); Arena arena = new Arena(backend)) {
            int rowsPerSample = r.task().labelsPerSample();
            for (int from = 0; from < held.size(); from += HeldOutAccuracy.DEFAULT_CHUNK) {
                int to = Math.min(held.size(), from + HeldOutAccuracy.DEFAULT_CHUNK);
                try (Tape tape = Tape.noGrad(ctx, arena)) {
                    float[] part = model.forward(tape, x.slice0(from, to)).toHost();
                    System.arraycopy(part, 0, logits, from * rowsPerSample * classes, part.length);
                }
            }
        }
        Map<String, String> meta = new LinkedHashMap<>(r.task().metadata());
        meta.put("model", r.model().toString());
        meta.put(EvalCommand.KEY_SEED, Long.toString(r.seed()));
        int[] labels = held.labels();
        Safetensors.write(r.logits(), meta, List.of(new NamedArray("logits", new int[]{labels.length, classes}, logits),
                NamedArray.ofInts("labels", new int[]{labels.length}, labels)));
    }
}
