// The learning-rate schedules after warmup: constant, or cosine decay to 0 at the last step of the budget.
package curex.engine.optim;

import curex.engine.settings.Choice;

/** The shape of the learning rate over a budget, after a linear warmup. */
public enum ScheduleKind {
    CONSTANT, COSINE;

    public static ScheduleKind parse(String word) {
        return Choice.parse(ScheduleKind.class, "learning-rate schedule", word);
    }

    /** Peak {@code lr} reached after {@code warmup} linear steps, then this shape until step {@code steps}. */
    public LrSchedule schedule(float lr, long warmup, long steps) {
        return switch (this) {
            case COSINE -> LrSchedule.warmupCosine(lr, warmup, steps, 0f);
            case CONSTANT -> warmup == 0 ? LrSchedule.constant(lr) : s -> s < warmup ? lr * (s + 1) / warmup : lr;
        };
    }

    @Override
    public String toString() {
        return Choice.id(this);
    }
}
