package io.redislock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redislock.testing.RedisServer;
import io.redislock.testing.WithRedis;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Validity is measured on the injected monotonic ticker, not on Redis' TTL or the wall clock. */
@WithRedis
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManualTickerIT {
    private final AtomicLong now = new AtomicLong(-1_000_000_000L);

    @Test
    void leaseStopsBeingHeldWhenTheTickerPassesItsDeadlineEvenIfTheKeyLives(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(LockClientOptions.builder().uris(redis.uri()).ticker(now::get).build())) {
            LockOptions o = LockOptions.builder().lease(Duration.ofSeconds(10)).autoRenew(false).build();
            Lease lease = c.lock("ticker", o).acquire(Duration.ofSeconds(5));
            // lease 10 s - drift (100 ms + 2 ms)
            assertThat(lease.remainingValidity()).isEqualTo(Duration.ofMillis(10_000 - 102));
            now.addAndGet(Duration.ofMillis(9_000).toNanos());
            assertThat(lease.isHeld()).isTrue();
            now.addAndGet(Duration.ofMillis(898).toNanos());
            assertThat(lease.isHeld()).as("validity ends before the key's TTL").isFalse();
            assertThat(redis.command("GET", "ticker")).isEqualTo(lease.token());
            LeaseLostEvent ev = lease.lost().get(10, TimeUnit.SECONDS);
            assertThat(ev.reason()).isEqualTo(LeaseLostEvent.Reason.EXPIRED);
            assertThat(lease.release()).isFalse();
            // the compare-and-delete sent when the loss was detected may still be on its way
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    redis.command("EXISTS", "ticker")).as("the stale key is still cleaned up").isEqualTo(0L));
        }
    }

    @Test
    void aLeaseLostBecauseThisProcessDidNotRunSaysSoInsteadOfBlamingRedis(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(LockClientOptions.builder().uris(redis.uri()).ticker(now::get).build())) {
            Lease lease = c.lock("ticker-paused", LockOptions.builder().lease(Duration.ofSeconds(3)).build())
                    .acquire(Duration.ofSeconds(5));
            now.addAndGet(Duration.ofMillis(3_500).toNanos()); // as after a Ctrl-Z: no renewal could be sent
            LeaseLostEvent ev = lease.lost().get(10, TimeUnit.SECONDS);
            assertThat(ev.reason()).isEqualTo(LeaseLostEvent.Reason.RENEWAL_FAILED);
            assertThat(ev.detail()).contains("none was sent for 2500 ms after it was due: this process did not run")
                    .doesNotContain("unreachable");
        }
    }

    @Test
    void aLeaseLostWhileARenewalWasUnderWayAndThisProcessDidNotRunSaysSo(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(LockClientOptions.builder().uris(redis.uri()).ticker(now::get)
                .commandTimeout(Duration.ofSeconds(10)).build())) {
            Lease lease = c.lock("ticker-in-flight", LockOptions.builder().lease(Duration.ofSeconds(3)).build())
                    .acquire(Duration.ofSeconds(5));
            redis.pause();
            try {
                now.addAndGet(Duration.ofMillis(1_100).toNanos()); // a renewal is due: sent, not answered
                Thread.sleep(1_500); // the watchdog looks again within a second of real time
                now.addAndGet(Duration.ofMillis(3_000).toNanos()); // then this process stopped past the deadline
                LeaseLostEvent ev = lease.lost().get(8, TimeUnit.SECONDS);
                assertThat(ev.reason()).isEqualTo(LeaseLostEvent.Reason.RENEWAL_FAILED);
                assertThat(ev.detail()).contains("one was under way, and this check ran 1132 ms after the deadline:"
                        + " this process did not run").doesNotContain("unreachable");
            } finally {
                redis.resume();
            }
        }
    }

    @Test
    void aRenewalRefusedAfterTheDeadlineSaysTheKeyMostLikelyExpiredRatherThanThatItWasDeleted(RedisServer redis)
            throws Exception {
        AtomicLong watchdogReads = new AtomicLong();
        Ticker ticker = () -> {
            if (Thread.currentThread().getName().startsWith("redislock-clock-")) {
                watchdogReads.incrementAndGet();
            }
            return now.get();
        };
        try (LockClient c = LockClient.create(LockClientOptions.builder().uris(redis.uri()).ticker(ticker)
                .commandTimeout(Duration.ofSeconds(10)).build())) {
            Lease lease = c.lock("ticker-expired", LockOptions.builder().lease(Duration.ofSeconds(3)).build())
                    .acquire(Duration.ofSeconds(5));
            redis.command("PEXPIRE", "ticker-expired", "300"); // its TTL runs out in Redis' time while paused
            redis.pause();
            try {
                long reads = watchdogReads.get();
                now.addAndGet(Duration.ofMillis(1_100).toNanos()); // a renewal is due: sent, not answered
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1))
                        .until(() -> watchdogReads.get() > reads);
                Thread.sleep(400);
                // the watchdog sent the renewal and parks for a second; this process now "wakes up" past the
                // deadline and Redis answers the renewal (within its 1 s round timeout): the answer notices the loss
                now.addAndGet(Duration.ofMillis(3_000).toNanos());
            } finally {
                redis.resume();
            }
            LeaseLostEvent ev = lease.lost().get(8, TimeUnit.SECONDS);
            assertThat(ev.reason()).as(ev.detail()).isEqualTo(LeaseLostEvent.Reason.NOT_OWNER);
            assertThat(ev.detail()).contains("the answer came 1132 ms after the lease's validity deadline, so the key"
                    + " most likely expired first: this process did not run");
        }
    }

    @Test
    void renewalMovesTheDeadlineOnTheTicker(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(LockClientOptions.builder().uris(redis.uri()).ticker(now::get).build())) {
            LockOptions o = LockOptions.builder().lease(Duration.ofSeconds(3)).build();
            Lease lease = c.lock("ticker-renew", o).acquire(Duration.ofSeconds(5));
            for (int i = 0; i < 5; i++) {
                now.addAndGet(Duration.ofMillis(1_100).toNanos());
                long before = lease.remainingValidity().toMillis();
                org.awaitility.Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> lease.remainingValidity().toMillis() > before);
            }
            assertThat(lease.isHeld()).isTrue();
            assertThat(lease.lost()).isNotDone();
            lease.close();
        }
    }

    @Test
    void aLeaseReleasedPastItsDeadlineBeforeTheWatchdogLookedIsStillReportedLostToItsListeners(RedisServer redis)
            throws Exception {
        // the watchdog's clock stays at the start: only the release can notice the deadline
        long start = now.get();
        Ticker ticker = () -> Thread.currentThread().getName().startsWith("redislock-clock-") ? start : now.get();
        try (LockClient c = LockClient.create(LockClientOptions.builder().uris(redis.uri()).ticker(ticker).build())) {
            Lease lease = c.lock("ticker-released-late", LockOptions.builder().lease(Duration.ofSeconds(10))
                    .autoRenew(false).build()).acquire(Duration.ofSeconds(5));
            java.util.concurrent.CompletableFuture<LeaseLostEvent> heard = new java.util.concurrent.CompletableFuture<>();
            lease.onLost(heard::complete);
            now.addAndGet(Duration.ofSeconds(11).toNanos());
            assertThat(lease.release()).isFalse();
            LeaseLostEvent ev = heard.get(5, TimeUnit.SECONDS);
            assertThat(ev.reason()).isEqualTo(LeaseLostEvent.Reason.EXPIRED);
            assertThat(lease.lost().get(5, TimeUnit.SECONDS)).isSameAs(ev);
            assertThatThrownBy(lease::close).isInstanceOf(LockLostException.class).hasMessageContaining("EXPIRED");
        }
    }

    @Test
    @SuppressWarnings("try") // the handle only ends the fault
    void anAttemptRefusedWhileReconnectingIsNotSentAgainAfterItsRoundEndedEvenIfTheTickerStands(RedisServer redis)
            throws Exception {
        try (LockClient c = LockClient.create(LockClientOptions.builder().uris(redis.uri()).ticker(now::get)
                .commandTimeout(Duration.ofMillis(500)).build())) {
            c.lock("frozen-retry").tryAcquire().orElseThrow().release(); // connected
            try (RedisServer.Reconnects r = redis.dropConnections()) {
                assertThatThrownBy(() -> c.lock("frozen-retry").tryAcquire()).isInstanceOf(LockUnavailableException.class);
                redis.resetStats();
            }
            // the client reconnects (within its 1 s backoff); an attempt still being re-sent would now arrive
            Thread.sleep(2_000);
            assertThat(redis.commandCalls().getOrDefault("evalsha", 0L)).as("attempts sent after the round ended")
                    .isZero();
            assertThat(redis.command("EXISTS", "frozen-retry")).isEqualTo(0L);
        }
    }
}
