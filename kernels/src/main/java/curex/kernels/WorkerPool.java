// A fixed pool of worker threads that runs an indexed loop in parallel, the caller taking a share.
package curex.kernels;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs {@code body(i)} for {@code i in [0, tasks)} on a fixed number of threads. Which thread runs which task
 * varies, so bodies must write disjoint outputs whose values do not depend on the schedule.
 */
public final class WorkerPool implements AutoCloseable {
    private final int threads;
    private final ExecutorService executor;

    public WorkerPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.executor = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "curex-worker");
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /** Runs every task and returns when all are done; an exception in a task is rethrown here. */
    public void parallelFor(int tasks, IntConsumer body) {
        if (tasks <= 0) return;
        int helpers = Math.min(threads, tasks) - 1;
        if (helpers == 0) {
            for (int i = 0; i < tasks; i++) body.accept(i);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i; (i = next.getAndIncrement()) < tasks; ) body.accept(i);
        };
        Future<?>[] futures = new Future<?>[helpers];
        for (int h = 0; h < helpers; h++) futures[h] = executor.submit(worker);
        RuntimeException failure = null;
        try {
            worker.run();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for workers", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (failure == null) failure = e.getCause() instanceof RuntimeException re ? re
                        : new IllegalStateException(e.getCause());
            }
        }
        if (failure != null) throw failure;
    }

    @Override
    public void close() {
        if (executor != null) executor.shutdownNow();
    }
}
