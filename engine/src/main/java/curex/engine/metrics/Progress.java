// A training progress display: a redrawn bar on a terminal, plain periodic lines in logs and CI.
package curex.engine.metrics;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows step/total, rate, ETA and the latest loss and accuracy. On a terminal one line is redrawn in place at
 * most {@link #TTY_INTERVAL_NANOS} apart; otherwise (output redirected, {@code CI} set, {@code TERM=dumb}) a
 * plain line is printed at most every {@code plainIntervalSeconds}. The last update always prints on
 * {@link #close()}.
 */
public final class Progress implements AutoCloseable {
    static final long TTY_INTERVAL_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 24;

    private final String label;
    private final long total;
    private final PrintWriter out;
    private final boolean interactive;
    private final long plainIntervalNanos;
    private final LongSupplier clock;
    private final long startNanos;
    private long startStep = -1;
    private long lastPrintNanos;
    private long step;
    private double loss = Double.NaN;
    private double accuracy = Double.NaN;
    private boolean dirty;
    private boolean closed;

    /** A display that detects whether {@code out} is an interactive terminal. */
    public static Progress create(String label, long total, PrintStream out) {
        return new Progress(label, total, new PrintWriter(out, true), isInteractive(), 10, System::nanoTime);
    }

    /** A display on {@code out}, redrawn in place only if {@code interactive}. */
    public static Progress create(String label, long total, PrintWriter out, boolean interactive) {
        return new Progress(label, total, out, interactive, 10, System::nanoTime);
    }

    /** Full control, for tests and non-standard streams. */
    public Progress(String label, long total, PrintWriter out, boolean interactive, double plainIntervalSeconds,
                    LongSupplier clock) {
        if (total < 0) throw new IllegalArgumentException("progress total must be >= 0, got " + total);
        this.label = label;
        this.total = total;
        this.out = out;
        this.interactive = interactive;
        this.plainIntervalNanos = (long) (plainIntervalSeconds * 1e9);
        this.clock = clock;
        this.startNanos = clock.getAsLong();
        this.lastPrintNanos = startNanos;
    }

    /** True when standard output is a terminal and neither {@code CI} nor {@code TERM=dumb} says otherwise. */
    public static boolean isInteractive() {
        java.io.Console c = System.console();
        String ci = System.getenv("CI");
        return c != null && c.isTerminal() && (ci == null || ci.isEmpty() || ci.equals("false"))
                && !"dumb".equals(System.getenv("TERM"));
    }

    /** Records that {@code step} steps are done; {@code loss} / {@code accuracy} may be NaN for "unchanged". */
    public void update(long step, double loss, double accuracy) {
        if (startStep < 0) startStep = step;
        this.step = step;
        if (!Double.isNaN(loss)) this.loss = loss;
        if (!Double.isNaN(accuracy)) this.accuracy = accuracy;
        dirty = true;
        long now = clock.getAsLong();
        if (now - lastPrintNanos >= (interactive ? TTY_INTERVAL_NANOS : plainIntervalNanos)) print(now);
    }

    /** Prints a message on its own line without breaking the bar. */
    public void message(String text) {
        if (interactive) out.print("\r\033[2K");
        out.println(text);
        out.flush();
        if (interactive && dirty) print(clock.getAsLong());
    }

    /**
     * The text of the current state, e.g. {@code train [=====>    ] 500/1000 50% 123.4 it/s ETA 0:04 loss 0.693 acc
     * 51.2%}; seconds per step ({@code 2.5 s/it}) when steps take longer than a second.
     */
    public String line() {
        return line(clock.getAsLong());
    }

    private String line(long now) {
        StringBuilder sb = new StringBuilder(label);
        double frac = total == 0 ? 1 : Math.min(1, (double) step / total);
        if (interactive) {
            int filled = (int) Math.round(frac * BAR_WIDTH);
            sb.append(" [").append("=".repeat(filled)).append(filled < BAR_WIDTH ? ">" : "")
                    .append(" ".repeat(Math.max(0, BAR_WIDTH - filled - 1))).append(']');
        }
        sb.append(' ').append(step).append('/').append(total)
                .append(String.format(Locale.ROOT, " %3.0f%%", 100 * frac));
        double seconds = (now - startNanos) / 1e9;
        long done = startStep < 0 ? 0 : step - startStep;
        double rate = seconds > 0 ? done / seconds : 0;
        if (rate > 0 && rate < 1) sb.append(String.format(Locale.ROOT, " %.1f s/it", 1 / rate));   // slow steps
        else sb.append(String.format(Locale.ROOT, " %.1f it/s", rate));
        if (rate > 0 && step < total) sb.append(" ETA ").append(duration((total - step) / rate));
        else sb.append(" elapsed ").append(duration(seconds));
        if (!Double.isNaN(loss)) sb.append(String.format(Locale.ROOT, " loss %.4g", loss));
        if (!Double.isNaN(accuracy)) sb.append(String.format(Locale.ROOT, " acc %.2f%%", 100 * accuracy));
        return sb.toString();
    }

    /** h:mm:ss or m:ss. */
    static String duration(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        long h = s / 3600, m = (s / 60) % 60, sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec) : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }

    private void print(long now) {
        lastPrintNanos = now;
        dirty = false;
        if (interactive) {
            out.print("\r\033[2K" + line(now));
            out.flush();
        } else {
            out.println(line(now));
            out.flush();
        }
    }

    /** Prints the final state (if not yet shown) and ends the bar's line. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (dirty) print(clock.getAsLong());
        if (interactive) out.println();
        out.flush();
    }
}
