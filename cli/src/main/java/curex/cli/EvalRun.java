// Runs a saved model over a task's held-out set for `curex eval`.
package curex.cli;

import curex.engine.autograd.Arena;
import curex.engine.autograd.Tape;
import curex.engine.checkpoint.ModelCheckpoint;
import curex.engine.data.Batch;
import curex.engine.data.TextTask;
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
import java.util.ArrayList;
import java.util.Arrays;
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
            if (r.task() instanceof TextTask t && held.size() > t.distinctHeldOutWindows())
                out.printf(Locale.ROOT, "note: the held-out tokens give %d different windows of %d tokens; the %d "
                        + "samples repeat some of them, each with a mask of its own%n", t.distinctHeldOutWindows(),
                        t.sampleShape()[0], held.size());
            if (r.logits() != null) out.println("logits: " + r.logits());
            out.flush();
            return Main.OK;
        }
    }

    /**
     * Writes the held-out set and the model's outputs, so that another framework can recompute them: for token tasks
     * {@code input_ids} (N, T) and {@code attention_mask} (N, T) as I32 (1 = real token), {@code logits} (N, T, V) for
     * masked LM or (N, C) for classification, and {@code labels} (N, T) or (N) as I32 (the task's ignore index where a
     * position has none); for feature tasks {@code inputs} (N, n), {@code logits} (N, C) and {@code labels} (N).
     */
    private static void writeLogits(EvalCommand.Request r, Backend backend, Model model, Batch held) throws IOException {
        int classes = r.task().classes(), perSample = held.labelsPerSample(), n = held.size();
        float[] logits = new float[held.labelCount() * classes];
        ExecContext ctx = new ExecContext(backend);
        try (Tensor x = TaskObjective.inputTensor(backend, held); Arena arena = new Arena(backend)) {
            int chunk = HeldOutAccuracy.chunkFor(model.config());
            for (int from = 0; from < n; from += chunk) {
                int to = Math.min(n, from + chunk);
                try (Tape tape = Tape.noGrad(ctx, arena)) {
                    float[] part = model.forward(tape, x.slice0(from, to)).toHost();
                    System.arraycopy(part, 0, logits, from * perSample * classes, part.length);
                }
            }
        }
        Map<String, String> meta = new LinkedHashMap<>(r.task().metadata());
        meta.put("model", r.model().toString());
        meta.put(EvalCommand.KEY_SEED, Long.toString(r.seed()));
        int[] labels = Arrays.copyOf(held.labels(), held.labelCount());
        int[] labelShape = perSample == 1 ? new int[]{n} : new int[]{n, perSample};
        int[] logitShape = perSample == 1 ? new int[]{n, classes} : new int[]{n, perSample, classes};
        List<NamedArray> arrays = new ArrayList<>();
        if (held.tokens() != null) {
            int[] ids = Arrays.copyOf(held.tokens(), held.inputCount()), mask = new int[ids.length];
            for (int i = 0; i < ids.length; i++) mask[i] = ids[i] == r.task().padToken() ? 0 : 1;
            meta.put("ignore_index", Integer.toString(r.task().ignoreIndex()));
            arrays.add(NamedArray.ofInts("input_ids", held.inputShape(), ids));
            arrays.add(NamedArray.ofInts("attention_mask", held.inputShape(), mask));
        } else {
            arrays.add(new NamedArray("inputs", held.inputShape(), Arrays.copyOf(held.features(), held.inputCount())));
        }
        arrays.add(new NamedArray("logits", logitShape, logits));
        arrays.add(NamedArray.ofInts("labels", labelShape, labels));
        Safetensors.write(r.logits(), meta, arrays);
    }
}
