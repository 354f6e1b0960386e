// Teacher targets recorded by one run and reused by another: the same student bit for bit, the same FLOP counts.
package curex.engine.distill;

import curex.engine.TestBackends;
import curex.engine.autograd.Activation;
import curex.engine.io.RunLayout;
import curex.engine.metrics.RunSummary;
import curex.engine.nn.MlpConfig;
import curex.engine.settings.EvalSettings;
import curex.engine.settings.TrainingSettings;
import curex.engine.train.TrainingRun;
import curex.kernels.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TeacherOutputsTest {
    private static final Backend BE = TestBackends.open();
    private static final long STEPS = 120, STAGE = 50;

    @TempDir
    static Path dir;
    private static RunLayout teacher;

    @BeforeAll
    static void trainTeacher() throws IOException {
        teacher = TinyTeacher.train(BE, dir.resolve("teacher"));
    }

    @AfterAll
    static void close() {
        BE.close();
    }

    private static RunSummary run(Method m, long seed, TeacherOutputs memo, Path out) throws IOException {
        TrainingSettings t = TinyTeacher.student(32, STEPS).seed(seed).eval(new EvalSettings(40, 256, 0.9, false)).build();
        DistillSettings s = DistillSettings.builder().method(m).stageLength(StageLength.fixed(STAGE)).build();
        Distillation d = new Distillation(s, teacher.dir());
        return new TrainingRun(BE, TinyTeacher.TASK, MlpConfig.forTask(TinyTeacher.TASK, Activation.RELU, 16), t)
                .method(memo == null ? d : d.sharing(memo)).output(new RunLayout(out)).run();
    }

    @Test
    void extractionReusesOneShotsTargetsAndEndsExactlyAsWithout() throws IOException {
        TeacherOutputs memo = new TeacherOutputs(1 << 20);
        run(Method.ONESHOT, 1, memo, dir.resolve("oneshot"));
        assertEquals(STEPS, memo.size());
        assertEquals(0, memo.reused());

        RunSummary shared = run(Method.EXTRACT, 1, memo, dir.resolve("extract-shared"));
        assertEquals(STEPS - STAGE, memo.reused(), "every KD step after the projection stage");
        RunSummary alone = run(Method.EXTRACT, 1, null, dir.resolve("extract-alone"));

        assertArrayEquals(Files.readAllBytes(dir.resolve("extract-alone").resolve("model.safetensors")),
                Files.readAllBytes(dir.resolve("extract-shared").resolve("model.safetensors")));
        assertEquals(alone.teacherFlops(), shared.teacherFlops(), "reused targets count as the forwards they replace");
        assertEquals(alone.trainFlops(), shared.trainFlops());
        assertEquals(alone.finalAccuracy(), shared.finalAccuracy());
        assertEquals(alone.evals(), shared.evals());
    }

    @Test
    void anotherSeedsBatchesAndCheckpointsAreNotSharedAndAFullMemoRecordsNothing() throws IOException {
        TeacherOutputs memo = new TeacherOutputs(1 << 20);
        run(Method.ONESHOT, 1, memo, dir.resolve("oneshot-1"));
        run(Method.ONESHOT, 2, memo, dir.resolve("oneshot-2"));
        assertEquals(0, memo.reused(), "seed 2 sees other batches at the same steps");

        TeacherOutputs checkpoints = new TeacherOutputs(1 << 20);
        run(Method.PROGRESSIVE, 1, checkpoints, dir.resolve("progressive"));
        assertEquals(0, checkpoints.size(), "every step reads a checkpoint, whose outputs no other run shares");

        TeacherOutputs none = new TeacherOutputs(0);
        run(Method.ONESHOT, 1, none, dir.resolve("oneshot-none"));
        assertEquals(0, none.size());
        assertThrows(IllegalArgumentException.class, () -> new TeacherOutputs(-1));
        assertThrows(IllegalArgumentException.class, () -> TeacherOutputs.sized(0));
    }
}
