// The order in which lanes get a comparison's runs: teachers first, students after their teacher, a lone run alone.
package curex.engine.compare;

import curex.engine.distill.Method;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RunQueueTest {

    private static RunQueue queue(Preset preset, boolean byPriority) {
        ComparisonPlan plan = new ComparisonPlan(preset, 2, ComparisonPlan.allMethods());
        return new RunQueue(plan.runs(), preset.rules().targetFromTeacher(), byPriority);
    }

    private static RunQueue.Pick take(RunQueue q) throws InterruptedException {
        return q.next().orElseThrow();
    }

    private static void finish(RunQueue q, RunQueue.Pick p) {
        q.done(p.index(), new ComparisonResult.Outcome(q.runs().get(p.index()), Map.of(), false));
    }

    private static String label(RunQueue q, RunQueue.Pick p) {
        return q.runs().get(p.index()).label();
    }

    @Test
    void byPriorityTeachersGoFirstThenTheStudentsThatReadThemThenTheRest() throws InterruptedException {
        RunQueue q = queue(Preset.tfTiny(), true);
        RunQueue.Pick t0 = take(q), t1 = take(q);
        assertEquals(List.of("seed 0 teacher", "seed 1 teacher"), List.of(label(q, t0), label(q, t1)));
        assertFalse(t0.alone() || t1.alone());
        RunQueue.Pick ce0 = take(q);
        assertEquals("seed 0 ce", label(q, ce0), "the only run ready while the teachers train");
        finish(q, t1);
        assertEquals("seed 1 oneshot", label(q, take(q)), "a student that reads a teacher before plain ce");
        List<String> rest = new ArrayList<>();
        finish(q, t0);
        finish(q, ce0);
        for (Method m : List.of(Method.PROGRESSIVE, Method.EXTRACT)) rest.add("seed 1 " + m.id());
        rest.addAll(0, List.of("seed 0 oneshot", "seed 0 progressive", "seed 0 extract"));
        rest.add("seed 1 ce");
        List<String> got = new ArrayList<>();
        for (int i = 0; i < rest.size(); i++) got.add(label(q, take(q)));
        assertEquals(rest, got);
    }

    @Test
    void inPlanOrderOneLaneMakesTheRunsAsPlanned() throws InterruptedException {
        RunQueue q = queue(Preset.tfTiny(), false);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < q.runs().size(); i++) {
            RunQueue.Pick p = take(q);
            got.add(label(q, p));
            finish(q, p);
        }
        assertEquals(q.runs().stream().map(PlannedRun::label).toList(), got);
        assertTrue(q.next().isEmpty());
    }

    @Test
    void aSharedTeacherThatEveryStudentWaitsOnGoesAloneAndBlocksTheOtherLanes() throws Exception {
        RunQueue q = queue(Preset.pcfgTiny(), true);
        RunQueue.Pick teacher = take(q);
        assertEquals("seed 0 teacher", label(q, teacher));
        assertTrue(teacher.alone(), "every student takes its target from the shared teacher");
        RunQueue.Pick[] waited = new RunQueue.Pick[1];
        Thread lane = Thread.ofPlatform().start(() -> {
            try {
                waited[0] = take(q);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        lane.join(200);
        assertTrue(lane.isAlive(), "a second lane waits while the teacher trains");
        finish(q, teacher);
        lane.join(5000);
        assertNotNull(waited[0]);
        assertFalse(waited[0].alone());
        q.halt();
        assertTrue(q.next().isEmpty(), "nothing starts after a halt");
    }
}
