// A fixed pool of worker threads that runs an indexed loop in parallel, the caller taking a share.
package curex.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Runs {@code body(i)} for {@code i in [0, tasks)} on a fixed number of threads. Which thread runs which task
 * varies, so bodies must write disjoint outputs whose values do not depend on the schedule.
 *
 * <p>Each loop is its own object with its own task and completion counters, published through one volatile
 * field; a worker holding an older loop can only find it exhausted, never disturb the new one. The caller claims
 * tasks like any worker and then waits only for tasks that were claimed, so a worker that has not woken up in
 * time costs nothing (on a busy machine the caller runs the loop alone) and no lost wake-up can stall a loop.
 * Workers spin briefly between loops before they park, so back-to-back loops start within microseconds. One loop
 * runs at a time: a loop started while another is running (from a second thread, or from inside a body) runs
 * inline on its caller.
 */
public final class WorkerPool implements AutoCloseable {
    /** How long an idle worker, or a caller waiting for claimed tasks, spins before it parks. */
    private static final long SPIN_NANOS = 200_000;

    private final int threads;
    private final Worker[] workers;
    /** Set while a loop runs; a loop started meanwhile (nested, or from another thread) runs inline. */
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Loop current;
    private volatile boolean closed;

    /** One parallel loop: its body, its task count and its own counters. */
    private static final class Loop {
        final IntConsumer body;
        final int tasks;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile boolean callerParked;

        Loop(IntConsumer body, int tasks, Thread caller) {
            this.body = body;
            this.tasks = tasks;
            this.caller = caller;
        }

        /** Claims and runs tasks until none is left. */
        void work() {
            for (int i; (i = next.getAndIncrement()) < tasks; ) {
                try {
                    if (failure.get() == null) body.accept(i);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    if (done.incrementAndGet() == tasks && callerParked) LockSupport.unpark(caller);
                }
            }
        }

        /** Waits until every task is done: claimed tasks are being run by awake threads. */
        void awaitDone() {
            long start = System.nanoTime();
            for (int spins = 0; done.get() != tasks; spins++) {
                if ((spins & 63) != 0 || System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                callerParked = true;
                if (done.get() != tasks) LockSupport.parkNanos(this, 1_000_000);
                callerParked = false;
            }
        }
    }

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
        if (threads == 1 || tasks == 1 || closed || !running.compareAndSet(false, true)) {
            for (int i = 0; i < tasks; i++) body.accept(i);
            return;
        }
        try {
            Loop loop = new Loop(body, tasks, Thread.currentThread());
            current = loop;
            for (Worker w : workers) if (w.parked) LockSupport.unpark(w.thread);
            loop.work();
            loop.awaitDone();
            Throwable t = loop.failure.get();
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        } finally {
            running.set(false);
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
            Loop seen = null;
            while (true) {
                Loop loop = awaitLoop(seen);
                if (loop == null) return; // closed
                seen = loop;
                loop.work();
            }
        }

        /** Waits until a loop other than {@code seen} is published (returns it) or the pool closes (null). */
        private Loop awaitLoop(Loop seen) {
            long start = System.nanoTime();
            for (int spins = 0; ; spins++) {
                Loop loop = current;
                if (loop != seen) return loop;
                if (closed) return null;
                if ((spins & 63) != 0 || System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (current == seen && !closed) LockSupport.park(this);
                parked = false;
            }
        }
    }
}
