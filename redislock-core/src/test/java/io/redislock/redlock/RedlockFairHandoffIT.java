package io.redislock.redlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redislock.LockClient;
import io.redislock.Lease;
import io.redislock.LockOptions;
import io.redislock.RetryPolicy;
import io.redislock.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fair hand-off under Redlock: every node queues waiters in the same order (the waiter's own score), so a
 * release on all nodes hands the lock to the same oldest waiter everywhere, and the releaser cannot barge
 * back in front of it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedlockFairHandoffIT extends RedlockTestSupport {

    @Test
    void waitersGetTheLockInArrivalOrderAndTheReleaserCannotBargeIn() throws Exception {
        String name = "rl-fifo";
        LockClient holder = connectedClient();
        List<LockClient> others = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            others.add(connectedClient());
        }
        Lease first = holder.lock(name).acquire(Duration.ofSeconds(5));
        List<CompletableFuture<Lease>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            nextMillisecond(); // distinct scores, so arrival order is the queue order
            waiting.add(queue(others.get(i), name, i + 1));
        }
        List<Object> order = servers.get(0).command("ZRANGE", "{" + name + "}:waiters", "0", "-1") instanceof List<?> l
                ? List.copyOf(l) : List.of();
        for (RedisServer s : servers.all()) {
            assertThat(s.command("ZRANGE", "{" + name + "}:waiters", "0", "-1")).as("queue order on every node")
                    .isEqualTo(order);
        }

        Lease previous = first;
        LockClient previousClient = holder;
        List<Long> fences = new ArrayList<>(List.of(first.fencingToken()));
        for (int i = 0; i < 3; i++) {
            assertThat(previous.release()).isTrue();
            // the release set the next waiter's token on every node: the releaser finds the lock taken
            assertThat(previousClient.lock(name).tryAcquire()).as("releaser trying again at once").isEmpty();
            Lease next = waiting.get(i).get(scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(next.isHeld()).isTrue();
            // release() returns once a majority released; a node whose release came after the waiter's
            // round may hand its share to the next waiter instead
            assertThat(nodesHolding(name, next.token())).isGreaterThanOrEqualTo(3);
            fences.add(next.fencingToken());
            previous = next;
            previousClient = others.get(i);
        }
        assertThat(previous.release()).isTrue();
        assertStrictlyIncreasing(fences);
    }

    @Test
    void aWaiterThatGivesUpPassesTheLockToTheNextOne() throws Exception {
        String name = "rl-quit";
        LockClient a = connectedClient();
        LockClient b = connectedClient();
        LockClient c = connectedClient();
        Lease held = a.lock(name).acquire(Duration.ofSeconds(5));
        CompletableFuture<Lease> quitter = queue(b, name, 1);
        nextMillisecond();
        CompletableFuture<Lease> stayer = queue(c, name, 2);
        quitter.cancel(true);
        assertThat(held.release()).isTrue();
        Lease got = stayer.get(scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
        assertThat(got.isHeld()).isTrue();
        assertThat(nodesHolding(name, got.token())).isGreaterThanOrEqualTo(3);
        got.close();
    }

    @Test
    void aLockHandedToAWaitThatAlreadyEndedIsPassedOnByEveryNode() throws Exception {
        String name = "rl-ended";
        LockClient a = connectedClient();
        LockClient b = connectedClient();
        LockClient c = connectedClient();
        // learn b's wake-up channel from its queue entry, then end that wait
        Lease probe = a.lock("rl-probe").acquire(Duration.ofSeconds(5));
        CompletableFuture<Lease> probing = queue(b, "rl-probe", 1);
        String bChannel = ((String) ((List<?>) servers.get(0).command("ZRANGE", "{rl-probe}:waiters", "0", "0")).get(0))
                .split(" ")[0];
        probing.cancel(true);
        probe.release();

        Lease held = a.lock(name).acquire(Duration.ofSeconds(5));
        CompletableFuture<Lease> live = queue(c, name, 1);
        // on every node, a queue entry of b whose wait has ended (its leave did not reach Redis), ahead of c
        for (RedisServer s : servers.all()) {
            s.command("ZADD", "{" + name + "}:waiters", "1", bChannel + " ended-wait-token 30000");
        }

        assertThat(held.release()).isTrue();

        // b is alive, so each node hands the lock to the ended wait; b passes it on, node by node, to c
        // (which never retries within this test: without the hand-back it would wait out the 30 s lease)
        Lease got = live.get(scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
        assertThat(got.isHeld()).isTrue();
        assertThat(nodesHolding(name, got.token())).isGreaterThanOrEqualTo(3);
        got.close();
    }

    @Test
    void aSplitVoteIsGatheredByTheOldestWaiterInsteadOfPassedRoundAfterRound() throws Exception {
        // a split vote, as left by racing rounds: w1 (oldest) holds nodes 0-1, w2 nodes 2-3, w3 node 4;
        // each is queued where it does not hold. Each waiter's failed round gives back its shares; if every
        // node handed its share to its own oldest queued waiter, w1's shares would go to w2 and the split
        // would move on instead of ending (seen: 8 clients with 2 of 5 nodes dead, nobody granted for 17 s).
        String name = "rl-split";
        List<CompletableFuture<Lease>> waiting = new ArrayList<>();
        List<?> members = splitVote(name, waiting);

        // w1's round: two of five; its cleanup must leave w1 its shares (no older waiter is queued there)
        long before = servers.get(0).commandCalls().getOrDefault("evalsha", 0L);
        wake(members.get(0), 0);
        await().atMost(scaled(Duration.ofSeconds(10))).pollInterval(Duration.ofMillis(5))
                .until(() -> servers.get(0).commandCalls().getOrDefault("evalsha", 0L) >= before + 2);
        // w2's round: two of five; its cleanup hands nodes 2-3 to w1, which then holds four of five
        wake(members.get(1), 2);

        Lease first = waiting.get(0).get(scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
        assertThat(waiting.get(1)).as("w2 waits for w1").isNotDone();
        assertThat(nodesHolding(name, first.token())).isGreaterThanOrEqualTo(3);
        List<Long> fences = new ArrayList<>(List.of(first.fencingToken()));
        assertThat(first.release()).isTrue();
        for (int i = 1; i < 3; i++) {
            Lease next = waiting.get(i).get(scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
            fences.add(next.fencingToken());
            assertThat(next.release()).isTrue();
        }
        assertStrictlyIncreasing(fences);
    }

    @Test
    void sharesKeptOnNodesThatAnsweredAfterTheRoundWasDecidedCountTowardsTheMajority() throws Exception {
        // as the split-vote test, but w1's own nodes (0-1) answer its round only after nodes 2-4 refused and
        // decided it: its cleanup still keeps both shares, so w2's hand-over of nodes 2-3 gives it four of five
        String name = "rl-late-keep";
        List<CompletableFuture<Lease>> waiting = new ArrayList<>();
        List<?> members = splitVote(name, waiting);
        long[] before = new long[servers.size()];
        for (int i = 0; i < servers.size(); i++) {
            before[i] = servers.get(i).commandCalls().getOrDefault("evalsha", 0L);
        }
        servers.get(0).pause();
        servers.get(1).pause();
        try {
            wake(members.get(0), 2);
            await().atMost(scaled(Duration.ofSeconds(10))).pollInterval(Duration.ofMillis(5)).until(() -> {
                for (int i = 2; i < 5; i++) {
                    if (servers.get(i).commandCalls().getOrDefault("evalsha", 0L) < before[i] + 1) {
                        return false;
                    }
                }
                return true;
            });
            Thread.sleep(200); // the round is decided by nodes 2-4 ("held") while nodes 0-1 are stopped
        } finally {
            servers.get(0).resume();
            servers.get(1).resume();
        }
        // nodes 0-1 answer "yes" and then take the cleanup, which keeps w1's shares there
        await().atMost(scaled(Duration.ofSeconds(10))).pollInterval(Duration.ofMillis(5))
                .until(() -> servers.get(0).commandCalls().getOrDefault("evalsha", 0L) >= before[0] + 2
                        && servers.get(1).commandCalls().getOrDefault("evalsha", 0L) >= before[1] + 2);
        String w1 = ((String) members.get(0)).split(" ")[1];
        assertThat(servers.get(0).command("GET", name)).isEqualTo(w1);
        assertThat(servers.get(1).command("GET", name)).isEqualTo(w1);
        wake(members.get(1), 2);

        Lease first = waiting.get(0).get(scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
        assertThat(first.token()).isEqualTo(w1);
        assertThat(nodesHolding(name, first.token())).isGreaterThanOrEqualTo(3);
        assertThat(first.release()).isTrue();
        for (int i = 1; i < 3; i++) {
            waiting.get(i).get(scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS).release();
        }
    }

    /**
     * Returns once no node ran a script for 300 ms: the waiters' first rounds and their cleanups are over. A
     * round decided by three "held" answers sends its cleanup to the two nodes still pending; one that runs
     * after the test set a waiter's token there finds its own token and hands that share on.
     */
    private void awaitNoScriptCalls() {
        long[] last = {-1, System.nanoTime()};
        await().atMost(scaled(Duration.ofSeconds(10))).pollInterval(Duration.ofMillis(20)).until(() -> {
            long sum = 0;
            for (RedisServer s : servers.all()) {
                sum += s.commandCalls().getOrDefault("evalsha", 0L) + s.commandCalls().getOrDefault("eval", 0L);
            }
            if (sum != last[0]) {
                last[0] = sum;
                last[1] = System.nanoTime();
                return false;
            }
            return System.nanoTime() - last[1] >= TimeUnit.MILLISECONDS.toNanos(300);
        });
    }

    @Test
    void aFailedRoundsCleanupKeepsAShareOnlyWhereNoOlderWaiterIsQueued() throws Exception {
        String name = "rl-keep";
        String queue = "{" + name + "}:waiters";
        RedisServer node = servers.get(0);
        String release = script("release");
        String mine = "redislock:wake:none my-token 30000";
        // nobody older queued: the share stays, with its expiry cut to the cap (5 s), and we are not queued
        node.command("SET", name, "my-token", "PX", "30000");
        node.command("ZADD", queue, "2000", "redislock:wake:none younger-token 30000");
        assertThat(node.command("EVAL", release, "3", name, fenceKey(name), queue,
                "my-token", "", "1", "0", "0", mine, "1000", "60000", "5000")).isEqualTo(2L);
        assertThat(node.command("GET", name)).isEqualTo("my-token");
        assertThat((Long) node.command("PTTL", name)).isBetween(1L, 5000L);
        assertThat(node.command("ZSCORE", queue, mine)).isNull();

        // the only older entry is a waiter that is gone (no subscriber): the share stays ours, still capped
        node.command("ZADD", queue, "100", "redislock:wake:gone gone-token 30000");
        assertThat(node.command("EVAL", release, "3", name, fenceKey(name), queue,
                "my-token", "", "1", "0", "0", mine, "1000", "60000", "5000")).isEqualTo(2L);
        assertThat(node.command("GET", name)).isEqualTo("my-token");
        assertThat((Long) node.command("PTTL", name)).isBetween(1L, 5000L);
        assertThat(node.command("ZRANGE", queue, "0", "-1")).isEqualTo(List.of("redislock:wake:none younger-token 30000"));

        // an older waiter queued (with a live subscriber, as hand-offs skip dead waiters): the share goes
        // to it, and we queue with our own score
        node.command("ZADD", queue, "500", "redislock:wake:older older-token 30000");
        io.lettuce.core.RedisClient raw = io.lettuce.core.RedisClient.create(node.uri());
        try (var older = raw.connectPubSub()) {
            older.sync().subscribe("redislock:wake:older");
            assertThat(node.command("EVAL", release, "3", name, fenceKey(name), queue,
                    "my-token", "", "1", "0", "0", mine, "1000", "60000", "5000")).isEqualTo(1L);
        } finally {
            raw.shutdown();
        }
        assertThat(node.command("GET", name)).isEqualTo("older-token");
        assertThat(node.command("ZSCORE", queue, mine)).isEqualTo("1000");
        node.command("DEL", name, queue);
    }

    @Test
    void aMessageFromANodeWhoseYesVoteTheFailedRoundCountedStartsNoExtraRound() throws Exception {
        // the waiter's round: yes on nodes 3-4, "held" on 0-2; it keeps its shares on 3-4 and needs one more
        // node's release. A message from node 3 (the hand-off that made its vote yes, arriving after the
        // round's reply, or delivered twice) tells of a share the round already counted: counted again, it
        // started a round that could only fail (seen as 7 script calls on one node instead of at most 6 in
        // RedlockFiveNodesIT#waiterWakesOnReleaseWithoutPolling)
        String name = "rl-counted";
        String queue = "{" + name + "}:waiters";
        LockClient c = connectedClient();
        blockFirst(3, name);
        CompletableFuture<Lease> waiting = c.lock(name, PATIENT).acquireAsync(Duration.ofSeconds(50));
        await().atMost(scaled(Duration.ofSeconds(10))).pollInterval(Duration.ofMillis(5))
                .until(() -> servers.get(3).command("GET", name) != null && servers.get(4).command("GET", name) != null
                        && Long.valueOf(1L).equals(servers.get(0).command("ZCARD", queue)));
        awaitNoScriptCalls();
        String member = (String) ((List<?>) servers.get(0).command("ZRANGE", queue, "0", "0")).get(0);
        String[] parts = member.split(" ");
        long before = servers.get(0).commandCalls().getOrDefault("evalsha", 0L);

        servers.get(3).command("PUBLISH", parts[0], parts[1] + " 1 " + name);
        Thread.sleep(scaled(Duration.ofMillis(300)).toMillis()); // time for a round that must not come

        assertThat(servers.get(0).commandCalls().getOrDefault("evalsha", 0L)).as("script calls on node 0")
                .isEqualTo(before);
        // a release on a node that refused does start the round that completes the majority
        unblock(0, name);
        servers.get(0).command("PUBLISH", parts[0], parts[1]);
        Lease got = waiting.get(scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
        assertThat(nodesHolding(name, got.token())).isGreaterThanOrEqualTo(3);
        got.close();
        for (int i = 1; i < 3; i++) {
            unblock(i, name);
        }
    }

    /**
     * Makes a queued waiter (its queue entry) run a round now: wake-up messages from a majority of nodes,
     * {@code node} and the two after it (a node counts once, and not if its yes vote already counted).
     */
    private void wake(Object member, int node) {
        String[] parts = ((String) member).split(" ");
        for (int i = 0; i < 3; i++) {
            servers.get((node + i) % servers.size()).command("PUBLISH", parts[0], parts[1]);
        }
    }

    @Test
    void aWaitersOwnScoreIsCappedAtTheNodesClock() throws Exception {
        // a client whose clock runs ahead must not queue behind waiters that came after it
        String name = "rl-score";
        RedisServer node = servers.get(0);
        block(0, name);
        String script = script("acquire");
        long hourAhead = (System.currentTimeMillis() + 3_600_000L) * 1000L; // scores are in µs
        for (String[] waiter : new String[][] {{"ahead", Long.toString(hourAhead)}, {"behind", "1000"}}) {
            List<?> reply = (List<?>) node.command("EVAL", script, "3", name, fenceKey(name), "{" + name + "}:waiters",
                    waiter[0] + "-token", "30000", "redislock:wake:none " + waiter[0] + "-token 30000", "60000", "0",
                    waiter[1]);
            assertThat(reply.get(0)).as("refused and queued").isEqualTo(0L);
        }
        List<?> time = (List<?>) node.command("TIME");
        long nodeMicros = Long.parseLong((String) time.get(0)) * 1_000_000L + Long.parseLong((String) time.get(1));
        double ahead = Double.parseDouble((String) node.command("ZSCORE", "{" + name + "}:waiters",
                "redislock:wake:none ahead-token 30000"));
        double behind = Double.parseDouble((String) node.command("ZSCORE", "{" + name + "}:waiters",
                "redislock:wake:none behind-token 30000"));
        assertThat(ahead).as("score of a client an hour ahead").isLessThanOrEqualTo(nodeMicros + 1_000_000.0);
        assertThat(behind).as("a client's earlier score is kept").isEqualTo(1000.0);
        node.command("DEL", "{" + name + "}:waiters");
        unblock(0, name);
    }

    /**
     * Queues three waiters w1-w3 (oldest first) on every node, then rigs a split vote: w1 holds nodes 0-1,
     * w2 nodes 2-3, w3 node 4, each queued where it does not hold.
     *
     * @param name the lock
     * @param waiting receives the three waits, oldest first
     * @return the three queue members, oldest first
     */
    private List<?> splitVote(String name, List<CompletableFuture<Lease>> waiting) throws Exception {
        String queue = "{" + name + "}:waiters";
        for (int i = 0; i < servers.size(); i++) {
            block(i, name);
        }
        for (int i = 0; i < 3; i++) {
            nextMillisecond();
            waiting.add(queue(connectedClient(), name, i + 1));
        }
        awaitNoScriptCalls();
        List<?> members = (List<?>) servers.get(0).command("ZRANGE", queue, "0", "-1");
        int[] owner = {0, 0, 1, 1, 2};
        for (int i = 0; i < servers.size(); i++) {
            String member = (String) members.get(owner[i]);
            servers.get(i).command("SET", name, member.split(" ")[1], "PX", "30000");
            servers.get(i).command("ZREM", queue, member);
        }
        return members;
    }

    /** A patient wait by {@code client}, returned once every node's queue has {@code count} waiters. */
    private CompletableFuture<Lease> queue(LockClient client, String name, long count) {
        CompletableFuture<Lease> waiting = client.lock(name, PATIENT).acquireAsync(Duration.ofSeconds(50));
        awaitQueuedOnAllNodes(name, count);
        return waiting;
    }

    /** Returns once the wall clock (the waiters' queue score) has moved on by at least one millisecond. */
    private static void nextMillisecond() {
        long now = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(1))
                .until(() -> System.currentTimeMillis() > now);
    }

    private void awaitQueuedOnAllNodes(String name, long count) {
        await().atMost(scaled(Duration.ofSeconds(10))).pollInterval(Duration.ofMillis(5)).until(() -> {
            for (RedisServer s : servers.all()) {
                if (!Long.valueOf(count).equals(s.command("ZCARD", "{" + name + "}:waiters"))) {
                    return false;
                }
            }
            return true;
        });
    }
}
