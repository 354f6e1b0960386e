// Distilling a masked-LM teacher: KD reads the labelled positions only, standardization skips the padding.
package curex.engine.distill;

import curex.engine.autograd.Tape;
import curex.engine.checkpoint.ModelCheckpoint;
import curex.engine.data.Batch;
import curex.engine.data.Grammar;
import curex.engine.data.PcfgTask;
import curex.engine.nn.Transformer;
import curex.engine.nn.TransformerConfig;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.engine.train.TaskObjective;
import curex.kernels.Backend;
import curex.kernels.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaskedLmDistillTest {
    private static final PcfgTask PCFG = new PcfgTask(Grammar.builtin("cfg3b"), "16", "18");
    private final Backend be = new ReferenceBackend();

    @TempDir
    Path dir;

    private static TransformerConfig tiny(int d) {
        return TransformerConfig.forTask(PCFG, 1, d, 2, 2, TransformerConfig.Norm.PRE);
    }

    private Path teacherFile() throws IOException {
        Path file = dir.resolve("teacher.safetensors");
        try (Transformer t = Transformer.create(be, tiny(8), 11)) {
            ModelCheckpoint.save(file, t, Map.of());
        }
        return file;
    }

    /** The KD loss of step 0 (batch 4 of stream 13) under {@code s}, with the teacher's and student's logits of that batch. */
    private record KdStep(float loss, float[] teacher, float[] student) {
    }

    private KdStep kdStep(DistillSettings s) throws IOException {
        try (TeacherModel teacher = TeacherModel.load(teacherFile(), be);
             Transformer student = Transformer.create(be, tiny(4), 12);
             TaskObjective data = new TaskObjective(be, student, PCFG, 4, 13)) {
            KdObjective kd = new KdObjective(data, student, TeacherSource.fixed(teacher), s, null);
            float loss;
            try (Tape tape = Tape.recording(new ExecContext(be))) {
                loss = kd.loss(tape, 0).item();
            }
            data.sample(0);
            float[] t, st;
            try (Tape tape = teacher.open()) {
                t = teacher.logits(tape, data.input()).toHost();                    // (B * T, V)
            }
            try (Tape tape = Tape.recording(new ExecContext(be))) {
                st = student.forward(tape, data.input()).toHost();                  // (B * T, V)
            }
            return new KdStep(loss, t, st);
        }
    }

    @Test
    void kdOnAMaskedLmTeacherReadsOnlyTheLabelledPositions() throws IOException {
        KdStep k = kdStep(DistillSettings.builder().method(Method.ONESHOT).temperature(2).alpha(0).build());
        // the same batch by hand: T^2 KL(softmax(t/T) || softmax(s/T)) averaged over the labelled rows, and over all
        float loss = k.loss();
        float[] t = k.teacher(), st = k.student();
        Batch b = PCFG.batch(13, 0, 4);
        int v = PCFG.vocabulary(), rows = t.length / v, labelled = 0;
        double sumLabelled = 0, sumAll = 0;
        for (int r = 0; r < rows; r++) {
            double kl = 4 * kl(t, st, r * v, v, 2);
            sumAll += kl;
            if (b.labels()[r] != PCFG.ignoreIndex()) {
                sumLabelled += kl;
                labelled++;
            }
        }
        assertTrue(labelled > 0 && labelled < rows, labelled + " of " + rows);
        assertEquals(sumLabelled / labelled, loss, 1e-5, "KD over the labelled positions");
        assertTrue(Math.abs(sumAll / rows - sumLabelled / labelled) > 1e-4, "all positions would differ");
    }

    @Test
    void hardLabelKdIsCrossEntropyOnTheTeachersArgmaxAtTheLabelledPositions() throws IOException {
        KdStep k = kdStep(DistillSettings.builder().method(Method.ONESHOT).hardLabels(true).alpha(0).build());
        float loss = k.loss();
        float[] t = k.teacher(), st = k.student();
        Batch b = PCFG.batch(13, 0, 4);
        int v = PCFG.vocabulary(), labelled = 0, disagree = 0;
        double sum = 0;
        for (int r = 0; r < t.length / v; r++) {
            if (b.labels()[r] == PCFG.ignoreIndex()) continue;
            int arg = 0;
            for (int c = 1; c < v; c++) if (t[r * v + c] > t[r * v + arg]) arg = c;
            if (arg != b.labels()[r]) disagree++;
            sum -= logSoftmax(st, r * v, v, 1)[arg];
            labelled++;
        }
        assertEquals(sum / labelled, loss, 1e-5, "cross-entropy on the teacher's argmax over the labelled rows");
        assertTrue(disagree > 0, "an untrained teacher's argmax differs from the true tokens somewhere");
    }

    /** KL(softmax(p/T) || softmax(q/T)) of one row. */
    private static double kl(float[] p, float[] q, int o, int n, double temperature) {
        double[] lp = logSoftmax(p, o, n, temperature), lq = logSoftmax(q, o, n, temperature);
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.exp(lp[i]) * (lp[i] - lq[i]);
        return s;
    }

    private static double[] logSoftmax(float[] x, int o, int n, double temperature) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int i = 0; i < n; i++) max = Math.max(max, x[o + i] / temperature);
        for (int i = 0; i < n; i++) sum += Math.exp(x[o + i] / temperature - max);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = x[o + i] / temperature - max - Math.log(sum);
        return out;
    }

    @Test
    void standardizationLeavesThePaddingOut() throws IOException {
        Batch est = PCFG.heldOut(7, 16);
        try (TeacherModel teacher = TeacherModel.load(teacherFile(), be);
             Tensor x = TaskObjective.inputTensor(be, est)) {
            Projection p = Projection.create(Projection.Kind.GAUSSIAN, 4, 8, 5);
            boolean[] real = new boolean[est.inputCount()];
            int padded = 0;
            for (int i = 0; i < real.length; i++) {
                real[i] = est.tokens()[i] != PCFG.padToken();
                if (!real[i]) padded++;
            }
            assertTrue(padded > 0, "the held-out sequences differ in length");
            float[] h;
            try (Tape t = teacher.open()) {
                h = teacher.hidden(t, x, 1).toHost();                                 // (S * T, 8)
            }
            try (StageTarget withPad = StageTarget.estimate(teacher, 1, p, x, 5);
                 StageTarget real0 = StageTarget.estimate(teacher, 1, p, x, real, 5)) {
                for (int c = 0; c < 4; c++) {
                    double sum = 0, sq = 0;
                    int n = 0;
                    for (int r = 0; r < real.length; r++) {
                        if (!real[r]) continue;
                        double z = 0;
                        for (int k = 0; k < 8; k++) z += p.at(c, k) * h[r * 8 + k];
                        sum += z;
                        sq += z * z;
                        n++;
                    }
                    double mean = sum / n, std = Math.sqrt(sq / n - mean * mean);
                    assertEquals(mean, real0.mean(c), 1e-4, "mean of coordinate " + c + " over real tokens");
                    assertEquals(std, real0.std(c), 1e-4, "std of coordinate " + c + " over real tokens");
                    assertTrue(Math.abs(withPad.mean(c) - mean) > 1e-5, "padding would move the mean");
                }
            }
        }
    }
}
