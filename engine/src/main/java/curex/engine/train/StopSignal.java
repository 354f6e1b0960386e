// A request, from another thread (a Ctrl-C handler), that a run stops after its current step and saves itself.
package curex.engine.train;

/** Set once; the training loop checks it after every step and ends with {@link TrainingListener.StopReason#INTERRUPTED}. */
public final class StopSignal {
    private volatile boolean requested;

    public void request() {
        requested = true;
    }

    public boolean requested() {
        return requested;
    }
}
