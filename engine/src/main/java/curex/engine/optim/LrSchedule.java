// Learning rate as a function of the step: constant, or linear warmup followed by cosine decay to a floor.
package curex.engine.optim;

/** A pure function step -> learning rate (so a resumed run gets the same rates). */
@FunctionalInterface
public interface LrSchedule {

    /** Learning rate for step {@code step} (counting from 0). */
    float at(long step);

    static LrSchedule constant(float lr) {
        return step -> lr;
    }

    /**
     * Linear warmup from {@code peak / warmup} to {@code peak} over steps 0..warmup-1, then cosine from peak to
     * {@code floor} at step {@code total}, and {@code floor} after.
     */
    static LrSchedule warmupCosine(float peak, long warmup, long total, float floor) {
        if (warmup < 0 || total < warmup)
            throw new IllegalArgumentException("warmup " + warmup + " and total " + total + " steps do not fit");
        return step -> {
            if (step < warmup) return peak * (step + 1) / warmup;
            if (step >= total) return floor;
            double progress = (double) (step - warmup) / (total - warmup);
            return (float) (floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
        };
    }
}
