// Ends an adaptive stage once its windowed mean loss stops improving by a relative margin for `patience` checks.
package curex.engine.distill;

import curex.engine.io.Json;

/**
 * Averages the loss over windows of {@code checkEvery} steps (the smoothing). After each window, the mean counts as
 * an improvement if it is below {@code best * (1 - minImprovement)}; {@code patience} windows in a row without one
 * end the stage, as does reaching {@code maxSteps}.
 */
final class PlateauDetector implements Stage.End {
    private final StageLength length;
    private double windowSum;
    private long windowSteps;
    private double best = Double.NaN;
    private int stale;
    private String trigger;

    PlateauDetector(StageLength length) {
        if (length.kind() != StageLength.Kind.ADAPTIVE)
            throw new IllegalArgumentException("plateau detection needs an adaptive stage length, got " + length);
        this.length = length;
    }

    @Override
    public boolean done(long stepsInStage, float loss) {
        windowSum += loss;
        windowSteps++;
        if (windowSteps == length.checkEvery()) {
            double mean = windowSum / windowSteps;
            windowSum = 0;
            windowSteps = 0;
            if (Double.isNaN(best) || mean < best * (1 - length.minImprovement())) {
                best = mean;
                stale = 0;
            } else {
                stale++;
            }
        }
        if (stale >= length.patience()) trigger = "plateau";
        else if (stepsInStage >= length.maxSteps()) trigger = "cap";
        return trigger != null;
    }

    @Override
    public java.util.Map<String, Object> reason() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("rule", "adaptive");
        m.put("trigger", trigger == null ? "none" : trigger);
        m.put("best_window_loss", Json.finite(best));
        m.put("stale_windows", stale);
        m.put("patience", length.patience());
        m.put("max_steps", length.maxSteps());
        return m;
    }

    @Override
    public java.util.Map<String, String> state() {
        return java.util.Map.of("window_sum", Double.toString(windowSum), "window_steps", Long.toString(windowSteps),
                "best", Double.toString(best), "stale", Integer.toString(stale));
    }

    @Override
    public void restore(java.util.Map<String, String> s) {
        windowSum = Double.parseDouble(s.get("window_sum"));
        windowSteps = Long.parseLong(s.get("window_steps"));
        best = Double.parseDouble(s.get("best"));
        stale = Integer.parseInt(s.get("stale"));
    }

    /** Best window mean so far (NaN before the first window ends). */
    double best() {
        return best;
    }
}
