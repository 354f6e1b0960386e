// Copies of a training spec that differ only in the seed (one per seed of a comparison).
package curex.engine.compare;

import curex.engine.distill.StudentTraining;

/** {@link StudentTraining} is a record without withers; this builds the per-seed copies. */
final class SeededTraining {
    private SeededTraining() {
    }

    static StudentTraining of(StudentTraining t, long seed) {
        return new StudentTraining(t.hidden(), t.activation(), t.batch(), t.steps(), t.optimizer(), t.lr(), t.momentum(),
                t.weightDecay(), t.schedule(), t.warmup(), t.clip(), seed, t.evalEvery(), t.evalSize(),
                t.targetAccuracy(), t.stopAtTarget());
    }

    /** The same spec with other hidden widths. */
    static StudentTraining withHidden(StudentTraining t, int[] hidden) {
        return new StudentTraining(hidden, t.activation(), t.batch(), t.steps(), t.optimizer(), t.lr(), t.momentum(),
                t.weightDecay(), t.schedule(), t.warmup(), t.clip(), t.seed(), t.evalEvery(), t.evalSize(),
                t.targetAccuracy(), t.stopAtTarget());
    }
}
