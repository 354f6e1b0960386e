// A progress display of bytes read: a line redrawn in place on a terminal, plain periodic lines otherwise.
package curex.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * Shows bytes read of a total, the rate and the time left, e.g. {@code reading 12.3 MB / 200.0 MB 6% 4.1 MB/s ETA 0:45},
 * and when it counts tokens too, those written and their rate ({@code 3.1M tokens 1.0M tokens/s}).
 * On a terminal the line is redrawn at most every 100 ms; in logs a line is printed at most every 10 seconds. The
 * last state prints on {@link #close()}; closing twice is harmless.
 */
final class ReadProgress implements LongConsumer, AutoCloseable {
    private static final long TTY_INTERVAL_NANOS = 100_000_000L;
    private static final long PLAIN_INTERVAL_NANOS = 10_000_000_000L;

    private final String label;
    private final long total;
    private final PrintWriter out;
    private final boolean interactive;
    private final long start = System.nanoTime();
    private long last = start;
    private long bytes;
    private long tokens = -1;
    private boolean dirty;
    private boolean printed;
    private boolean closed;

    ReadProgress(String label, long total, PrintWriter out, boolean interactive) {
        this.label = label;
        this.total = total;
        this.out = out;
        this.interactive = interactive;
    }

    @Override
    public void accept(long bytesRead) {
        update(bytesRead, tokens);
    }

    /** Bytes read so far and tokens written so far (negative: not counted). */
    void update(long bytesRead, long tokensWritten) {
        tokens = tokensWritten;
        bytes = bytesRead;
        dirty = true;
        long now = System.nanoTime();
        if (now - last >= (interactive ? TTY_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS)) print(now);
    }

    /** The text of the current state. */
    String line(long now) {
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? bytes / seconds : 0;
        double frac = total == 0 ? 1 : Math.min(1, (double) bytes / total);
        String s = String.format(Locale.ROOT, "%s %s / %s %3.0f%% %s/s", label, ByteSizes.format(bytes),
                ByteSizes.format(total), 100 * frac, ByteSizes.format((long) rate));
        if (tokens >= 0)
            s += " " + count(tokens) + " tokens " + count(seconds > 0 ? (long) (tokens / seconds) : 0) + " tokens/s";
        if (rate > 0 && bytes < total && !closed) s += " ETA " + duration((total - bytes) / rate);
        else s += String.format(Locale.ROOT, " %.1f s", seconds);
        return s;
    }

    /** 950, 12.3k, 4.5M, 1.2G. */
    static String count(long n) {
        if (n < 1000) return Long.toString(n);
        String[] units = {"k", "M", "G", "T"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f%s", v, units[u]);
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private void print(long now) {
        last = now;
        dirty = false;
        printed = true;
        if (interactive) out.print("\r\033[2K" + line(now));
        else out.println(line(now));
        out.flush();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (dirty || !printed || bytes < total) print(System.nanoTime());
        if (interactive) out.println();
        out.flush();
    }
}
