// Extraction on transformers: --layer-map and --stages choose the blocks, the teacher runs only up to t(j), FLOPs add up.
package curex.engine.distill;

import curex.engine.TestBackends;
import curex.engine.checkpoint.ModelCheckpoint;
import curex.engine.data.ParitySequence;
import curex.engine.io.RunLayout;
import curex.engine.metrics.EvalPoint;
import curex.engine.metrics.RunSummary;
import curex.engine.metrics.StageSummary;
import curex.engine.nn.Transformer;
import curex.engine.nn.TransformerConfig;
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

import static org.junit.jupiter.api.Assertions.*;

class TransformerExtractionTest {
    private static final Backend BE = TestBackends.open();
    private static final ParitySequence TASK = new ParitySequence(7, 2);   // T = 8
    private static final int B = 4, T = 8, DT = 16, DS = 8;

    @TempDir
    static Path dir;
    private static Path teacher;                                            // 3 blocks, d 16, untrained

    @BeforeAll
    static void teacher() throws IOException {
        teacher = dir.resolve("teacher");
        try (Transformer t = Transformer.create(BE, config(3, DT), 5)) {
            ModelCheckpoint.save(new RunLayout(teacher).model(), t, TASK.metadata());
        }
    }

    @AfterAll
    static void close() {
        BE.close();
    }

    private static TransformerConfig config(int layers, int d) {
        return TransformerConfig.forTask(TASK, layers, d, 2, 4, TransformerConfig.Norm.PRE);
    }

    private static RunSummary run(DistillSettings s, int layers, long steps) throws IOException {
        return new TrainingRun(BE, TASK, config(layers, DS), TinyTeacher.student(B, steps)
                .eval(new EvalSettings(1, 16, 0.99, false)).build()).method(new Distillation(s, teacher)).run();
    }

    private static long mm(long m, long n, long k) {
        return 2 * m * n * k;
    }

    /** One block's forward on B x T tokens of width d (projections, attention's two products, MLP 4d). */
    private static long block(long d) {
        long rows = (long) B * T;
        return 4 * mm(rows, d, d) + 2 * mm(B, (long) T * T, d) + 2 * mm(rows, 4 * d, d);
    }

    /**
     * The teacher's last block under its classifier, on the last row: Q, the key and value weights folded into it
     * (two (d, d) products), 2 heads' attention over the T tokens, the output projection and the MLP.
     */
    private static long lastBlock(long d) {
        return 2 * mm(B, d, d) + 2 * mm(2L * B, T, d) + 2 * mm(B, d, d) + 2 * mm(B, 4 * d, d);
    }

    /** Teacher FLOPs of each training step, from the evaluation records (one per step). */
    private static long[] teacherPerStep(RunSummary r) {
        List<EvalPoint> e = r.evals();
        long[] out = new long[e.size() - 1];
        for (int i = 1; i < e.size(); i++) out[i - 1] = e.get(i).teacherFlops() - e.get(i - 1).teacherFlops();
        return out;
    }

    @Test
    void theLayerMapSendsEachStudentBlockToItsTeacherBlock() throws IOException {
        // student 2 blocks: block 1 <- teacher block 3, block 2 <- teacher block 1 (an odd map, to see it is obeyed)
        DistillSettings s = DistillSettings.builder().method(Method.EXTRACT).stageLength(StageLength.fixed(1))
                .layerMap(3, 1).standardizeSamples(16).build();
        RunSummary r = run(s, 2, 3);
        assertEquals(List.of("project-1", "project-2", "kd"), r.stages().stream().map(StageSummary::name).toList());
        long projection = mm((long) B * T, DS, DT);
        long[] perStep = teacherPerStep(r);
        assertEquals(3 * block(DT) + projection, perStep[0], "stage 1 runs teacher blocks 1..3");
        assertEquals(block(DT) + projection, perStep[1], "stage 2 runs teacher block 1 only");
        assertEquals(2 * block(DT) + lastBlock(DT) + mm(B, 2, DT), perStep[2], "KD runs the whole teacher and its classifier");
    }

    @Test
    void stagesPickWhichBlocksGetAStageAndTheDefaultMapSpreadsThem() throws IOException {
        // student 2 blocks, teacher 3: default t(2) = round(2 * 3 / 2) = 3; only block 2 gets a stage
        DistillSettings s = DistillSettings.builder().method(Method.EXTRACT).stageLength(StageLength.fixed(2))
                .stages(2).standardizeSamples(16).build();
        RunSummary r = run(s, 2, 3);
        assertEquals(List.of("project-2", "kd"), r.stages().stream().map(StageSummary::name).toList());
        assertEquals(List.of(2L, 1L), r.stages().stream().map(StageSummary::steps).toList());
        long[] perStep = teacherPerStep(r);
        assertEquals(3 * block(DT) + mm((long) B * T, DS, DT), perStep[0]);
        assertEquals(perStep[0], perStep[1]);
    }

    @Test
    void aLayerMapBeyondTheTeacherIsRefusedNamingIt() {
        DistillSettings s = DistillSettings.builder().method(Method.EXTRACT).stageLength(StageLength.fixed(1))
                .layerMap(4).standardizeSamples(16).build();
        Exception e = assertThrows(IllegalArgumentException.class, () -> run(s, 1, 3));
        assertTrue(e.getMessage().contains("teacher layer 4"), e.getMessage());
    }
}
