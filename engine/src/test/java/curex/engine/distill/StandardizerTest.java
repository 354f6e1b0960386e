// Standardization: z = (P hT - mean) / std has per-coordinate mean ~0 and std ~1 on the estimation set.
package curex.engine.distill;

import curex.engine.autograd.Activation;
import curex.engine.autograd.Tape;
import curex.engine.checkpoint.ModelCheckpoint;
import curex.engine.data.Batch;
import curex.engine.data.Grammar;
import curex.engine.data.PcfgTask;
import curex.engine.nn.Transformer;
import curex.engine.nn.TransformerConfig;
import curex.engine.train.HeldOutAccuracy;
import curex.engine.train.TaskObjective;
import curex.engine.nn.Mlp;
import curex.engine.nn.MlpConfig;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.kernels.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StandardizerTest {
    private final Backend be = new ReferenceBackend();

    @TempDir
    Path dir;

    @Test
    void standardizedTargetHasZeroMeanUnitStdOnTheEstimationSet() throws IOException {
        Path file = TinyTeacher.randomModel(be, dir.resolve("t.safetensors"), 3, 12, 40, 30, 2);
        Batch est = TinyTeacher.TASK.heldOut(99, 1000);
        try (TeacherModel teacher = TeacherModel.load(file, be);
             Tensor x = TaskObjective.inputTensor(be, est)) {
            for (Projection.Kind kind : Projection.Kind.values()) {
                Projection p = Projection.create(kind, 16, 30, 5);
                long before = teacher.flops().total();
                float[] z;
                try (StageTarget s = StageTarget.estimate(teacher, 2, p, x, 300)) {   // 4 chunks, last one short
                    // the estimation runs teacher layers 1..2 and the projection, on the teacher's counter
                    assertEquals(2L * 1000 * (12 * 40 + 40 * 30 + 30 * 16), teacher.flops().total() - before);
                    try (Tape t = teacher.open()) {
                        z = s.apply(t, teacher.hidden(t, x, 2)).toHost();    // (1000, 16)
                    }
                    for (int c = 0; c < 16; c++) assertTrue(s.std(c) > StageTarget.STD_FLOOR);
                }
                for (int c = 0; c < 16; c++) {
                    double mean = 0, sq = 0;
                    for (int r = 0; r < 1000; r++) mean += z[r * 16 + c];
                    mean /= 1000;
                    for (int r = 0; r < 1000; r++) sq += Math.pow(z[r * 16 + c] - mean, 2);
                    double std = Math.sqrt(sq / 1000);
                    assertEquals(0, mean, 1e-3, kind + " coordinate " + c + " mean");
                    assertEquals(1, std, 1e-3, kind + " coordinate " + c + " std");
                }
            }
        }
    }

    @Test
    void chunksShrinkForWideTeachers() throws IOException {
        Path narrow = TinyTeacher.randomModel(be, dir.resolve("n.safetensors"), 1, 12, 40, 30, 2);
        Path wide = TinyTeacher.randomModel(be, dir.resolve("w.safetensors"), 1, 12, 20_000, 2);
        try (TeacherModel n = TeacherModel.load(narrow, be); TeacherModel w = TeacherModel.load(wide, be)) {
            assertEquals(1024, StageTarget.chunkSamples(n, 2, 16));
            assertEquals((1 << 24) / (20_000 + 16), StageTarget.chunkSamples(w, 1, 16));
        }
    }

    @Test
    void chunksOfLongSequencesHoldWhatTheirActivationsAllow() throws IOException {
        // the published PCFG root (up to 434 tokens): 1,024 sequences at once would take tens of GB
        PcfgTask task = new PcfgTask(Grammar.builtin("cfg3b"), "22");
        TransformerConfig config = TransformerConfig.forTask(task, 2, 128, 4, 4, TransformerConfig.Norm.PRE);
        Path file = dir.resolve("long.safetensors");
        try (Transformer t = Transformer.create(be, config, 1)) {
            ModelCheckpoint.save(file, t, task.metadata());
        }
        try (TeacherModel teacher = TeacherModel.load(file, be)) {
            int chunk = StageTarget.chunkSamples(teacher, 2, 16);
            assertEquals(HeldOutAccuracy.chunkFor(config), chunk);
            assertTrue(chunk >= 1 && chunk < 64, "chunk " + chunk);
        }
    }

    @Test
    void deadTeacherLayerUsesTheStdFloorAndGivesZeroTargets() throws IOException {
        Path file = dir.resolve("dead.safetensors");
        try (Mlp dead = Mlp.zeros(be, MlpConfig.of(Activation.RELU, 12, 20, 2))) {   // hT = relu(0) = 0 everywhere
            ModelCheckpoint.save(file, dead, Map.of());
        }
        Batch est = TinyTeacher.TASK.heldOut(1, 64);
        try (TeacherModel teacher = TeacherModel.load(file, be);
             Tensor x = TaskObjective.inputTensor(be, est)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StageTarget.estimate(
                    teacher, 1, Projection.create(Projection.Kind.GAUSSIAN, 4, 30, 0), x, 64));
            assertTrue(e.getMessage().contains("width 20"), e.getMessage());
            Projection p = Projection.create(Projection.Kind.GAUSSIAN, 4, 20, 0);
            try (StageTarget s = StageTarget.estimate(teacher, 1, p, x, 64); Tape t = teacher.open()) {
                for (int c = 0; c < 4; c++) {
                    assertEquals(StageTarget.STD_FLOOR, s.std(c));
                    assertEquals(0, s.mean(c));
                }
                for (float v : s.apply(t, teacher.hidden(t, x, 1)).toHost()) assertEquals(0f, v);
            }
        }
    }
}
