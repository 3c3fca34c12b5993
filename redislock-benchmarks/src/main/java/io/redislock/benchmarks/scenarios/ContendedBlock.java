package io.redislock.benchmarks.scenarios;

import io.redislock.benchmarks.Samples;
import io.redislock.benchmarks.peers.Locker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One block of scenario 2: every worker loops lock → empty critical section → unlock on the same key
 * for a fixed time, each through its own {@link Locker} (own clients). Inside the critical section a
 * worker notes who held the lock before it and when that holder started releasing, which gives the
 * hand-off latency (release → next holder's acquire, counted only when the holder changed) and the share
 * of acquisitions that changed holder; it also checks mutual exclusion. Each acquisition's wait ({@code
 * lock()} entry → return) is recorded too. Latencies and acquisition counts cover the measuring window
 * only: acquisitions returning while the workers drain after it are counted in {@link #total()} alone.
 *
 * <p>Thread-safety: not thread-safe; run once from one thread.
 */
final class ContendedBlock {
    private static final long MAX_ERRORS_PER_WORKER = 50;

    /** Shared state of the critical section. */
    private static final class Baton {
        volatile int holder = -1;
        volatile long releasedAt;
        final AtomicInteger inside = new AtomicInteger();
    }

    /** Per-worker results, thread-confined until joined. */
    static final class WorkerResult {
        long inWindow;
        long total;
        long changes;
        long errors;
        long violations;
        String firstError;
        final Samples handoff = new Samples(1_000_000);
        final Samples wait = new Samples(1_000_000);
    }

    final List<WorkerResult> results = new ArrayList<>();
    long windowNanos;
    boolean timedOut;

    /**
     * Runs the block.
     *
     * @param lockers one per worker
     * @param durationNanos the measuring window
     * @param joinTimeoutNanos how long to wait for the workers after the window (drain)
     * @return this block
     * @throws InterruptedException if interrupted
     */
    ContendedBlock run(List<Locker> lockers, long durationNanos, long joinTimeoutNanos) throws InterruptedException {
        Baton baton = new Baton();
        CountDownLatch ready = new CountDownLatch(lockers.size());
        CountDownLatch go = new CountDownLatch(1);
        long[] end = new long[1];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < lockers.size(); i++) {
            WorkerResult res = new WorkerResult();
            results.add(res);
            int id = i;
            Locker locker = lockers.get(i);
            Thread t = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                work(id, locker, baton, res, end[0]);
            }, "bench-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        ready.await(10, TimeUnit.SECONDS);
        long start = System.nanoTime();
        end[0] = start + durationNanos;
        go.countDown();
        long joinDeadline = end[0] + joinTimeoutNanos;
        for (Thread t : threads) {
            long left = joinDeadline - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        for (Thread t : threads) {
            if (t.isAlive()) {
                timedOut = true;
                t.interrupt();
            }
        }
        windowNanos = durationNanos;
        return this;
    }

    private static void work(int id, Locker locker, Baton baton, WorkerResult res, long end) {
        while (System.nanoTime() - end < 0 && !Thread.currentThread().isInterrupted()) {
            long entered = System.nanoTime();
            try {
                locker.lock();
            } catch (Exception e) {
                if (fail(res, e)) {
                    return;
                }
                continue;
            }
            long t = System.nanoTime();
            if (baton.inside.getAndIncrement() != 0) {
                res.violations++;
            }
            int prev = baton.holder;
            boolean inWindow = t - end < 0;
            if (prev >= 0 && prev != id) {
                res.changes++;
                if (inWindow) {
                    res.handoff.add(t - baton.releasedAt);
                }
            }
            baton.holder = id;
            res.total++;
            if (inWindow) {
                res.inWindow++;
                res.wait.add(t - entered);
            }
            baton.inside.decrementAndGet();
            baton.releasedAt = System.nanoTime();
            try {
                locker.unlock();
            } catch (Exception e) {
                if (fail(res, e)) {
                    return;
                }
            }
        }
    }

    private static boolean fail(WorkerResult res, Exception e) {
        res.errors++;
        if (res.firstError == null) {
            res.firstError = e.toString();
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return true;
        }
        return res.errors >= MAX_ERRORS_PER_WORKER;
    }

    long inWindow() {
        long n = 0;
        for (WorkerResult r : results) {
            n += r.inWindow;
        }
        return n;
    }

    long total() {
        long n = 0;
        for (WorkerResult r : results) {
            n += r.total;
        }
        return n;
    }

    long changes() {
        long n = 0;
        for (WorkerResult r : results) {
            n += r.changes;
        }
        return n;
    }

    long errors() {
        long n = 0;
        for (WorkerResult r : results) {
            n += r.errors;
        }
        return n;
    }

    long violations() {
        long n = 0;
        for (WorkerResult r : results) {
            n += r.violations;
        }
        return n;
    }

    String firstError() {
        for (WorkerResult r : results) {
            if (r.firstError != null) {
                return r.firstError;
            }
        }
        return null;
    }

    /** @return hand-off latencies (holder changed) of acquisitions inside the window */
    Samples handoffs() {
        Samples s = new Samples();
        for (WorkerResult r : results) {
            s.addAll(r.handoff);
        }
        return s;
    }

    /** @return wait times ({@code lock()} entry → return) of acquisitions inside the window */
    Samples waits() {
        Samples s = new Samples();
        for (WorkerResult r : results) {
            s.addAll(r.wait);
        }
        return s;
    }

    double[] perWorkerInWindow() {
        double[] a = new double[results.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = results.get(i).inWindow;
        }
        return a;
    }
}
