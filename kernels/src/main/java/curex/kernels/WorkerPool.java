// A fixed pool of worker threads that runs an indexed loop in parallel, the caller taking a share.
package curex.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Runs {@code body(i)} for {@code i in [0, tasks)} on a fixed number of threads. Which thread runs which task
 * varies, so bodies must write disjoint outputs whose values do not depend on the schedule.
 *
 * <p>Workers spin briefly between loops before they park, so back-to-back loops (a packing pass then a compute
 * pass) start within microseconds. One loop runs at a time: a loop started while another is running (from a
 * second thread, or from inside a body) runs inline on its caller.
 */
public final class WorkerPool implements AutoCloseable {
    /** How long an idle worker, or a caller waiting for the workers, spins before it parks. */
    private static final long SPIN_NANOS = 200_000;

    private final int threads;
    private final Worker[] workers;
    private final ReentrantLock running = new ReentrantLock();

    // The current loop; written under `running` before `epoch` is bumped.
    private IntConsumer body;
    private int tasks;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile int epoch;
    private volatile Thread parkedCaller;
    private volatile boolean closed;

    public WorkerPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker();
            Thread t = new Thread(workers[i], "curex-worker-" + (i + 1));
            t.setDaemon(true);
            workers[i].thread = t;
            t.start();
        }
    }

    public int threads() {
        return threads;
    }

    /** Runs every task and returns when all are done; an exception in a task is rethrown here. */
    public void parallelFor(int tasks, IntConsumer body) {
        if (tasks <= 0) return;
        if (threads == 1 || tasks == 1 || closed || !running.tryLock()) {
            for (int i = 0; i < tasks; i++) body.accept(i);
            return;
        }
        try {
            this.body = body;
            this.tasks = tasks;
            next.set(0);
            failure.set(null);
            pending.set(workers.length);
            epoch = epoch + 1;
            for (Worker w : workers) if (w.parked) LockSupport.unpark(w.thread);
            try {
                drain(body, tasks);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                next.set(tasks); // the others stop taking tasks
            }
            awaitWorkers();
            this.body = null;
            Throwable t = failure.getAndSet(null);
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        } finally {
            running.unlock();
        }
    }

    private void drain(IntConsumer body, int tasks) {
        for (int i; (i = next.getAndIncrement()) < tasks; ) body.accept(i);
    }

    private void awaitWorkers() {
        long start = 0;
        for (int spins = 0; pending.get() != 0; spins++) {
            if (spins < 64) {
                Thread.onSpinWait();
                continue;
            }
            long now = System.nanoTime();
            if (start == 0) start = now;
            if (now - start < SPIN_NANOS) {
                Thread.onSpinWait();
                continue;
            }
            parkedCaller = Thread.currentThread();
            if (pending.get() != 0) LockSupport.parkNanos(this, 1_000_000);
            parkedCaller = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) LockSupport.unpark(w.thread);
    }

    private final class Worker implements Runnable {
        Thread thread;
        volatile boolean parked;

        @Override
        public void run() {
            int seen = 0;
            while (true) {
                int e = awaitEpoch(seen);
                if (e == seen) return; // closed
                seen = e;
                IntConsumer b = body;
                int n = tasks;
                try {
                    drain(b, n);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    next.set(n);
                }
                if (pending.decrementAndGet() == 0) {
                    Thread caller = parkedCaller;
                    if (caller != null) LockSupport.unpark(caller);
                }
            }
        }

        /** Waits until epoch differs from seen (returns it) or the pool closes (returns seen). */
        private int awaitEpoch(int seen) {
            long start = System.nanoTime();
            for (int spins = 0; ; spins++) {
                int e = epoch;
                if (e != seen) return e;
                if (closed) return seen;
                if ((spins & 63) != 0 || System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (epoch == seen && !closed) LockSupport.park(this);
                parked = false;
            }
        }
    }
}
