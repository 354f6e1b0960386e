// Progressive KD's teacher sequence: which checkpoint each student step uses, lazy loading, storage, errors.
package curex.engine.distill;

import curex.engine.data.SparseParity;
import curex.engine.io.RunLayout;
import curex.kernels.Backend;
import curex.kernels.ReferenceBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressiveTeachersTest {
    private static final Backend BE = new ReferenceBackend();

    @TempDir
    static Path dir;
    private static RunLayout run;

    @BeforeAll
    static void teacherRun() throws IOException {
        run = TinyTeacher.train(BE, dir.resolve("teacher"), TinyTeacher.TASK, new int[]{12, 16, 2}, 30, 10);
        // a stray file that is not a step checkpoint is ignored
        Files.writeString(run.checkpoints().resolve("notes.txt"), "x");
    }

    @Test
    void choosesTheFirstCheckpointAtOrAfterStepTimesSpeed() throws IOException {
        try (ProgressiveTeachers t = ProgressiveTeachers.open(run.dir(), 1, BE, TinyTeacher.TASK)) {
            assertArrayEquals(new long[]{10, 20, 30}, t.checkpointSteps());
            assertEquals(run.checkpoint(10), t.fileFor(0));
            assertEquals(run.checkpoint(10), t.fileFor(10));
            assertEquals(run.checkpoint(20), t.fileFor(11));
            assertEquals(run.checkpoint(30), t.fileFor(30));
            assertEquals(run.model(), t.fileFor(31));
            assertEquals("step-20", t.label(15));
            assertEquals("final", t.label(1000));
        }
        try (ProgressiveTeachers fast = ProgressiveTeachers.open(run.dir(), 2.5, BE, TinyTeacher.TASK)) {
            assertEquals(run.checkpoint(10), fast.fileFor(4));     // 10 >= 10
            assertEquals(run.checkpoint(20), fast.fileFor(5));     // 12.5 -> 20
            assertEquals(run.checkpoint(30), fast.fileFor(12));    // 30 >= 30
            assertEquals(run.model(), fast.fileFor(13));           // 32.5 > 30
        }
        try (ProgressiveTeachers slow = ProgressiveTeachers.open(run.dir(), 0.5, BE, TinyTeacher.TASK)) {
            assertEquals(run.checkpoint(10), slow.fileFor(20));
            assertEquals(run.checkpoint(20), slow.fileFor(21));
            assertEquals(run.model(), slow.fileFor(61));
        }
    }

    @Test
    void loadsLazilyKeepsOneAndCountsEachFileOnce() throws IOException {
        try (ProgressiveTeachers t = ProgressiveTeachers.open(run.dir(), 1, BE, TinyTeacher.TASK)) {
            assertEquals(0, t.storageBytes());
            TeacherModel first = t.at(0);
            assertSame(first, t.at(7));
            assertEquals(Files.size(run.checkpoint(10)), t.storageBytes());
            TeacherModel second = t.at(11);
            assertNotSame(first, second);
            t.at(25);
            t.at(25);
            long expected = Files.size(run.checkpoint(10)) + Files.size(run.checkpoint(20)) + Files.size(run.checkpoint(30));
            assertEquals(expected, t.storageBytes());
            t.at(40);      // the final model: the same weights as step-30, read but not counted again
            assertEquals(expected, t.storageBytes());
            assertEquals(List.of(run.checkpoint(10), run.checkpoint(20), run.checkpoint(30), run.model()), t.filesRead());
            assertSame(t.flops(), t.at(40).flops(), "all teachers count on one counter");
        }
    }

    @Test
    void missingCheckpointsNameTheFolder() throws IOException {
        Path bare = dir.resolve("bare");
        TinyTeacher.randomModel(BE, new RunLayout(bare).model(), 1, 12, 8, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProgressiveTeachers.open(bare, 1, BE, TinyTeacher.TASK));
        assertEquals("progressive needs the teacher's checkpoints: " + bare.resolve("checkpoints")
                + " has no step-<N>.safetensors; train the teacher with --checkpoint-every", e.getMessage());
        Files.createDirectories(bare.resolve("checkpoints"));
        e = assertThrows(IllegalArgumentException.class, () -> ProgressiveTeachers.open(bare, 1, BE, TinyTeacher.TASK));
        assertTrue(e.getMessage().contains("has no step-<N>.safetensors"));
    }

    @Test
    void teacherOfAnotherInputSizeIsRejectedOnLoad() throws IOException {
        try (ProgressiveTeachers t = ProgressiveTeachers.open(run.dir(), 1, BE, new SparseParity(10, 3))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.at(0));
            assertEquals("teacher " + run.checkpoint(10) + " takes 12 inputs but the task has n=10", e.getMessage());
        }
    }

    @Test
    void missingFinalModelIsReportedWhenNeeded() throws IOException {
        Path noFinal = dir.resolve("nofinal");
        Files.createDirectories(noFinal.resolve("checkpoints"));
        Files.copy(run.checkpoint(10), noFinal.resolve("checkpoints/step-10.safetensors"));
        try (ProgressiveTeachers t = ProgressiveTeachers.open(noFinal, 1, BE, TinyTeacher.TASK)) {
            t.at(3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.at(11));
            assertTrue(e.getMessage().contains("has no model.safetensors"), e.getMessage());
        }
    }
}
