// End to end on a tiny parity setting: every method completes a 200-step run with a full result; extraction's
// projection stage lowers its loss; the run's files; clear errors for a wrong teacher.
package curex.engine.distill;

import curex.engine.TestBackends;
import curex.engine.autograd.Activation;
import curex.engine.data.SparseParity;
import curex.engine.io.RunLayout;
import curex.engine.metrics.EvalPoint;
import curex.engine.metrics.MetricsLog;
import curex.engine.metrics.RunSummary;
import curex.engine.metrics.StageSummary;
import curex.engine.model.ModelConfig;
import curex.engine.nn.Mlp;
import curex.engine.nn.MlpConfig;
import curex.engine.optim.AdamW;
import curex.engine.optim.LrSchedule;
import curex.engine.report.Curve;
import curex.engine.settings.EvalSettings;
import curex.engine.settings.Lineage;
import curex.engine.settings.TrainingSettings;
import curex.engine.tensor.ExecContext;
import curex.engine.train.EvalResult;
import curex.engine.train.HeldOutAccuracy;
import curex.engine.train.TaskObjective;
import curex.engine.train.TrainState;
import curex.engine.train.TrainStep;
import curex.engine.train.Trainer;
import curex.engine.train.TrainingRun;
import curex.kernels.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistillRunTest {
    private static final Backend BE = TestBackends.open();
    private static final int B = 32;

    @TempDir
    static Path dir;
    private static RunLayout teacher;

    @BeforeAll
    static void trainTeacher() throws IOException {
        teacher = TinyTeacher.train(BE, dir.resolve("teacher"));   // 12 -> 256 -> 2, 300 steps, checkpoints per 100
    }

    @AfterAll
    static void close() {
        BE.close();
    }

    private static ModelConfig student(int... hidden) {
        return MlpConfig.forTask(TinyTeacher.TASK, Activation.RELU, hidden);
    }

    private static TrainingSettings training(long steps) {
        return TinyTeacher.student(B, steps).seed(1).eval(new EvalSettings(50, 512, 0.9, false)).build();
    }

    private static TrainingRun run(SparseParity task, TrainingSettings t, DistillSettings s, Path teacherDir) {
        return new TrainingRun(BE, task, MlpConfig.forTask(task, Activation.RELU, 32), t)
                .method(new Distillation(s, teacherDir));
    }

    private static RunSummary run(DistillSettings s) throws IOException {
        return run(TinyTeacher.TASK, training(200), s, teacher.dir()).run();
    }

    @Test
    void everyMethodProducesACompleteResult() throws IOException {
        long model = Files.size(teacher.model());
        for (Method m : Method.values()) {
            DistillSettings s = DistillSettings.builder().method(m).stageLength(StageLength.fixed(100)).build();
            RunSummary r = run(s);
            assertEquals(m.id(), r.role());
            assertEquals(200, r.steps());
            assertEquals(200L * B, r.samples());
            assertEquals(List.of(0L, 50L, 100L, 150L, 200L), r.evals().stream().map(EvalPoint::step).toList());
            for (EvalPoint p : r.evals()) {
                assertTrue(p.accuracy() >= 0 && p.accuracy() <= 1);
                assertTrue(Double.isFinite(p.loss()));
            }
            assertEquals(r.evals().getLast().accuracy(), r.finalAccuracy());
            assertTrue(r.bestAccuracy() >= r.finalAccuracy());
            assertTrue(r.trainFlops() > 0);
            assertTrue(r.wallSeconds() > 0 && r.stepsPerSecond() > 0);
            assertEquals("max_steps", r.stopReason());
            assertEquals(200, r.stages().stream().mapToLong(StageSummary::steps).sum());
            if (r.reachedTarget()) {
                EvalPoint first = r.evals().stream().filter(p -> p.accuracy() >= 0.9).findFirst().orElseThrow();
                assertEquals(first.step(), r.stepsToTarget());
                assertEquals(first.teacherFlops(), r.teacherFlopsToTarget());
            } else {
                assertNull(r.trainFlopsToTarget());
            }
            Map<String, Object> map = r.toMap();
            for (String key : List.of("role", "target_accuracy", "steps_to_target", "samples_to_target",
                    "train_flops_to_target", "teacher_flops_to_target", "train_flops", "teacher_flops",
                    "storage_bytes", "stages", "evals", "steps", "samples", "final_accuracy", "best_accuracy",
                    "wall_seconds", "steps_per_second"))
                assertTrue(map.containsKey(key), m + " result lacks " + key);
            switch (m) {
                case CE -> {
                    assertEquals(0, r.teacherFlops());
                    assertEquals(0, r.storageBytes());
                    assertEquals(List.of("ce"), names(r));
                }
                case ONESHOT -> {
                    assertEquals(model, r.storageBytes());
                    assertEquals(200 * 2L * B * (12 * 256 + 256 * 2), r.teacherFlops());
                    assertEquals(List.of("kd"), names(r));
                }
                case PROGRESSIVE -> {   // steps 0..100 use step-100, 101..199 step-200
                    assertEquals(Files.size(teacher.checkpoint(100)) + Files.size(teacher.checkpoint(200)), r.storageBytes());
                    assertEquals(List.of("kd@step-100", "kd@step-200"), names(r));
                    assertEquals(List.of(101L, 99L), r.stages().stream().map(StageSummary::steps).toList());
                    assertEquals(200 * 2L * B * (12 * 256 + 256 * 2), r.teacherFlops());
                }
                case EXTRACT -> {
                    assertEquals(model, r.storageBytes());
                    assertEquals(List.of("project-1", "kd"), names(r));
                    StageSummary stage = r.stages().getFirst();
                    assertEquals(100, stage.steps());
                    assertTrue(stage.finalLoss() < 0.9 * stage.firstLoss(),
                            "projection stage loss " + stage.firstLoss() + " -> " + stage.finalLoss());
                    assertTrue(r.setupTeacherFlops() > 0);
                    assertEquals("project-1", r.evals().get(2).stage());
                    assertEquals("kd", r.evals().get(3).stage());
                }
            }
        }
    }

    @Test
    void ceIsPlainTrainingOnTheSameDataAndIsDeterministic() throws IOException {
        RunSummary a = run(TinyTeacher.TASK, training(60), DistillSettings.of(Method.CE), null).run();
        RunSummary b = run(TinyTeacher.TASK, training(60), DistillSettings.of(Method.CE), null).run();
        assertEquals(a.evals(), b.evals());
        // the engine's own loop with the same seed, init, optimizer and batches gives the same final evaluation
        SparseParity task = TinyTeacher.TASK;
        long data = Lineage.STUDENT.dataSeed(1);
        try (Mlp mlp = Mlp.create(BE, MlpConfig.of(Activation.RELU, 12, 32, 2), Lineage.STUDENT.initSeed(1));
             AdamW opt = new AdamW(mlp.parameters(), new AdamW.Config(0.9f, 0.999f, 1e-8f, 0f));
             TrainStep step = new TrainStep(new ExecContext(BE), opt, 0f);
             TaskObjective batches = new TaskObjective(BE, mlp, task, B, data);
             HeldOutAccuracy acc = new HeldOutAccuracy(new ExecContext(BE), mlp, task, task.heldOut(data, 512), 1024)) {
            new Trainer(step, batches, LrSchedule.constant(3e-3f), 60).run(TrainState.start());
            EvalResult plain = acc.evaluate();
            assertEquals(plain.accuracy(), a.finalAccuracy());
            assertEquals(plain.loss(), a.evals().getLast().loss());
        }
    }

    @Test
    void adaptiveStagesEndOnAPlateauOrTheirMaximum() throws IOException {
        DistillSettings s = DistillSettings.builder().method(Method.EXTRACT)
                .stageLength(StageLength.adaptive(2, 120, 10)).projection(Projection.Kind.ORTHOGONAL)
                .stageLoss(DistillSettings.StageLoss.COSINE).trainedLayers(DistillSettings.TrainedLayers.CURRENT).build();
        RunSummary r = run(s);
        StageSummary stage = r.stages().getFirst();
        assertEquals("project-1", stage.name());
        assertTrue(stage.steps() == 120 || stage.steps() % 10 == 0 && stage.steps() >= 30, "stage of " + stage.steps());
        assertEquals(200 - stage.steps(), r.stages().get(1).steps());
    }

    @Test
    void theAutomaticStageEndIsTheDefaultAndRecordsItsDecision() throws IOException {
        RunLayout out = new RunLayout(dir.resolve("auto"));
        DistillSettings s = DistillSettings.of(Method.EXTRACT);
        assertEquals(StageLength.Kind.AUTO, s.stageLength().kind());
        RunSummary r = run(TinyTeacher.TASK, training(200), s, teacher.dir()).output(out).run();
        StageSummary stage = r.stages().getFirst();
        assertEquals("project-1", stage.name());
        Map<String, Object> end = stage.end();
        assertNotNull(end, "the projection stage says why it ended");
        assertEquals("auto", end.get("rule"));
        assertEquals(stage.steps(), ((Number) end.get("steps_in_stage")).longValue());
        // budget 200: windows of 10 steps, a cap of 20 steps (two windows)
        assertTrue(stage.steps() <= 20 && stage.steps() % 10 == 0, "stage of " + stage.steps());
        assertNull(r.stages().getLast().end(), "the last stage runs out the budget");
        List<Map<String, Object>> decisions = MetricsLog.readAll(out.metrics()).stream()
                .filter(l -> "stage_end".equals(l.get("kind"))).toList();
        assertEquals(1, decisions.size());
        assertEquals("project-1", decisions.getFirst().get("stage"));
        assertEquals(stage.steps(), ((Number) decisions.getFirst().get("step")).longValue());
        assertEquals(end.get("trigger"), decisions.getFirst().get("trigger"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stages = (List<Map<String, Object>>) RunSummary.read(out.summary()).get("stages");
        assertEquals("auto", ((Map<?, ?>) stages.getFirst().get("end")).get("rule"));
    }

    @Test
    void stopsAtTheTargetWhenAsked() throws IOException {
        TrainingSettings t = TinyTeacher.student(B, 100).eval(new EvalSettings(10, 256, 0.01, true)).build();
        RunSummary r = run(TinyTeacher.TASK, t, DistillSettings.of(Method.ONESHOT), teacher.dir()).run();
        assertEquals("target_reached", r.stopReason());
        assertEquals(0L, r.stepsToTarget());
        assertEquals(0, r.steps());
    }

    @Test
    void theRunWritesMetricsSummaryAndModel() throws IOException {
        RunLayout out = new RunLayout(dir.resolve("student"));
        DistillSettings s = DistillSettings.builder().method(Method.EXTRACT).stageLength(StageLength.fixed(50)).build();
        run(TinyTeacher.TASK, training(100), s, teacher.dir()).output(out).settings(Map.of("seed", 1)).run();
        List<Map<String, Object>> lines = MetricsLog.readAll(out.metrics());
        assertEquals(20, lines.stream().filter(l -> "train".equals(l.get("kind"))).count(), "every 5 steps");
        List<Map<String, Object>> evals = lines.stream().filter(l -> "eval".equals(l.get("kind"))).toList();
        assertEquals(3, evals.size());
        assertEquals("project-1", evals.get(1).get("stage"));
        assertEquals(List.of("project-1", "kd"),
                lines.stream().filter(l -> "stage".equals(l.get("kind"))).map(l -> l.get("name")).toList());
        Curve curve = Curve.read(out.metrics());
        assertEquals(3, curve.size());
        assertTrue(curve.flops()[0] > 0, "step 0 already holds the standardization's teacher FLOPs");
        Map<String, Object> summary = RunSummary.read(out.summary());
        assertEquals("parity", summary.get("task"));
        assertEquals("extract", summary.get("role"));
        assertEquals(Map.of("seed", 1), summary.get("settings"));
        assertNotNull(summary.get("teacher_flops"));
        assertTrue(Files.isRegularFile(out.model()));
    }

    @Test
    void wrongOrMissingTeachersFailClearly() throws IOException {
        TrainingSettings t = TinyTeacher.student(8, 10).build();
        var task10 = new SparseParity(10, 3);
        for (Method m : List.of(Method.ONESHOT, Method.EXTRACT, Method.PROGRESSIVE)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> run(task10, t, DistillSettings.of(m), teacher.dir()).run());
            Path file = m == Method.PROGRESSIVE ? teacher.checkpoint(100) : teacher.model();
            assertEquals("teacher " + file + " takes 12 inputs but the task has n=10", e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(TinyTeacher.TASK, t, DistillSettings.of(Method.EXTRACT), null).run());
        assertTrue(e.getMessage().contains("extract needs a teacher"), e.getMessage());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        e = assertThrows(IllegalArgumentException.class,
                () -> run(TinyTeacher.TASK, t, DistillSettings.of(Method.ONESHOT), empty).run());
        assertTrue(e.getMessage().contains("has no model.safetensors"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> run(TinyTeacher.TASK, t, DistillSettings.of(Method.EXTRACT), teacher.dir()).run());
        assertTrue(e.getMessage().contains("leaving nothing for the final KD stage"), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }

    private static List<String> names(RunSummary r) {
        return r.stages().stream().map(StageSummary::name).toList();
    }
}
