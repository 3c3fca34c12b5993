package io.redislock.redlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.redislock.DistributedLock;
import io.redislock.Lease;
import io.redislock.LeaseLostEvent;
import io.redislock.LockClient;
import io.redislock.LockOptions;
import io.redislock.LockUnavailableException;
import io.redislock.RetryPolicy;
import io.redislock.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redlock nodes killed and restarted empty (no persistence) while a lease is held, and the client-side
 * delayed-restart rule ({@code LockClientOptions.enforceDelayedRestart}).
 *
 * <p>Redis reports {@code uptime_in_seconds} as the difference of two wall-clock seconds, so a node started
 * at x.9 s reports 1 s of uptime at (x+1).0 s. Tests that are not about that rounding restart nodes early in a
 * wall-clock second, so that the clients read the uptime of a restarted node before the next second starts.
 */
@Tag("fault")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedlockRestartIT extends RedlockTestSupport {
    private static final Duration OBSERVE = Duration.ofSeconds(3);

    @Test
    void holderKeepsItsMajorityOrLearnsItLostItWhileNodesRestartEmpty() throws Exception {
        LockOptions opts = LockOptions.builder().lease(Duration.ofSeconds(1)).build();
        LockClient holderClient = connectedClient();
        DistributedLock competitor = connectedClient().lock("restart-held", opts);
        Lease holder = holderClient.lock("restart-held", opts).acquire(Duration.ofSeconds(5));
        CompletableFuture<LeaseLostEvent> lost = holder.lost();
        List<Long> fences = new ArrayList<>(List.of(holder.fencingToken()));
        List<String> violations = new ArrayList<>();
        boolean everNotHeld = false;
        int restarted = 0;
        long start = System.nanoTime();
        for (int i = 0; i < 300 && millisSince(start) < OBSERVE.toMillis(); i++) {
            // a rolling restart: node 0 at 0.5 s, node 1 at 1.5 s, each coming back empty
            if (restarted < 2 && millisSince(start) >= 500 + 1000L * restarted) {
                servers.get(restarted).restart();
                restarted++;
            }
            Optional<Lease> got;
            try {
                got = competitor.tryAcquire();
            } catch (LockUnavailableException e) {
                // not granted; how refusals are reported while a node is down is RedlockNodeFailureIT's concern
                got = Optional.empty();
            }
            boolean held = holder.isHeld();
            everNotHeld |= !held;
            if (got.isPresent()) {
                if (held) {
                    violations.add(snapshot("restart-held", millisSince(start), holder, got.get()));
                }
                fences.add(got.get().fencingToken());
                got.get().release();
            }
            Thread.sleep(20); // pacing of the observer, not synchronisation
        }
        assertThat(restarted).isEqualTo(2);
        assertThat(violations).as("grants to another client while the holder believed it held the lock").isEmpty();
        if (everNotHeld) {
            LeaseLostEvent ev = lost.get(scaled(Duration.ofSeconds(3)).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(ev.reason()).isIn(LeaseLostEvent.Reason.NOT_OWNER, LeaseLostEvent.Reason.RENEWAL_FAILED);
        } else {
            assertThat(lost).isNotDone();
            // three leases long on a 1 s lease: only renewals on the 3 nodes that kept the key explain this
            assertThat(nodesHolding("restart-held", holder.token())).isGreaterThanOrEqualTo(3);
            assertThat(holder.release()).isTrue();
        }
        Lease next = competitor.acquire(scaled(Duration.ofSeconds(5)));
        fences.add(next.fencingToken());
        assertThat(next.release()).isTrue();
        assertStrictlyIncreasing(fences);
    }

    @Test
    void aLeaseExtendedToALongerLeaseCountsForTheDelayedRestartRule() throws Exception {
        LockOptions opts = LockOptions.builder().lease(Duration.ofSeconds(2)).build();
        LockClient c = connectedClient(b -> b.enforceDelayedRestart(true));
        // granted once every node has been up for 2 s
        Lease holder = c.lock("restart-extended", opts).acquire(scaled(Duration.ofSeconds(10)));
        holder.extend(Duration.ofSeconds(30)); // the longest lease this client uses is now 30 s
        awaitWallClockMillisBetween(0, 150);
        for (int i = 0; i < 3; i++) {
            servers.get(i).restart(); // a majority forgets the holder's key
        }
        Thread.sleep(3_000); // up longer than the handles' 2 s lease, far less than the extended 30 s
        Optional<Lease> other;
        try {
            other = c.lock("restart-extended", opts).tryAcquire();
        } catch (LockUnavailableException refusedByTheRule) {
            other = Optional.empty();
        }
        boolean both = other.isPresent() && holder.isHeld();
        other.ifPresent(Lease::release);
        assertThat(both).as("a second lease while the extended one is held").isFalse();
        holder.release();
    }

    @Test
    void underTheDelayedRestartRuleNoOtherClientGetsTheLockWhileTheHolderStillBelievesItHoldsIt() throws Exception {
        LockOptions opts = LockOptions.builder().lease(Duration.ofSeconds(1)).build();
        LockClient holderClient = connectedClient(b -> b.enforceDelayedRestart(true));
        DistributedLock competitor = connectedClient(b -> b.enforceDelayedRestart(true)).lock("restart-strict", opts);
        // granted once every node has been up for a lease
        Lease holder = holderClient.lock("restart-strict", opts).acquire(scaled(Duration.ofSeconds(10)));
        CompletableFuture<LeaseLostEvent> lost = holder.lost();
        List<Long> fences = new ArrayList<>(List.of(holder.fencingToken()));
        awaitWallClockMillisBetween(0, 150);
        for (int i = 0; i < 3; i++) {
            servers.get(i).restart();
        }
        String violation = null;
        Lease got = null;
        long start = System.nanoTime();
        for (int i = 0; i < 300 && millisSince(start) < scaled(Duration.ofSeconds(5)).toMillis(); i++) {
            Optional<Lease> attempt;
            try {
                attempt = competitor.tryAcquire();
            } catch (LockUnavailableException reconnecting) {
                attempt = Optional.empty();
            }
            boolean held = holder.isHeld();
            if (attempt.isPresent()) {
                got = attempt.get();
                if (held) {
                    violation = snapshot("restart-strict", millisSince(start), holder, got);
                }
                break;
            }
            Thread.sleep(20); // pacing of the observer, not synchronisation
        }
        assertThat(violation).as("a grant to another client while the holder believed it held the lock").isNull();
        // the holder's key survives on 2 of 5 nodes only: it is told it lost the lock
        LeaseLostEvent ev = lost.get(scaled(Duration.ofSeconds(3)).toMillis(), TimeUnit.MILLISECONDS);
        assertThat(ev.reason()).isIn(LeaseLostEvent.Reason.NOT_OWNER, LeaseLostEvent.Reason.RENEWAL_FAILED);
        assertThat(holder.isHeld()).isFalse();
        assertThat(holder.release()).as("release of a lost lease reports the loss").isFalse();
        if (got == null) {
            got = competitor.acquire(scaled(Duration.ofSeconds(10)));
        }
        fences.add(got.fencingToken());
        assertThat(got.release()).isTrue();
        assertStrictlyIncreasing(fences);
    }

    @Test
    void delayedRestartRuleIgnoresRestartedNodesUntilTheirUptimeCoversTheLease() throws Exception {
        LockOptions opts = LockOptions.builder()
                .lease(Duration.ofSeconds(2))
                .retry(RetryPolicy.builder().maxDelay(Duration.ofMillis(100)).build())
                .build();
        DistributedLock strictOld = connectedClient(b -> b.enforceDelayedRestart(true)).lock("delayed", opts);
        // once every node has been up for a lease, the rule lets the grant through
        Lease first = await().atMost(scaled(Duration.ofSeconds(10)))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(QuorumNotReachedException.class) // nodes still too young
                .until(strictOld::tryAcquire, Optional::isPresent)
                .orElseThrow();
        List<Long> fences = new ArrayList<>(List.of(first.fencingToken()));
        assertThat(first.release()).isTrue();

        awaitWallClockMillisBetween(0, 150);
        long restartedAt = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            servers.get(i).restart();
        }
        // without the rule, the three empty nodes make a majority at once (clients connected after the restarts)
        Lease plain = connectedClient().lock("delayed", opts).tryAcquire().orElseThrow();
        fences.add(plain.fencingToken());
        assertThat(plain.release()).isTrue();

        // with it, at most the two nodes that kept running count (a fresh client, reading whole seconds of
        // uptime, counts one second less: they may still look young too): no majority
        DistributedLock strictFresh = connectedClient(b -> b.enforceDelayedRestart(true)).lock("delayed", opts);
        for (int i = 0; i < 2; i++) { // the second time with the uptime of every node known
            assertThatThrownBy(strictFresh::tryAcquire)
                    .isInstanceOf(QuorumNotReachedException.class)
                    .hasMessageContaining("more answered but restarted less than the longest lease ago")
                    .satisfies(e -> assertThat(((QuorumNotReachedException) e).answered()).isLessThanOrEqualTo(2));
        }

        // the client that was connected before the restarts re-reads the uptime on reconnect
        Lease later = strictOld.acquire(scaled(Duration.ofSeconds(10)));
        long grantedAfter = millisSince(restartedAt);
        fences.add(later.fencingToken());
        assertThat(grantedAfter).as("ms from the restarts to the grant").isGreaterThanOrEqualTo(1900);
        assertThat(nodesHolding("delayed", later.token())).isGreaterThanOrEqualTo(3);
        assertThat(later.release()).isTrue();
        assertStrictlyIncreasing(fences);
    }

    @Test
    void delayedRestartRuleDoesNotTrustANodeEarlyBecauseOfUptimeRounding() throws Exception {
        LockOptions opts = LockOptions.builder().lease(Duration.ofSeconds(1)).build();
        // the two nodes that keep running must be trusted: up for at least a lease, whatever the rounding
        await().atMost(scaled(Duration.ofSeconds(10)))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> uptimeSeconds(servers.get(3)) >= 2 && uptimeSeconds(servers.get(4)) >= 2);
        awaitWallClockMillisBetween(820, 880);
        long restartedAt = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            servers.get(i).restart();
        }
        await().atMost(scaled(Duration.ofSeconds(2)))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> uptimeSeconds(servers.get(0)) >= 1);
        assumeTrue(millisSince(restartedAt) < 600, "the restarts did not fit before the next wall-clock second");
        DistributedLock strict = connectedClient(b -> b.enforceDelayedRestart(true)).lock("rounding", opts);
        Lease lease = await().atMost(scaled(Duration.ofSeconds(5)))
                .pollInterval(Duration.ofMillis(20))
                .ignoreExceptionsInstanceOf(QuorumNotReachedException.class) // restarted nodes still too young
                .until(strict::tryAcquire, Optional::isPresent)
                .orElseThrow();
        long grantedAfter = millisSince(restartedAt);
        assertThat(lease.release()).isTrue();
        assertThat(grantedAfter).as("ms from the restarts to the grant").isGreaterThanOrEqualTo(opts.lease().toMillis() - 50);
    }

    /** What every node stores for the lock, for the message of a failed exclusion check. */
    private String snapshot(String key, long atMillis, Lease holder, Lease other) {
        StringBuilder sb = new StringBuilder("at " + atMillis + " ms, holder validity left "
                + holder.remainingValidity().toMillis() + " ms, holder " + holder.fencingToken() + ", other "
                + other.fencingToken() + ":");
        for (int i = 0; i < servers.size(); i++) {
            RedisServer s = servers.get(i);
            Object v = s.command("GET", key);
            String who = v == null ? "-" : v.equals(holder.token()) ? "holder" : v.equals(other.token()) ? "other" : v.toString();
            sb.append(" node").append(i).append('=').append(who).append('/').append(s.command("PTTL", key)).append("ms");
        }
        return sb.toString();
    }

    private static long uptimeSeconds(RedisServer s) {
        return Long.parseLong(s.info("server").get("uptime_in_seconds"));
    }

    /** Waits (at most about a second) until the wall clock's millisecond within the second is in [from, to). */
    private static void awaitWallClockMillisBetween(long from, long to) {
        await().atMost(Duration.ofMillis(1500))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2))
                .until(() -> {
                    long ms = System.currentTimeMillis() % 1000;
                    return ms >= from && ms < to;
                });
    }
}
