// Hands a comparison's runs to its lanes, each run once the teacher it depends on has finished, teachers first.
package curex.engine.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A student run depends on its seed's teacher (or the shared one) when it reads it or takes its target from it.
 * {@link #next} returns the index of a run whose teacher has finished: the first in plan order, or by priority (for
 * several lanes) teachers first (every student of their seed waits on them), then students that read a teacher (the
 * long runs), then the rest, so that the short runs fill the gaps at the end. It blocks while every remaining run waits on a teacher in progress, and
 * returns empty when nothing is left or the queue was halted (a failure or a stop: no run starts after it). A run
 * handed out while no other is in progress or ready goes {@link Pick#alone}: until it ends no other run can start
 * (only its end can make one ready), so it may use every lane's threads.
 */
final class RunQueue {
    private final List<PlannedRun> runs;
    private final int[] teacherOf;        // index of the run a run waits on, or -1
    private final ComparisonResult.Outcome[] outcomes;
    private final boolean[] taken;
    private int inProgress;
    private boolean halted;

    private final boolean byPriority;

    /** {@code byPriority}: teachers first, then the long runs (for several lanes); otherwise plan order. */
    RunQueue(List<PlannedRun> runs, boolean targetFromTeacher, boolean byPriority) {
        this.runs = List.copyOf(runs);
        this.byPriority = byPriority;
        this.teacherOf = new int[runs.size()];
        this.outcomes = new ComparisonResult.Outcome[runs.size()];
        this.taken = new boolean[runs.size()];
        for (int i = 0; i < runs.size(); i++) teacherOf[i] = dependency(i, targetFromTeacher);
    }

    /** The teacher run that run i reads or takes its target from, or -1. */
    private int dependency(int i, boolean targetFromTeacher) {
        PlannedRun r = runs.get(i);
        if (r.isTeacher() || (r.teacherDir() == null && !targetFromTeacher)) return -1;
        for (int j = 0; j < runs.size(); j++) {
            PlannedRun t = runs.get(j);
            if (t.isTeacher() && (r.teacherDir() != null ? t.dir().equals(r.teacherDir()) : t.seed() == r.seed()))
                return j;
        }
        if (r.teacherDir() != null) throw new IllegalStateException(r.label() + " reads a teacher that is not planned");
        for (int j = 0; j < runs.size(); j++) if (runs.get(j).isTeacher()) return j;   // the shared teacher
        throw new IllegalStateException(r.label() + ": its target comes from a teacher that is not planned");
    }

    List<PlannedRun> runs() {
        return runs;
    }

    /** Run {@code index} of the plan; {@code alone}: no other run is in progress or ready to start beside it. */
    record Pick(int index, boolean alone) {
    }

    /** The next run to make, waiting while every remaining one waits on a teacher in progress. */
    synchronized Optional<Pick> next() throws InterruptedException {
        while (true) {
            if (halted) return Optional.empty();
            int best = -1, ready = 0;
            boolean pending = false;
            for (int i = 0; i < runs.size(); i++) {
                if (taken[i]) continue;
                pending = true;
                if (teacherOf[i] >= 0 && outcomes[teacherOf[i]] == null) continue;
                ready++;
                if (best < 0 || rank(i) < rank(best)) best = i;
            }
            if (best >= 0) {
                taken[best] = true;
                boolean alone = inProgress == 0 && ready == 1;
                inProgress++;
                return Optional.of(new Pick(best, alone));
            }
            if (!pending) return Optional.empty();
            if (inProgress == 0) throw new IllegalStateException("comparison runs wait on teachers that never run");
            wait();
        }
    }

    /** 0: a teacher, 1: a student that reads a teacher, 2: any other run (all 0 in plan order). */
    private int rank(int i) {
        if (!byPriority) return 0;
        PlannedRun r = runs.get(i);
        return r.isTeacher() ? 0 : r.teacherDir() != null ? 1 : 2;
    }

    /** Records that run i finished with {@code outcome}. */
    synchronized void done(int i, ComparisonResult.Outcome outcome) {
        outcomes[i] = outcome;
        inProgress--;
        notifyAll();
    }

    /** Records that run i ended without an outcome (stopped or failed); no run starts after this. */
    synchronized void abandon(int i) {
        inProgress--;
        halt();
    }

    /** No run starts after this. */
    synchronized void halt() {
        halted = true;
        notifyAll();
    }

    /** The outcome of the teacher run i depends on; null when it has none or the teacher has not finished. */
    synchronized ComparisonResult.Outcome teacherOutcome(int i) {
        return teacherOf[i] < 0 ? null : outcomes[teacherOf[i]];
    }

    /** The outcomes so far, in plan order. */
    synchronized List<ComparisonResult.Outcome> outcomes() {
        List<ComparisonResult.Outcome> r = new ArrayList<>();
        for (ComparisonResult.Outcome o : outcomes) if (o != null) r.add(o);
        return r;
    }
}
