// WorkerPool runs every task exactly once, rethrows task failures, and runs nested or concurrent loops inline.
package curex.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    @Test
    void everyTaskRunsExactlyOnceOverManyLoops() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int loop = 0; loop < 2000; loop++) {
                int tasks = 1 + loop % 17;
                AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                pool.parallelFor(tasks, runs::incrementAndGet);
                for (int i = 0; i < tasks; i++) assertEquals(1, runs.get(i), "loop " + loop + " task " + i);
            }
        }
    }

    @Test
    void backToBackLoopsNeverLoseOrRepeatATask() {
        // Loops that follow each other within microseconds, with workers arriving late: a task claimed twice or
        // lost would change the total (or hang, hence the timeout).
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (WorkerPool pool = new WorkerPool(2)) {
                AtomicLong total = new AtomicLong();
                long expected = 0;
                for (int loop = 0; loop < 300_000; loop++) {
                    int tasks = 2 + loop % 7, work = loop % 13 * 20;
                    pool.parallelFor(tasks, i -> {
                        long x = 1;
                        for (int s = 0; s < work; s++) x += s & 1;
                        total.addAndGet(x);
                    });
                    expected += tasks * (1L + work / 2);
                }
                assertEquals(expected, total.get());
            }
        });
    }

    @Test
    void aFailingTaskIsRethrownAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException boom = new IllegalStateException("boom");
            for (int loop = 0; loop < 50; loop++) {
                int bad = loop % 8;
                IllegalStateException got = assertThrows(IllegalStateException.class,
                        () -> pool.parallelFor(8, i -> {
                            if (i == bad) throw boom;
                        }));
                assertSame(boom, got);
            }
            AtomicIntegerArray runs = new AtomicIntegerArray(8);
            pool.parallelFor(8, runs::incrementAndGet);
            for (int i = 0; i < 8; i++) assertEquals(1, runs.get(i));
        }
    }

    @Test
    void nestedAndConcurrentLoopsComplete() throws Exception {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicIntegerArray inner = new AtomicIntegerArray(4 * 5);
            pool.parallelFor(4, i -> pool.parallelFor(5, j -> inner.incrementAndGet(i * 5 + j)));
            for (int i = 0; i < 20; i++) assertEquals(1, inner.get(i));

            AtomicIntegerArray runs = new AtomicIntegerArray(2 * 300);
            CountDownLatch start = new CountDownLatch(1);
            Thread[] callers = new Thread[2];
            for (int c = 0; c < 2; c++) {
                int base = c * 300;
                callers[c] = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int loop = 0; loop < 100; loop++) {
                        int cell = base + loop * 3;
                        pool.parallelFor(3, i -> runs.incrementAndGet(cell + i));
                    }
                });
                callers[c].start();
            }
            start.countDown();
            for (Thread t : callers) t.join();
            for (int i = 0; i < 600; i++) assertEquals(1, runs.get(i), "cell " + i);
        }
    }
}
