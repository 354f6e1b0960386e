// Ctrl-C and SIGTERM during a run: finish the step in progress, save a checkpoint and the summary, exit 130.
package curex.cli;

import curex.engine.train.StopSignal;
import sun.misc.Signal;

import java.io.PrintWriter;

/**
 * While installed, the first SIGINT or SIGTERM raises the run's {@link StopSignal} (the run ends after its current
 * step and saves itself) and says so on stderr; a second one exits at once with 130, losing at most the steps since
 * the last checkpoint. {@link #close()} restores the previous handlers.
 */
final class Interrupts implements AutoCloseable {
    /** The exit code of a run stopped by a signal (128 + SIGINT), as shells report Ctrl-C. */
    static final int EXIT_CODE = 130;

    private final StopSignal stop = new StopSignal();
    private final Signal[] signals = {new Signal("INT"), new Signal("TERM")};
    private final sun.misc.SignalHandler[] previous = new sun.misc.SignalHandler[signals.length];

    Interrupts(PrintWriter err) {
        for (int i = 0; i < signals.length; i++) {
            previous[i] = Signal.handle(signals[i], s -> {
                if (stop.requested()) Runtime.getRuntime().halt(EXIT_CODE);
                stop.request();
                err.println();
                err.println("curex: " + s.getName() + " received: stopping after the current step and saving a "
                        + "checkpoint (again to quit at once)");
                err.flush();
            });
        }
    }

    StopSignal signal() {
        return stop;
    }

    boolean interrupted() {
        return stop.requested();
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.length; i++) Signal.handle(signals[i], previous[i]);
    }
}
