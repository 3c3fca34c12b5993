package io.redislock.redlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.redislock.DistributedLock;
import io.redislock.Lease;
import io.redislock.LockClient;
import io.redislock.LockOptions;
import io.redislock.LockTimeoutException;
import io.redislock.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A failed Redlock round releases what it was granted, on every node that granted or did not answer in
 * time; SCAN on every live node shows what is left.
 */
@Tag("fault")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedlockPartialGrantCleanupIT extends RedlockTestSupport {
    private static final String NAME = "partial";

    @Test
    void failedRoundsWithThreeNodesKilledLeaveNothingOnTheTwoThatGranted() throws Exception {
        LockClient c = connectedClient();
        for (int i = 2; i < 5; i++) {
            servers.get(i).kill();
        }
        DistributedLock lock = c.lock(NAME);
        // nodes 0 and 1 grant, 2 of 5 yes: every round fails
        assertThat(catchThrowable(lock::tryAcquire)).isInstanceOf(QuorumNotReachedException.class);
        assertNothingButCountersAndForeignTokens(Set.of(), Set.of(2, 3, 4));
        assertThat(catchThrowable(() -> lock.acquire(Duration.ofMillis(500)))).isInstanceOf(QuorumNotReachedException.class);
        assertNothingButCountersAndForeignTokens(Set.of(), Set.of(2, 3, 4));
        assertThat(servers.get(0).command("EXISTS", fenceKey(NAME))).as("node 0 did grant").isEqualTo(1L);
    }

    @Test
    void failedRoundsReleaseTheLateGrantsOfANodeThatTimedOut() throws Exception {
        // A and B (0, 1) hold another owner's token, C and D (2, 3) grant, E (4) is hung: 2 yes of 5
        LockClient c = connectedClient(b -> b.nodeTimeout(Duration.ofMillis(200)));
        c.lock("subscribed").acquire(Duration.ofSeconds(5)).release();
        block(0, NAME);
        block(1, NAME);
        RedisServer hung = servers.get(4);
        hung.resetStats();
        hung.pause();
        try {
            // E's scripts wait in its socket; each round fails when E does not answer within the node timeout
            assertThat(c.lock(NAME).tryAcquire()).isEmpty();
            Throwable waited = catchThrowable(() -> c.lock(NAME).acquire(Duration.ofMillis(300)));
            assertThat(waited).isInstanceOf(LockTimeoutException.class);
        } finally {
            hung.resume();
        }
        try {
            // E runs the late acquisitions (its counter appears) and the releases queued behind them
            await().atMost(scaled(Duration.ofSeconds(3))).until(() -> Long.valueOf(1).equals(hung.command("EXISTS", fenceKey(NAME))));
            assertNothingButCountersAndForeignTokens(Set.of(0, 1), Set.of());
            assertThat(hung.commandCalls().getOrDefault("evalsha", 0L)).isGreaterThanOrEqualTo(4L);
        } finally {
            unblock(0, NAME);
            unblock(1, NAME);
        }
    }

    @Test
    void failedRoundsWithTwoNodesHeldElsewhereAndOneKilledLeaveNoGrantBehind() throws Exception {
        LockClient c = connectedClient();
        block(0, NAME);
        block(1, NAME);
        servers.get(4).kill();
        try {
            // a status read goes over the same connections after the cleanup: a barrier for it
            for (int round = 0; round < 100; round++) {
                AtomicReference<Object> result = new AtomicReference<>();
                Throwable t = catchThrowable(() -> result.set(c.lock(NAME).tryAcquire()));
                // no lease either way; how a refusal is reported while a node is down is RedlockNodeFailureIT's concern
                assertThat(t == null ? result.get() : t)
                        .satisfiesAnyOf(
                                r -> assertThat(r).isEqualTo(Optional.empty()),
                                r -> assertThat(r).isInstanceOf(QuorumNotReachedException.class));
                c.status(NAME, "");
                assertThat(servers.get(2).command("GET", NAME)).as("node 2 after round %d", round).isNull();
                assertThat(servers.get(3).command("GET", NAME)).as("node 3 after round %d", round).isNull();
            }
        } finally {
            unblock(0, NAME);
            unblock(1, NAME);
        }
    }

    /**
     * Soon (the cleanup is sent without waiting for it): the nodes in {@code foreign} keep the foreign token,
     * no other live node has the lock key, and nothing but the fencing counter is left (no waiter queue, no
     * hand-off reservation). A grant left behind would stay for its whole lease (30 s).
     */
    private void assertNothingButCountersAndForeignTokens(Set<Integer> foreign, Set<Integer> dead) {
        await().atMost(scaled(Duration.ofSeconds(3))).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            for (int i = 0; i < servers.size(); i++) {
                if (dead.contains(i)) {
                    continue;
                }
                RedisServer s = servers.get(i);
                List<String> keys = s.scanKeys("*" + NAME + "*");
                if (foreign.contains(i)) {
                    assertThat(s.command("GET", NAME)).isEqualTo(FOREIGN);
                    assertThat(keys).as("keys on node %d", i).isSubsetOf(NAME, fenceKey(NAME));
                } else {
                    assertThat(keys).as("keys on node %d", i).isSubsetOf(fenceKey(NAME));
                }
            }
        });
    }

    @Test
    void closingTheClientRightAfterAReleaseStillReleasesOnANodeThatAnswersLate() throws Exception {
        // A release returns at a majority; on a hung node it is sent once the grant there is answered.
        // Closing the client at once (a CLI run that got a signal as the lock came) must still send it: the
        // close used to skip it, leaving that node's share for the whole lease.
        LockClient c = connectedClient();
        RedisServer hung = servers.get(4);
        hung.pause();
        CompletableFuture<Void> closing;
        try {
            Lease lease = c.lock(NAME).tryAcquire().orElseThrow(); // 4 of 5 grant; node 4's grant waits
            assertThat(lease.release()).isTrue();
            closing = CompletableFuture.runAsync(c::close);
            Thread.sleep(300); // the close waits for node 4 (at most the command timeout)
        } finally {
            hung.resume();
        }
        closing.get(scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
        // node 4 ran the late grant (its counter exists) and then the release behind it
        assertThat(hung.command("EXISTS", fenceKey(NAME))).isEqualTo(1L);
        assertNothingButCountersAndForeignTokens(Set.of(), Set.of());
    }

    @Test
    void aRoundRightAfterAReleaseWaitsForThatReleaseOnASlowNodeInsteadOfBeingRefused() throws Exception {
        LockClient c = connectedClient();
        DistributedLock lock = c.lock("back-to-back");
        RedisServer slow = servers.get(4);
        for (RedisServer s : servers.all()) {
            s.command("SET", fenceKey("back-to-back"), "100");
        }
        // node 4 answers the first grant late: the lease is decided by the other four and released at once,
        // while node 4's release still waits for that grant's reply
        slow.command("CLIENT", "PAUSE", "300");
        Lease first = lock.tryAcquire().orElseThrow();
        first.release();
        Lease second = lock.tryAcquire().orElseThrow();
        // node 4 ends up holding the second token (its round came after the release there), and its counter
        // moved with the others, so no write-back is needed for the majorities that include it
        await().atMost(Duration.ofSeconds(5)).until(() -> second.token().equals(slow.command("GET", "back-to-back")));
        assertThat(second.fencingToken()).isEqualTo(102L);
        assertThat(slow.command("GET", fenceKey("back-to-back"))).as("node 4 granted both rounds").isEqualTo("102");
        assertThat(second.release()).isTrue();
    }

    @Test
    void theCleanupOfAFailedRoundNeverUndoesALaterRoundOfTheSameWait() throws Exception {
        // rounds of one wait share a token. Node 0 refuses (a foreign token), nodes 3 and 4 stall, so rounds
        // fail with 2 yes; each failed round's release waits on 3 and 4 for that round's reply. When they
        // resume, a later round is granted there; an earlier round's release arriving after it would delete
        // the granted share (same token) and the holder would be left with a minority
        LockOptions opts = LockOptions.builder()
                .fairHandoff(false)
                .retry(io.redislock.RetryPolicy.builder()
                        .initialDelay(Duration.ofMillis(10))
                        .maxDelay(Duration.ofMillis(30))
                        .build())
                .build();
        LockClient c = connectedClient(b -> b.nodeTimeout(Duration.ofMillis(100)));
        c.lock("subscribed").acquire(Duration.ofSeconds(5)).release();
        servers.get(0).command("SET", "same-token", "foreign", "PX", "30000");
        servers.get(3).command("CLIENT", "PAUSE", "500");
        servers.get(4).command("CLIENT", "PAUSE", "500");
        Lease lease = c.lock("same-token", opts).acquire(Duration.ofSeconds(5));
        // once the stall is over, the share stays on all four nodes that granted (reads wait out the pause)
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> nodesHolding("same-token", lease.token()) == 4);
        assertThat(lease.release()).isTrue();
        servers.get(0).command("DEL", "same-token");
    }
}
