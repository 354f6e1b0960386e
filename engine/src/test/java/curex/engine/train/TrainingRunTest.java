// The one training path: interrupted and resumed runs equal uninterrupted ones, locked folders, cleanup after a failure,
// checkpoint thinning, file permissions, and seed streams kept apart between teacher and student.
package curex.engine.train;

import curex.engine.TestBackends;
import curex.engine.autograd.Activation;
import curex.engine.checkpoint.TrainingCheckpoint;
import curex.engine.data.SparseParity;
import curex.engine.distill.DistillSettings;
import curex.engine.distill.Distillation;
import curex.engine.distill.Method;
import curex.engine.distill.StageLength;
import curex.engine.io.RunLayout;
import curex.engine.io.RunLock;
import curex.engine.io.Safetensors;
import curex.engine.metrics.RunSummary;
import curex.engine.nn.Mlp;
import curex.engine.nn.MlpConfig;
import curex.engine.settings.EvalSettings;
import curex.engine.settings.Lineage;
import curex.engine.settings.OptimizerSettings;
import curex.engine.settings.TrainingSettings;
import curex.kernels.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingRunTest {
    private static final Backend BE = TestBackends.open();
    private static final SparseParity TASK = new SparseParity(10, 2);

    @TempDir
    Path dir;

    @AfterAll
    static void close() {
        BE.close();
    }

    private static TrainingSettings training(long steps) {
        return TrainingSettings.builder().batch(16).steps(steps).seed(3)
                .eval(new EvalSettings(10, 128, 0.99, false)).build();
    }

    private static TrainingRun teacher(Path out, long steps) {
        return new TrainingRun(BE, TASK, MlpConfig.forTask(TASK, Activation.RELU, 24), training(steps))
                .output(new RunLayout(out)).checkpointEvery(10);
    }

    /** A listener that raises {@code signal} after step {@code step}: Ctrl-C at a known point. */
    private static TrainingListener interruptAfter(long step, StopSignal signal) {
        return new TrainingListener() {
            @Override
            public void onStep(StepResult r, TrainState s) {
                if (s.step() == step) signal.request();
            }
        };
    }

    private static float[] weights(Path modelFile) throws IOException {
        return Safetensors.read(modelFile).tensors().values().stream().map(a -> a.data())
                .reduce((a, b) -> {
                    float[] c = Arrays.copyOf(a, a.length + b.length);
                    System.arraycopy(b, 0, c, a.length, b.length);
                    return c;
                }).orElseThrow();
    }

    @Test
    void anInterruptedRunSavesACheckpointAndSummaryAndResumesToTheSameModel() throws IOException {
        Path straight = dir.resolve("straight"), cut = dir.resolve("cut");
        teacher(straight, 40).run();
        StopSignal ctrlC = new StopSignal();
        RunSummary stopped = teacher(cut, 40).checkpointEvery(0).stopOn(ctrlC).listener(interruptAfter(17, ctrlC)).run();
        assertEquals("interrupted", stopped.stopReason());
        assertEquals(17, stopped.steps());
        RunLayout layout = new RunLayout(cut);
        assertTrue(Files.isRegularFile(layout.checkpoint(17)), "a checkpoint at the interrupted step, though none was asked");
        assertEquals("interrupted", RunSummary.read(layout.summary()).get("stop_reason"));
        RunSummary resumed = teacher(cut, 40).checkpointEvery(0).resumeFrom(layout.checkpoint(17)).run();
        assertEquals("max_steps", resumed.stopReason());
        assertArrayEquals(weights(new RunLayout(straight).model()), weights(layout.model()));
        assertEquals(RunSummary.read(new RunLayout(straight).summary()).get("final_accuracy"), resumed.finalAccuracy());
        assertEquals(5, resumed.evals().size(), "evaluations before the interruption are kept: 0, 10, 20, 30, 40");
    }

    @Test
    void extractionResumedInsideAProjectionStageEqualsTheUninterruptedRun() throws IOException {
        Path teacherDir = dir.resolve("teacher");
        teacher(teacherDir, 60).run();
        DistillSettings s = DistillSettings.builder().method(Method.EXTRACT).stageLength(StageLength.adaptive(2, 30, 5))
                .standardizeSamples(64).build();
        TrainingSettings t = training(50);
        Path straight = dir.resolve("straight"), cut = dir.resolve("cut");
        new TrainingRun(BE, TASK, MlpConfig.forTask(TASK, Activation.RELU, 12), t).method(new Distillation(s, teacherDir))
                .output(new RunLayout(straight)).run();
        StopSignal ctrlC = new StopSignal();
        new TrainingRun(BE, TASK, MlpConfig.forTask(TASK, Activation.RELU, 12), t).method(new Distillation(s, teacherDir))
                .output(new RunLayout(cut)).stopOn(ctrlC).listener(interruptAfter(12, ctrlC)).run();
        RunSummary resumed = new TrainingRun(BE, TASK, MlpConfig.forTask(TASK, Activation.RELU, 12), t)
                .method(new Distillation(s, teacherDir)).output(new RunLayout(cut))
                .resumeFrom(new RunLayout(cut).checkpoint(12)).run();
        assertArrayEquals(weights(new RunLayout(straight).model()), weights(new RunLayout(cut).model()),
                "stage, plateau windows, adapter and its optimizer restored");
        RunSummary whole = new TrainingRun(BE, TASK, MlpConfig.forTask(TASK, Activation.RELU, 12), t)
                .method(new Distillation(s, teacherDir)).run();
        assertEquals(whole.stages().stream().map(x -> x.name() + ":" + x.startStep() + "+" + x.steps()).toList(),
                resumed.stages().stream().map(x -> x.name() + ":" + x.startStep() + "+" + x.steps()).toList(),
                "the stage cut by the interruption continues as one stage");
    }

    @Test
    void aSecondRunOnALockedFolderIsRefusedAtOnce() throws IOException {
        Path out = Files.createDirectories(dir.resolve("busy"));
        try (RunLock _ = RunLock.acquire(out)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> teacher(out, 10).run());
            assertTrue(e.getMessage().contains("in use by another curex run (process " + ProcessHandle.current().pid()),
                    e.getMessage());
        }
        assertFalse(Files.exists(new RunLayout(out).metrics()), "nothing written by the refused run");
        teacher(out, 10).run();       // the lock is gone with its holder
    }

    @Test
    void aFreshRunThatFailsLeavesNoFolderBehind() throws IOException {
        Path out = dir.resolve("diverges");
        TrainingSettings wild = training(30).toBuilder().optimizer(OptimizerSettings.builder().lr(1e6).build()).build();
        DivergenceException e = assertThrows(DivergenceException.class, () ->
                new TrainingRun(BE, TASK, MlpConfig.forTask(TASK, Activation.RELU, 24), wild)
                        .output(new RunLayout(out)).run());
        assertTrue(e.getMessage().contains("diverged"), e.getMessage());
        assertFalse(Files.exists(out), "the corrected command can use the same folder");
        teacher(out, 10).run();
    }

    @Test
    void aFreshRunOutOfMemoryAfterACheckpointKeepsItsFolderToResume() throws IOException {
        Path out = dir.resolve("oom");
        TrainingListener memory = new TrainingListener() {
            @Override
            public void onStep(StepResult r, TrainState s) {
                if (s.step() == 25) throw new OutOfMemoryError("Java heap space");
            }
        };
        assertThrows(OutOfMemoryError.class, () -> teacher(out, 40).listener(memory).run());
        RunLayout layout = new RunLayout(out);
        assertEquals(List.of(layout.checkpoint(10), layout.checkpoint(20)), layout.checkpointFiles(),
                "kept: the run continues from step 20 with more memory");
        RunSummary resumed = teacher(out, 40).resumeFrom(layout.checkpoint(20)).run();
        assertEquals(40, resumed.steps());
    }

    @Test
    void checkpointsKeepResumeStateForTheNewestTwoAndThinToKeepCheckpoints() throws IOException {
        RunLayout all = new RunLayout(dir.resolve("all")), two = new RunLayout(dir.resolve("two"));
        RunLayout one = new RunLayout(dir.resolve("one"));
        teacher(all.dir(), 40).run();
        teacher(two.dir(), 40).keepCheckpoints(2).run();
        teacher(one.dir(), 40).keepCheckpoints(1).run();
        try (var files = Files.list(one.checkpoints())) {   // a snapshot thinned away takes its resume state with it
            assertEquals(List.of(one.checkpoint(40).getFileName().toString(),
                            TrainingCheckpoint.stateFile(one.checkpoint(40)).getFileName().toString()),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(4, all.checkpointFiles().size(), "every snapshot, as progressive distillation reads them");
        for (long step : List.of(10L, 20L)) assertFalse(Files.exists(TrainingCheckpoint.stateFile(all.checkpoint(step))));
        for (long step : List.of(30L, 40L)) assertTrue(Files.exists(TrainingCheckpoint.stateFile(all.checkpoint(step))));
        assertEquals(List.of(two.checkpoint(30), two.checkpoint(40)), two.checkpointFiles());
        // files get the permissions any new file gets here (0666 less the umask), not a temporary file's 0600
        Path probe = Files.createFile(dir.resolve("probe"));
        for (Path p : List.of(two.summary(), two.config(), two.model(), two.checkpoint(40)))
            assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(probe)),
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
    }

    @Test
    void teacherAndStudentOfOneSeedShareNeitherInitialisationNorBatches() {
        MlpConfig wide = MlpConfig.forTask(TASK, Activation.RELU, 64), narrow = MlpConfig.forTask(TASK, Activation.RELU, 8);
        try (Mlp t = wide.create(BE, Lineage.TEACHER.initSeed(0)); Mlp s = narrow.create(BE, Lineage.STUDENT.initSeed(0));
             Mlp same = wide.create(BE, Lineage.TEACHER.initSeed(0))) {
            float[] tw = t.parameters().get("layers.0.weight").toHost(), sw = s.parameters().get("layers.0.weight").toHost();
            assertFalse(Arrays.equals(Arrays.copyOf(tw, sw.length), sw), "the student's first neurons are not the teacher's");
            assertArrayEquals(tw, same.parameters().get("layers.0.weight").toHost(), "a stream is reproducible");
        }
        assertFalse(Arrays.equals(TASK.batch(Lineage.TEACHER.dataSeed(0), 5, 32).features(),
                TASK.batch(Lineage.STUDENT.dataSeed(0), 5, 32).features()));
        assertNotNull(Lineage.valueOf("STUDENT"));
    }
}
