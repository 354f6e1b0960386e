// FLOP accounting of the methods against analytic counts from the layer sizes: student forward+backward, teacher
// forward only, projection stages running the teacher only up to t(j) plus the projection product.
package curex.engine.distill;

import curex.engine.TestBackends;
import curex.engine.autograd.Activation;
import curex.engine.metrics.EvalPoint;
import curex.engine.metrics.RunSummary;
import curex.engine.metrics.StageSummary;
import curex.engine.nn.MlpConfig;
import curex.engine.settings.EvalSettings;
import curex.engine.train.TrainingRun;
import curex.kernels.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DistillFlopsTest {
    private static final Backend BE = TestBackends.open();
    private static final int B = 16;

    @TempDir
    static Path dir;
    private static Path wide;      // teacher 12 -> 256 -> 2, with checkpoints
    private static Path deep;      // teacher 12 -> 64 -> 48 -> 2

    @BeforeAll
    static void teachers() throws IOException {
        wide = TinyTeacher.train(BE, dir.resolve("wide"), TinyTeacher.TASK, new int[]{12, 256, 2}, 20, 10).dir();
        deep = TinyTeacher.train(BE, dir.resolve("deep"), TinyTeacher.TASK, new int[]{12, 64, 48, 2}, 5, 0).dir();
    }

    @AfterAll
    static void close() {
        BE.close();
    }

    private static RunSummary run(DistillSettings s, Path teacher, long steps, int... hidden) throws IOException {
        return new TrainingRun(BE, TinyTeacher.TASK, MlpConfig.forTask(TinyTeacher.TASK, Activation.RELU, hidden),
                TinyTeacher.student(B, steps).eval(new EvalSettings(1, 64, 0.99, false)).build())
                .method(new Distillation(s, teacher)).run();
    }

    private static long mm(long m, long n, long k) {
        return 2 * m * n * k;
    }

    @Test
    void oneStepOfKdCountsStudentForwardBackwardAndTeacherForward() throws IOException {
        long studentFwd = mm(B, 32, 12) + mm(B, 2, 32);
        long studentBwd = mm(32, 12, B) /* dW1; no dX for the input */ + mm(2, 32, B) + mm(B, 32, 2) /* dW2, dX2 */;
        long teacherFwd = mm(B, 256, 12) + mm(B, 2, 256);
        DistillSettings[] variants = {
                DistillSettings.of(Method.ONESHOT),
                DistillSettings.builder().method(Method.ONESHOT).hardLabels(true).build(),
                DistillSettings.builder().method(Method.ONESHOT).alpha(0.3).temperature(2).build(),
                DistillSettings.of(Method.PROGRESSIVE)};
        for (DistillSettings s : variants) {
            RunSummary r = run(s, wide, 1, 32);
            assertEquals(studentFwd + studentBwd, r.trainFlops(), s.toString());
            assertEquals(teacherFwd, r.teacherFlops(), s.toString());
            assertEquals(0, r.setupTeacherFlops());
        }
        RunSummary ce = run(DistillSettings.of(Method.CE), null, 1, 32);
        assertEquals(studentFwd + studentBwd, ce.trainFlops());
        assertEquals(0, ce.teacherFlops());
        assertEquals(0, ce.storageBytes());
        assertEquals(null, ce.teacher());
    }

    @Test
    void projectionStagesRunTheTeacherOnlyUpToTheirLayer() throws IOException {
        int samples = 100;
        DistillSettings s = DistillSettings.builder().method(Method.EXTRACT).stageLength(StageLength.fixed(2))
                .standardizeSamples(samples).adapter(true).build();
        // student 12 -> 16 -> 8 -> 2, teacher 12 -> 64 -> 48 -> 2: t(1) = 1, t(2) = 2; dP = dS
        RunSummary r = run(s, deep, 5, 16, 8);

        long setup = mm(samples, 64, 12) + mm(samples, 16, 64)                       // stage 1 statistics
                + mm(samples, 64, 12) + mm(samples, 48, 64) + mm(samples, 8, 48);     // stage 2 statistics
        long teacher1 = mm(B, 64, 12) + mm(B, 16, 64);
        long teacher2 = mm(B, 64, 12) + mm(B, 48, 64) + mm(B, 8, 48);
        long teacherKd = mm(B, 64, 12) + mm(B, 48, 64) + mm(B, 2, 48);
        long student1 = mm(B, 16, 12) + mm(B, 16, 16)                                 // layer 1, adapter
                + mm(16, 16, B) + mm(B, 16, 16) + mm(16, 12, B);                       // adapter dW dX, layer 1 dW
        long student2 = mm(B, 16, 12) + mm(B, 8, 16) + mm(B, 8, 8)
                + mm(8, 8, B) + mm(B, 8, 8) + mm(8, 16, B) + mm(B, 16, 8) + mm(16, 12, B);
        long studentKd = mm(B, 16, 12) + mm(B, 8, 16) + mm(B, 2, 8)
                + mm(2, 8, B) + mm(B, 8, 2) + mm(8, 16, B) + mm(B, 16, 8) + mm(16, 12, B);

        assertEquals(setup, r.setupTeacherFlops());
        List<EvalPoint> e = r.evals();
        assertEquals(6, e.size());
        long[] teacherSteps = {teacher1, teacher1, teacher2, teacher2, teacherKd};
        long[] studentSteps = {student1, student1, student2, student2, studentKd};
        String[] stages = {"project-1", "project-1", "project-2", "project-2", "kd"};
        assertEquals(setup, e.getFirst().teacherFlops());
        assertEquals(0, e.getFirst().trainFlops());
        for (int i = 1; i < e.size(); i++) {
            assertEquals(teacherSteps[i - 1], e.get(i).teacherFlops() - e.get(i - 1).teacherFlops(), "teacher, step " + i);
            assertEquals(studentSteps[i - 1], e.get(i).trainFlops() - e.get(i - 1).trainFlops(), "student, step " + i);
            assertEquals(stages[i - 1], e.get(i).stage());
        }
        assertEquals(List.of("project-1", "project-2", "kd"), r.stages().stream().map(StageSummary::name).toList());
        assertEquals(List.of(2L, 2L, 1L), r.stages().stream().map(StageSummary::steps).toList());
    }

    @Test
    void withoutAdapterTheStageHasNoAdapterProducts() throws IOException {
        DistillSettings s = DistillSettings.builder().method(Method.EXTRACT).adapter(false).stages(1)
                .stageLength(StageLength.fixed(1)).standardizeSamples(10).build();
        RunSummary r = run(s, deep, 2, 16, 8);
        List<EvalPoint> e = r.evals();
        assertEquals(mm(B, 16, 12) + mm(16, 12, B), e.get(1).trainFlops());
        assertEquals(mm(B, 64, 12) + mm(B, 16, 64), e.get(1).teacherFlops() - e.get(0).teacherFlops());
    }
}
