package io.redislock.cli.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs N workers, each on its own thread with its own connections (as separate processes would), doing
 * one step after another until a deadline, and sums what they counted.
 *
 * <p>Thread-safety: {@link #run} is called from one coordinating thread; each {@link Tally} is owned by
 * its worker until the run ends.
 */
public final class Workload {
    private static final long MAX_STEPS_PER_WORKER = 50_000_000L;
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TEARDOWN_TIMEOUT = Duration.ofSeconds(30);

    private Workload() {}

    /** One worker's repeated unit of work, and its resources. */
    public interface Step extends AutoCloseable {
        /**
         * Does one unit of work, counting it in the tally.
         *
         * @param tally the worker's counters
         * @throws Exception any failure; counted as an error, the worker stops
         */
        void run(Tally tally) throws Exception;

        @Override
        void close();
    }

    /** Creates the step of one worker, on that worker's thread. */
    public interface StepFactory {
        /**
         * Creates and warms up a worker's step (connections are made here, before the clock starts).
         *
         * @param worker the worker index from 0
         * @return the step
         * @throws Exception if it cannot be set up
         */
        Step create(int worker) throws Exception;
    }

    /** One worker's counters. */
    public static final class Tally {
        private final LongAdder progress;
        private long increments;
        private long timeouts;
        private long unprotected;
        private long unconfirmed;
        private long[] latencies = new long[1024];
        private int latencyCount;

        Tally(LongAdder progress) {
            this.progress = progress;
        }

        /** Counts one increment written to the resource. */
        public void increment() {
            increments++;
            progress.increment();
        }

        /** Counts one acquisition that gave up waiting. */
        public void timeout() {
            timeouts++;
        }

        /** Counts one increment made under a lease that turned out to have lapsed before release. */
        public void unprotected() {
            unprotected++;
        }

        /** Counts one release that too few nodes confirmed (the lease then expires by itself). */
        public void unconfirmedRelease() {
            unconfirmed++;
        }

        /**
         * Records how long one acquisition took.
         *
         * @param nanos the latency
         */
        public void latency(long nanos) {
            if (latencyCount == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[latencyCount++] = nanos;
        }
    }

    /**
     * What a run counted.
     *
     * @param increments increments written, over all workers
     * @param timeouts acquisitions that gave up
     * @param unprotected increments whose lease had lapsed before release
     * @param unconfirmed releases too few nodes confirmed (the lease expired by itself)
     * @param errors workers that failed
     * @param firstError the first failure, or null
     * @param latencies sorted acquisition latencies in nanoseconds
     * @param elapsed how long the workers ran
     */
    public record Result(long increments, long timeouts, long unprotected, long unconfirmed, int errors, String firstError,
            long[] latencies, Duration elapsed) {
        /**
         * A latency percentile.
         *
         * @param p e.g. 0.99
         * @return the latency, or null without samples
         */
        public Duration percentile(double p) {
            if (latencies.length == 0) {
                return null;
            }
            int i = (int) Math.ceil(p * latencies.length) - 1;
            return Duration.ofNanos(latencies[Math.max(0, Math.min(latencies.length - 1, i))]);
        }

        /** @return increments per second */
        public double throughput() {
            double s = elapsed.toNanos() / 1e9;
            return s > 0 ? increments / s : 0;
        }
    }

    /**
     * Runs the workers.
     *
     * @param workers how many
     * @param length how long they run once all are set up
     * @param factory creates each worker's step
     * @param progress counts increments for the progress bar
     * @param onStart run once every worker is set up, when the clock starts (e.g. show progress)
     * @param midway run once halfway through (e.g. kill a node), or null
     * @return the totals
     * @throws InterruptedException if interrupted while waiting for the workers
     */
    public static Result run(int workers, Duration length, StepFactory factory, LongAdder progress, Runnable onStart,
            Runnable midway) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(workers);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(workers);
        long[] deadline = new long[1];
        List<Tally> tallies = new ArrayList<>();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Tally tally = new Tally(progress);
            tallies.add(tally);
            int index = w;
            Thread t = new Thread(() -> {
                try {
                    work(index, factory, tally, ready, start, deadline, errors);
                } finally {
                    done.countDown();
                }
            }, "demo-worker-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        if (!ready.await(SETUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            errors.add("workers were not set up within " + SETUP_TIMEOUT.toSeconds() + "s");
        }
        onStart.run();
        long started = System.nanoTime();
        deadline[0] = started + length.toNanos();
        start.countDown();
        if (midway != null) {
            long half = started + length.toNanos() / 2 - System.nanoTime();
            if (half > 0) {
                TimeUnit.NANOSECONDS.sleep(half);
            }
            midway.run();
        }
        long remaining = deadline[0] - System.nanoTime();
        if (!done.await(Math.max(0, remaining) + TEARDOWN_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
            errors.add("workers did not stop in time");
            threads.forEach(Thread::interrupt);
        }
        Duration elapsed = Duration.ofNanos(Math.min(System.nanoTime(), deadline[0]) - started);
        long inc = 0;
        long to = 0;
        long unp = 0;
        long unc = 0;
        long[] lat = new long[0];
        for (Tally t : tallies) { // the done latch orders the workers' writes before these reads
            inc += t.increments;
            to += t.timeouts;
            unp += t.unprotected;
            unc += t.unconfirmed;
            int from = lat.length;
            lat = Arrays.copyOf(lat, from + t.latencyCount);
            System.arraycopy(t.latencies, 0, lat, from, t.latencyCount);
        }
        Arrays.sort(lat);
        List<String> errs = List.copyOf(errors);
        return new Result(inc, to, unp, unc, errs.size(), errs.isEmpty() ? null : errs.get(0), lat, elapsed);
    }

    private static void work(int index, StepFactory factory, Tally tally, CountDownLatch ready, CountDownLatch start,
            long[] deadline, List<String> errors) {
        Step step;
        try {
            step = factory.create(index);
        } catch (Exception e) {
            errors.add("worker " + index + " could not start: " + e);
            ready.countDown();
            return;
        }
        try (step) {
            ready.countDown();
            start.await();
            for (long i = 0; i < MAX_STEPS_PER_WORKER && System.nanoTime() - deadline[0] < 0; i++) {
                step.run(tally);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            errors.add("worker " + index + ": " + e);
        }
    }
}
