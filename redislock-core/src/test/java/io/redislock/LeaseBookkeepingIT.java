package io.redislock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redislock.testing.RedisServer;
import io.redislock.testing.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a lease believes while its extends and releases are slow, unanswered, cancelled or racing each other
 * and the client's close: its validity never outlasts what Redis may have set, and a normal release is
 * never reported as a loss. Redis is slowed with CLIENT PAUSE.
 */
@WithRedis
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeaseBookkeepingIT {
    private static final LockOptions LONG = LockOptions.builder().lease(Duration.ofSeconds(30)).build();

    private static long pttl(RedisServer redis, String key) {
        return (Long) redis.command("PTTL", key);
    }

    @Test
    void anExtendToAShorterLeaseThatGetsNoAnswerEndsTheValidityAtTheShorterDeadline(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(redis.uri())) {
            Lease lease = c.lock("shorter", LONG).acquire(Duration.ofSeconds(5));
            redis.command("CLIENT", "PAUSE", "1200"); // answered after the extend's round timeout (333 ms)
            assertThatThrownBy(() -> lease.extend(Duration.ofSeconds(1))).isInstanceOf(LockUnavailableException.class);
            // Redis applies PEXPIRE 1000 when the pause ends: the old 30 s deadline must not survive
            assertThat(lease.remainingValidity()).isLessThanOrEqualTo(Duration.ofSeconds(1));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> pttl(redis, "shorter") <= 1_000);
            lease.release();
        }
    }

    @Test
    void cancellingAnExtendAsyncStillLowersTheValidityToItsLease(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(redis.uri())) {
            Lease lease = c.lock("cancelled-extend", LONG).acquire(Duration.ofSeconds(5));
            redis.command("CLIENT", "PAUSE", "300");
            CompletableFuture<Void> f = lease.extendAsync(Duration.ofSeconds(1));
            assertThat(f.cancel(true)).isTrue();
            assertThat(lease.remainingValidity()).isLessThanOrEqualTo(Duration.ofSeconds(1));
            // the call was sent and cannot be taken back
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> pttl(redis, "cancelled-extend") <= 1_000);
            assertThat(lease.remainingValidity()).isLessThanOrEqualTo(Duration.ofSeconds(1));
            lease.release();
        }
    }

    @Test
    void anExtendRacingARenewalNeverLeavesTheValidityBeyondTheKeysExpiry(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(redis.uri())) {
            long t0 = System.nanoTime();
            Lease lease = c.lock("racing", LockOptions.builder().lease(Duration.ofSeconds(3)).build())
                    .acquire(Duration.ofSeconds(5));
            Thread.sleep(Math.max(0, 800 - (System.nanoTime() - t0) / 1_000_000));
            // the extend below and the renewal due at ~1 s are both held, then applied in the order sent
            redis.command("CLIENT", "PAUSE", "600");
            lease.extendAsync(Duration.ofSeconds(60)).get(5, TimeUnit.SECONDS);
            // both were held by the pause on one connection and applied when it ended, before this read
            long keyLeft = pttl(redis, "racing");
            assertThat(lease.remainingValidity().toMillis()).as("validity vs the key's PTTL %d ms", keyLeft)
                    .isLessThanOrEqualTo(keyLeft + 50);
            assertThat(keyLeft).as("renewals after the extend use its lease").isGreaterThan(30_000);
            lease.release();
        }
    }

    @Test
    void twoThreadsExtendingAtOnceLeaveTheValidityOnTheCallRedisAppliedLast(RedisServer redis) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (LockClient c = LockClient.create(redis.uri())) {
            Lease lease = c.lock("two-extends", LockOptions.builder().lease(Duration.ofSeconds(5)).autoRenew(false)
                    .build()).acquire(Duration.ofSeconds(5));
            List<String> wrong = new java.util.ArrayList<>();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            for (int i = 0; i < 300 && System.nanoTime() < end; i++) {
                java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(2);
                CompletableFuture<Void> shorter = CompletableFuture.runAsync(() -> {
                    await(go);
                    lease.extend(Duration.ofSeconds(1));
                }, pool);
                CompletableFuture<Void> longer = CompletableFuture.runAsync(() -> {
                    await(go);
                    lease.extend(Duration.ofSeconds(30));
                }, pool);
                shorter.get(5, TimeUnit.SECONDS);
                longer.get(5, TimeUnit.SECONDS);
                long keyLeft = pttl(redis, "two-extends");
                long believed = lease.remainingValidity().toMillis();
                if (believed > keyLeft + 50) {
                    wrong.add("round " + i + ": validity " + believed + " ms, key " + keyLeft + " ms");
                }
                lease.extend(Duration.ofSeconds(5));
            }
            assertThat(wrong).isEmpty();
            lease.release();
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(java.util.concurrent.CyclicBarrier b) {
        try {
            b.await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aLeaseReleasedByItsHolderIsNotReportedLostWhenTheClientClosesRightAfter(RedisServer redis) throws Exception {
        LockClient c = LockClient.create(redis.uri());
        Lease lease = c.lock("released-then-closed", LONG).acquire(Duration.ofSeconds(5));
        Thread closer = new Thread(c::close, "closer");
        synchronized (lease) {
            // the close has taken its snapshot of the live leases and waits for this one
            closer.start();
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                    .until(() -> closer.getState() == Thread.State.BLOCKED);
            assertThat(lease.release()).isTrue();
        }
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(lease.lost()).as("a normal release is not a loss").isNotDone();
        assertThat(redis.command("EXISTS", "released-then-closed")).isEqualTo(0L);
    }

    @Test
    void cancellingAReleaseAsyncDoesNotCancelTheReleaseAnotherCallerWaitsFor(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(redis.uri())) {
            Lease lease = c.lock("cancelled-release", LONG).acquire(Duration.ofSeconds(5));
            redis.command("CLIENT", "PAUSE", "800");
            CompletableFuture<Boolean> mine = lease.releaseAsync();
            CompletableFuture<Boolean> other = lease.releaseAsync(); // the same release, under way
            mine.cancel(true);
            assertThat(other.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(lease.release()).as("later calls give the first call's result").isTrue();
            assertThat(redis.command("EXISTS", "cancelled-release")).isEqualTo(0L);
        }
    }

    @Test
    void aReleaseAnsweredTooLateAndSentAgainIsNotReportedAsALoss(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(LockClientOptions.builder().uris(redis.uri())
                .commandTimeout(Duration.ofMillis(500)).build())) {
            Lease lease = c.lock("late-release", LONG).acquire(Duration.ofSeconds(5));
            redis.command("CLIENT", "PAUSE", "1000");
            assertThatThrownBy(lease::release).isInstanceOf(LockUnavailableException.class);
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> redis.command("EXISTS", "late-release").equals(0L));
            // sent again: the key is gone within the validity, so the first release removed it
            assertThat(lease.release()).isTrue();
            lease.close(); // no LockLostException
            assertThat(lease.lost()).isNotDone();
        }
    }

    @Test
    void aLostLeaseListenerRegisteredAfterTheClientClosedStillRuns(RedisServer redis) throws Exception {
        LockClient c = LockClient.create(redis.uri());
        Lease lease = c.lock("listener-after-close", LONG).acquire(Duration.ofSeconds(5));
        c.close();
        CountDownLatch told = new CountDownLatch(1);
        lease.onLost(e -> told.countDown());
        assertThat(told.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(lease.lost().get(5, TimeUnit.SECONDS).reason()).isEqualTo(LeaseLostEvent.Reason.CLIENT_CLOSED);
    }
}
