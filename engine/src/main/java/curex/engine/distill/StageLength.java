// How long a projection stage lasts: fixed steps, a fraction of the budget, until its loss plateaus, or automatic.
package curex.engine.distill;

import java.util.Locale;

/**
 * A projection stage's length. {@code FIXED}: {@code steps} steps. {@code FRACTION}: {@code round(fraction *
 * budget)} steps (at least 1). {@code ADAPTIVE}: the stage loss is averaged over windows of {@code checkEvery}
 * steps; after each window the mean is compared with the best so far, and the stage ends once {@code patience}
 * windows in a row failed to improve it by the relative {@code minImprovement}, or after {@code maxSteps}.
 * {@code AUTO}: the stage loss is averaged over windows of {@link #windowFor} steps (a share of the budget); the stage
 * ends once {@code patience} windows in a row each improved the mean by less than {@code minImprovement} of the whole
 * improvement since the stage's first window, or at {@link #maxStepsFor} (a tenth of the budget, at least two
 * windows); see {@link AutoStageEnd}.
 */
public record StageLength(Kind kind, long steps, double fraction, int patience, long maxSteps, long checkEvery,
                          double minImprovement) {

    public enum Kind { FIXED, FRACTION, ADAPTIVE, AUTO }

    public static final long DEFAULT_STEPS = 300;
    public static final int DEFAULT_PATIENCE = 5;
    public static final long DEFAULT_MAX_STEPS = 1000;
    public static final long DEFAULT_CHECK_EVERY = 50;
    public static final double DEFAULT_MIN_IMPROVEMENT = 0.01;
    /** AUTO: a window gaining less than this share of the stage's improvement so far counts as stale ... */
    public static final double AUTO_MIN_SHARE = 0.1;
    /** ... and this many stale windows in a row end the stage. */
    public static final int AUTO_PATIENCE = 2;

    public StageLength {
        if (kind == null) throw new IllegalArgumentException("stage length kind must not be null");
        switch (kind) {
            case FIXED -> {
                if (steps < 1) throw new IllegalArgumentException("stage length must be >= 1 step, got " + steps);
            }
            case FRACTION -> {
                if (!(fraction > 0 && fraction < 1))
                    throw new IllegalArgumentException("stage length as a fraction of the budget must lie in (0, 1), got "
                            + fraction);
            }
            case ADAPTIVE -> {
                if (patience < 1)
                    throw new IllegalArgumentException("adaptive stage patience must be >= 1 check, got " + patience);
                if (checkEvery < 1)
                    throw new IllegalArgumentException("adaptive stage check interval must be >= 1 step, got " + checkEvery);
                if (maxSteps < checkEvery)
                    throw new IllegalArgumentException("adaptive stage maximum (" + maxSteps
                            + " steps) must be at least one check interval (" + checkEvery + " steps)");
                if (!(minImprovement >= 0 && minImprovement < 1))
                    throw new IllegalArgumentException("adaptive stage minimum relative improvement must lie in [0, 1), got "
                            + minImprovement);
            }
            case AUTO -> {
                if (patience < 1) throw new IllegalArgumentException("auto stage patience must be >= 1, got " + patience);
                if (!(minImprovement > 0 && minImprovement < 1))
                    throw new IllegalArgumentException("auto stage minimum share must lie in (0, 1), got " + minImprovement);
            }
        }
    }

    public static StageLength fixed(long steps) {
        return new StageLength(Kind.FIXED, steps, 0, 0, 0, 0, 0);
    }

    public static StageLength fraction(double fraction) {
        return new StageLength(Kind.FRACTION, 0, fraction, 0, 0, 0, 0);
    }

    public static StageLength adaptive(int patience, long maxSteps, long checkEvery) {
        return new StageLength(Kind.ADAPTIVE, 0, 0, patience, maxSteps, checkEvery, DEFAULT_MIN_IMPROVEMENT);
    }

    /** Ends each stage when its loss stops improving, judged on windows sized by the budget. */
    public static StageLength auto() {
        return new StageLength(Kind.AUTO, 0, 0, AUTO_PATIENCE, 0, 0, AUTO_MIN_SHARE);
    }

    /** The window over which an automatic stage averages its loss: a quarter percent of the budget, 10 to 100 steps. */
    public static long windowFor(long budget) {
        return Math.max(10, Math.min(100, budget / 400));
    }

    /** The default: {@link #auto()}. */
    public static StageLength defaults() {
        return auto();
    }

    /**
     * Parses "300" (fixed steps), "0.1" or "10%" (fraction of the budget), "auto", "adaptive" (defaults), or
     * "adaptive:PATIENCE[:MAX_STEPS[:CHECK_EVERY]]".
     */
    public static StageLength parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.equals("auto")) return auto();
            if (t.startsWith("adaptive")) {
                String[] p = t.split(":");
                if (!p[0].equals("adaptive") || p.length > 4) throw new NumberFormatException();
                int patience = p.length > 1 ? Integer.parseInt(p[1]) : DEFAULT_PATIENCE;
                long max = p.length > 2 ? Long.parseLong(p[2]) : DEFAULT_MAX_STEPS;
                long every = p.length > 3 ? Long.parseLong(p[3]) : DEFAULT_CHECK_EVERY;
                return adaptive(patience, max, every);
            }
            if (t.endsWith("%")) return fraction(Double.parseDouble(t.substring(0, t.length() - 1)) / 100);
            if (t.contains(".") || t.contains("e")) return fraction(Double.parseDouble(t));
            return fixed(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad stage length '" + text + "'; expected steps (300), a fraction of the "
                    + "budget (0.1 or 10%), 'auto', 'adaptive' or 'adaptive:PATIENCE[:MAX_STEPS[:CHECK_EVERY]]'");
        }
    }

    /** Steps the stage runs at most under a budget of {@code budget} steps. */
    public long maxStepsFor(long budget) {
        return switch (kind) {
            case FIXED -> steps;
            case FRACTION -> Math.max(1, Math.round(fraction * budget));
            case ADAPTIVE -> maxSteps;
            case AUTO -> Math.max(2 * windowFor(budget), budget / 10);
        };
    }

    /** As typed: "300", "10%", "adaptive:5:1000:50". */
    public String describe() {
        return switch (kind) {
            case FIXED -> Long.toString(steps);
            case FRACTION -> String.format(Locale.ROOT, "%s%%", stripZeros(100 * fraction));
            case ADAPTIVE -> "adaptive:" + patience + ":" + maxSteps + ":" + checkEvery;
            case AUTO -> "auto";
        };
    }

    private static String stripZeros(double v) {
        String s = String.format(Locale.ROOT, "%.6f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    @Override
    public String toString() {
        return describe();
    }
}
