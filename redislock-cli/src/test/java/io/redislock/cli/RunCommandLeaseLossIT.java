package io.redislock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.redislock.testing.RedisServer;
import io.redislock.testing.RedisServers;
import io.redislock.testing.TestTimeouts;
import io.redislock.testing.WithRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code redislock run} when the lease is lost while the command runs: Redis hung (SIGSTOP) or killed,
 * so that renewals fail until the validity deadline, and a command that ignores SIGTERM. Each test
 * injects one fault into a real redis-server process or the lock key and bounds every wait.
 */
@WithRedis
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunCommandLeaseLossIT {
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration KILL_GRACE = Duration.ofSeconds(1);
    /** How long after the fault redislock may take to exit: the lease plus a margin (JVM exit, polling). */
    private static final Duration EXIT_BOUND = LEASE.plusSeconds(3);
    /**
     * How long after it reported the loss redislock may take to exit (SIGTERM to a sleep, JVM exit). It must
     * not wait for the cleanup calls a dead or hung Redis cannot answer: that took another command timeout (2 s).
     */
    private static final Duration LOSS_TO_EXIT = Duration.ofMillis(1500);
    private static final Duration MARKER_TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 10;

    @TempDir
    Path dir;

    @Test
    void killsTheCommandAtTheValidityDeadlineWhenRedisHangs(RedisServer redis) throws IOException {
        try {
            assertKilledAtTheValidityDeadline(redis, "hang", "SIGSTOP to Redis", redis::pause, redis::isPaused);
        } finally {
            redis.resume();
        }
    }

    @Test
    void killsTheCommandAtTheValidityDeadlineWhenRedisIsKilled(RedisServer redis) throws IOException {
        assertKilledAtTheValidityDeadline(redis, "killed", "kill -9 to Redis", redis::kill, () -> !redis.isRunning());
    }

    /**
     * Runs {@code sleep 60} under a 2 s lease, injects the fault once the command runs, and checks that
     * redislock killed it and exited 74 near the validity deadline while the fault still lasted.
     */
    private void assertKilledAtTheValidityDeadline(RedisServer redis, String name, String faultName, Runnable fault,
            BooleanSupplier faultStillOn) throws IOException {
        Path pidFile = dir.resolve("child.pid");
        try (CliProcess run = CliProcess.start("run", "--redis", redis.uri(), "--name", name, "--lease",
                LEASE.toMillis() + "ms", "--kill-grace", KILL_GRACE.toMillis() + "ms", "--", "sh", "-c",
                "echo $$ > " + pidFile + ".tmp; mv " + pidFile + ".tmp " + pidFile + "; exec sleep 60")) {
            long childPid = awaitPid(pidFile, run);
            assertThat(redis.command("EXISTS", name)).isEqualTo(1L);
            fault.run();
            long faulted = System.nanoTime();

            long lossSeen = awaitLossReported(run, EXIT_BOUND);
            boolean exited = awaitExit(run, EXIT_BOUND);
            long exitSeen = System.nanoTime();
            Duration afterFault = Duration.ofNanos(exitSeen - faulted);

            assertThat(exited).as("redislock exited within %s of %s; stderr so far:%n%s", EXIT_BOUND, faultName,
                    run.stderrSoFar()).isTrue();
            assertThat(faultStillOn.getAsBoolean()).as("Redis is still down: the exit did not wait for it").isTrue();
            CliProcess.Result r = run.await(Duration.ofSeconds(1));
            report(faultName + " (loss reported " + (exitSeen - lossSeen) / 1_000_000 + " ms before the exit)", afterFault, r);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(74);
            assertThat(r.stderr()).contains("lost lock '" + name + "'").contains("RENEWAL_FAILED")
                    .contains("work may have run without the lock");
            // killed at the validity deadline (about the lease after acquisition), not at the first failed
            // renewal (lease/3) and not when Redis answers again
            assertThat(afterFault).isGreaterThan(LEASE.dividedBy(2));
            assertThat(afterFault).isLessThan(TestTimeouts.scaled(EXIT_BOUND));
            assertThat(Duration.ofNanos(exitSeen - lossSeen)).as("from reporting the loss to exiting")
                    .isLessThan(TestTimeouts.scaled(LOSS_TO_EXIT));
            assertGone(childPid);
        }
    }

    /**
     * Polls (every 10 ms, bounded) until redislock reports the loss on stderr or exits.
     *
     * @return when the report was first seen (System.nanoTime)
     */
    private static long awaitLossReported(CliProcess run, Duration bound) {
        long deadline = System.nanoTime() + TestTimeouts.scaled(bound).toNanos();
        while (System.nanoTime() < deadline && run.process().isAlive() && !run.stderrSoFar().contains("lost lock")) {
            CliProcess.sleep(POLL_MILLIS);
        }
        return System.nanoTime();
    }

    @Test
    @WithRedis(servers = 5)
    void underRedlockKeepsRunningWithTwoOfFiveNodesDownAndKillsAtTheDeadlineWhenAThirdHangs(RedisServers nodes)
            throws IOException {
        Path pidFile = dir.resolve("child.pid");
        java.util.List<RedisServer> all = nodes.all();
        try (CliProcess run = CliProcess.start("run", "--redis", String.join(",", nodes.uris()), "--name", "quorum",
                "--lease", LEASE.toMillis() + "ms", "--kill-grace", KILL_GRACE.toMillis() + "ms", "--", "sh", "-c",
                "echo $$ > " + pidFile + ".tmp; mv " + pidFile + ".tmp " + pidFile + "; exec sleep 60")) {
            long childPid = awaitPid(pidFile, run);
            all.get(0).kill();
            all.get(1).kill();
            // three of five still renew it: the command outlives two leases
            boolean exitedEarly = awaitExit(run, LEASE.multipliedBy(2));
            assertThat(exitedEarly).as("still running with 3 of 5 nodes; stderr so far:%n%s", run.stderrSoFar())
                    .isFalse();
            assertThat(all.get(2).command("EXISTS", "quorum")).isEqualTo(1L);

            RedisServer third = all.get(2);
            try {
                third.pause();
                long faulted = System.nanoTime();
                boolean exited = awaitExit(run, EXIT_BOUND);
                Duration afterFault = Duration.ofNanos(System.nanoTime() - faulted);
                assertThat(exited).as("redislock exited within %s of losing the majority; stderr so far:%n%s",
                        EXIT_BOUND, run.stderrSoFar()).isTrue();
                assertThat(third.isPaused()).as("the node is still hung: the exit did not wait for it").isTrue();
                CliProcess.Result r = run.await(Duration.ofSeconds(1));
                report("2 of 5 killed, then a third hung", afterFault, r);
                assertThat(r.exitCode()).as(r.toString()).isEqualTo(74);
                assertThat(r.stderr()).contains("lost lock 'quorum'").contains("RENEWAL_FAILED");
                assertGone(childPid);
            } finally {
                third.resume();
            }
        }
    }

    @Test
    void sendsSigkillAfterTheKillGraceWhenTheCommandIgnoresSigterm(RedisServer redis) throws IOException {
        Path pidFile = dir.resolve("child.pid");
        Path termed = dir.resolve("got-term");
        // The shell notes SIGTERM and carries on; its loop ends by itself after about 60 s at most.
        String script = "trap 'touch " + termed + "' TERM; echo $$ > " + pidFile + ".tmp; mv " + pidFile + ".tmp "
                + pidFile + "; i=0; while [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; exit 0";
        try (CliProcess run = CliProcess.start("run", "--redis", redis.uri(), "--name", "stubborn", "--lease", "3s",
                "--kill-grace", KILL_GRACE.toMillis() + "ms", "--", "sh", "-c", script)) {
            long childPid = awaitPid(pidFile, run);
            assertThat(redis.command("DEL", "stubborn")).isEqualTo(1L);
            long deleted = System.nanoTime();

            // detected at the next renewal (every lease/3 = 1 s), then SIGTERM, then SIGKILL 1 s later
            Duration bound = Duration.ofSeconds(1).plus(KILL_GRACE).plusSeconds(4);
            long deadline = System.nanoTime() + TestTimeouts.scaled(bound).toNanos();
            long termSeen = 0;
            long maxPolls = TestTimeouts.scaled(bound).toMillis() / POLL_MILLIS + 10;
            for (long i = 0; i < maxPolls && run.isAlive() && System.nanoTime() - deadline < 0; i++) {
                if (termSeen == 0 && Files.exists(termed)) {
                    termSeen = System.nanoTime();
                }
                CliProcess.sleep(POLL_MILLIS);
            }
            long exitSeen = System.nanoTime();

            assertThat(run.isAlive()).as("redislock exited within %s of DEL; stderr so far:%n%s", bound,
                    run.stderrSoFar()).isFalse();
            CliProcess.Result r = run.await(Duration.ofSeconds(1));
            report("DEL + SIGTERM ignored", Duration.ofNanos(exitSeen - deleted), r);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(74);
            assertThat(r.stderr()).contains("lost lock 'stubborn'").contains("NOT_OWNER")
                    .contains("sending SIGTERM").contains("sent SIGKILL");
            assertThat(termSeen).as("the command got SIGTERM first (its trap ran)").isNotZero();
            Duration termToExit = Duration.ofNanos(exitSeen - termSeen);
            System.out.println("[lease-loss] SIGTERM seen -> redislock exit: " + termToExit.toMillis() + " ms");
            assertThat(termToExit).as("SIGKILL only after --kill-grace")
                    .isGreaterThanOrEqualTo(KILL_GRACE.minusMillis(100));
            assertGone(childPid);
        }
    }

    private static void report(String fault, Duration afterFault, CliProcess.Result r) {
        System.out.println("[lease-loss] " + fault + ": redislock exited " + r.exitCode() + " after "
                + afterFault.toMillis() + " ms; stderr:\n" + r.stderr());
    }

    /** Waits (bounded) for the redislock process to exit; false if it still runs. */
    private static boolean awaitExit(CliProcess run, Duration bound) {
        try {
            return run.process().waitFor(TestTimeouts.scaled(bound).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The command's PID, once it has written it (its lock is then held). */
    private static long awaitPid(Path pidFile, CliProcess process) throws IOException {
        Duration timeout = TestTimeouts.scaled(MARKER_TIMEOUT);
        long deadline = System.nanoTime() + timeout.toNanos();
        long maxPolls = timeout.toMillis() / POLL_MILLIS + 10;
        for (long i = 0; i < maxPolls && System.nanoTime() - deadline < 0; i++) {
            if (Files.exists(pidFile)) {
                return Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
            }
            if (!process.isAlive()) {
                throw new AssertionError("redislock exited before " + pidFile + " appeared: "
                        + process.await(Duration.ofSeconds(1)));
            }
            CliProcess.sleep(POLL_MILLIS);
        }
        throw new AssertionError(pidFile + " did not appear; stderr so far: " + process.stderrSoFar());
    }

    /** Asserts that the process is gone (bounded wait: it may still be being reaped). */
    private static void assertGone(long pid) {
        long deadline = System.nanoTime() + TestTimeouts.scaled(Duration.ofSeconds(2)).toNanos();
        for (int i = 0; i < 1_000 && System.nanoTime() - deadline < 0; i++) {
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return;
            }
            CliProcess.sleep(POLL_MILLIS);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("the command (pid %d) is gone", pid).isFalse();
    }
}
