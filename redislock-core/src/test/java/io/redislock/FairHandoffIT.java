package io.redislock;

import static org.assertj.core.api.Assertions.assertThat;

import io.redislock.testing.RedisServer;
import io.redislock.testing.TestTimeouts;
import io.redislock.testing.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** On one Redis a release hands the lock straight to the oldest live waiter. */
@WithRedis
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FairHandoffIT {
    private static final LockOptions PATIENT = LockOptions.builder()
            .retry(RetryPolicy.builder().initialDelay(Duration.ofSeconds(60)).maxDelay(Duration.ofSeconds(60)).build())
            .build();

    @Test
    void waitersGetTheLockInArrivalOrderWithoutExtraRoundTrips(RedisServer redis) throws Exception {
        List<LockClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                clients.add(LockClient.create(redis.uri()));
            }
            Lease first = clients.get(0).lock("fifo").acquire(Duration.ofSeconds(5));
            List<CompletableFuture<Lease>> waiting = new ArrayList<>();
            for (int i = 1; i < 4; i++) {
                waiting.add(clients.get(i).lock("fifo", PATIENT).acquireAsync(Duration.ofSeconds(50)));
                int queued = i;
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> (Long) redis.command("ZCARD", "{fifo}:waiters") == queued);
            }
            redis.resetStats();
            Lease previous = first;
            for (CompletableFuture<Lease> w : waiting) {
                assertThat(previous.release()).isTrue();
                Lease next = w.get(TestTimeouts.scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
                assertThat(next.isHeld()).isTrue();
                assertThat(next.fencingToken()).isGreaterThan(previous.fencingToken());
                assertThat(redis.command("GET", "fifo")).isEqualTo(next.token());
                previous = next;
            }
            assertThat(previous.release()).isTrue();
            // three hand-offs and a last release: one script call each, no acquire round trips
            java.util.Map<String, Long> calls = redis.commandCalls();
            assertThat(calls.getOrDefault("evalsha", 0L) + calls.getOrDefault("eval", 0L)).isEqualTo(4L);
        } finally {
            for (LockClient c : clients) {
                c.close();
            }
        }
    }

    @Test
    void waitersThatQueueWithinOneTickOfTheClockAreServedInTheOrderTheyQueued(RedisServer redis) throws Exception {
        // Three registrations in one MULTI, i.e. within the same millisecond (and maybe microsecond). Equal
        // scores would order them by member, i.e. by client channel: the same clients first on every tie
        // (seen: 8 contending clients got 710 to 1,316 acquisitions each in 1.5 s).
        String acquire = new String(LockEngineScripts.read("acquire"), java.nio.charset.StandardCharsets.UTF_8);
        redis.command("SET", "tick", "holder-token", "PX", "30000");
        List<String> members = List.of("redislock:wake:c c-token 30000", "redislock:wake:b b-token 30000",
                "redislock:wake:a a-token 30000");
        redis.command("MULTI");
        for (String m : members) {
            redis.command("EVAL", acquire, "3", "tick", "{tick}:fence", "{tick}:waiters",
                    m.split(" ")[1], "30000", m, "60000", "1");
        }
        List<?> replies = (List<?>) redis.command("EXEC");
        assertThat(replies).hasSize(3).allSatisfy(r -> assertThat(((List<?>) r).get(0)).isEqualTo(0L));
        assertThat(redis.command("ZRANGE", "{tick}:waiters", "0", "-1")).isEqualTo(members);
        // a later registration goes last even if the server's clock stepped back: scores only grow
        String late = "redislock:wake:0 late-token 30000";
        redis.command("ZADD", "{tick}:waiters", "XX", Long.toString(Long.MAX_VALUE / 1024), members.get(2));
        redis.command("EVAL", acquire, "3", "tick", "{tick}:fence", "{tick}:waiters", "late-token", "30000", late,
                "60000", "1");
        assertThat(redis.command("ZRANGE", "{tick}:waiters", "-1", "-1")).isEqualTo(List.of(late));
        redis.command("DEL", "tick", "{tick}:waiters");
    }

    @Test
    void aQueuedWaiterWithTheDefaultRetryPolicyDoesNotPollWhileTheHolderHoldsIt(RedisServer redis) throws Exception {
        try (LockClient a = LockClient.create(redis.uri());
                LockClient b = LockClient.create(redis.uri())) {
            Lease held = a.lock("quiet").acquire(Duration.ofSeconds(5));
            redis.resetStats();
            CompletableFuture<Lease> waiter = b.lock("quiet").acquireAsync(Duration.ofSeconds(50));
            long queuedBy = System.nanoTime();
            org.awaitility.Awaitility.await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10))
                    .until(() -> (Long) redis.command("ZCARD", "{quiet}:waiters") == 1L);
            // an observation window, not a synchronisation: the default backoff (10 ms doubling, full
            // jitter) retries three to five times in 250 ms; a queued waiter only keeps a safety net of at
            // least maxDelay / 2 (500 ms) after its attempt's reply
            Thread.sleep(250);
            org.junit.jupiter.api.Assumptions.assumeTrue(System.nanoTime() - queuedBy < TimeUnit.MILLISECONDS.toNanos(450),
                    "the machine stalled past the safety net's earliest retry: the window proves nothing");
            java.util.Map<String, Long> calls = redis.commandCalls();
            assertThat(calls.getOrDefault("evalsha", 0L) + calls.getOrDefault("eval", 0L)).isEqualTo(1L);
            assertThat(held.release()).isTrue();
            Lease got = waiter.get(TestTimeouts.scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(redis.command("GET", "quiet")).isEqualTo(got.token());
            got.close();
        }
    }

    @Test
    void aQueuedWaiterTakesTheLockAfterTheHolderDiedWithoutReleasing(RedisServer redis) throws Exception {
        try (LockClient b = LockClient.create(redis.uri())) {
            // a holder that died: its key expires, nobody releases it or hands it over
            redis.command("SET", "orphan", "dead-holder-token", "PX", "300");
            long start = System.nanoTime();
            Lease got = b.lock("orphan").acquire(Duration.ofSeconds(20));
            assertThat(got.isHeld()).isTrue();
            assertThat(redis.command("GET", "orphan")).isEqualTo(got.token());
            // the grant by a retry also took it out of the queue
            assertThat(redis.command("ZCARD", "{orphan}:waiters")).isEqualTo(0L);
            // retried once the holder's TTL ran out (bounded by the safety net, 1 s with the default policy)
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TestTimeouts.scaled(Duration.ofSeconds(5)));
            got.close();
        }
    }

    @Test
    void aLockHandedToAWaitThatAlreadyEndedIsPassedOnAtOnce(RedisServer redis) throws Exception {
        try (LockClient a = LockClient.create(redis.uri())) {
            // an acquisition with a wait returns only after its client's wake-up subscription settled
            a.lock("warm-up").acquire(Duration.ofSeconds(5)).release();
            java.util.Set<Object> before = new java.util.HashSet<>(pubsubChannels(redis));
            try (LockClient b = LockClient.create(redis.uri());
                    LockClient c = LockClient.create(redis.uri())) {
                // b only has to be alive and subscribed; it never touches the lock itself
                b.lock("warm-up").acquire(Duration.ofSeconds(5)).release();
                c.lock("warm-up").acquire(Duration.ofSeconds(5)).release();
                // b's wake-up channel: the one that appeared with b and c, minus c's (read from c's queue entry)
                assertThat(pubsubChannels(redis)).hasSize(before.size() + 2);
                Lease held = a.lock("ended").acquire(Duration.ofSeconds(5));
                CompletableFuture<Lease> live = c.lock("ended", PATIENT).acquireAsync(Duration.ofSeconds(50));
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> (Long) redis.command("ZCARD", "{ended}:waiters") == 1L);
                String cChannel = ((String) ((List<?>) redis.command("ZRANGE", "{ended}:waiters", "0", "0")).get(0))
                        .split(" ")[0];
                String bChannel = pubsubChannels(redis).stream().map(String::valueOf)
                        .filter(ch -> !before.contains(ch) && !ch.equals(cChannel)).findFirst().orElseThrow();
                // a queue entry of b whose wait has ended (its leave did not reach Redis), ahead of c
                redis.command("ZADD", "{ended}:waiters", "1", bChannel + " ended-wait-token 30000");

                assertThat(held.release()).isTrue();

                // b is alive, so the release hands the lock to the ended wait; b passes it on to c at once
                // (c never retries on its own within this test: without the hand-back it would wait out the
                // 30 s lease)
                Lease got = live.get(TestTimeouts.scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
                assertThat(redis.command("GET", "ended")).isEqualTo(got.token());
                got.close();
            }
        }
    }

    private static List<Object> pubsubChannels(RedisServer redis) {
        @SuppressWarnings("unchecked")
        List<Object> channels = (List<Object>) redis.command("PUBSUB", "CHANNELS", "redislock:wake:*");
        return channels;
    }

    @Test
    void aQueuedWaiterWhoseProcessIsGoneIsSkipped(RedisServer redis) throws Exception {
        try (LockClient a = LockClient.create(redis.uri());
                LockClient b = LockClient.create(redis.uri())) {
            Lease held = a.lock("skip").acquire(Duration.ofSeconds(5));
            // a waiter registered by a process that died: nobody listens on its channel
            redis.command("ZADD", "{skip}:waiters", "1", "redislock:wake:dead0000 ghost-token 30000");
            CompletableFuture<Lease> live = b.lock("skip", PATIENT).acquireAsync(Duration.ofSeconds(50));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> (Long) redis.command("ZCARD", "{skip}:waiters") == 2L);
            assertThat(held.release()).isTrue();
            Lease got = live.get(TestTimeouts.scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(redis.command("GET", "skip")).isEqualTo(got.token());
            got.close();
            assertThat(redis.command("EXISTS", "skip")).isEqualTo(0L);
        }
    }

    @Test
    void aWaiterThatGivesUpPassesAHandedOverLockOn(RedisServer redis) throws Exception {
        try (LockClient a = LockClient.create(redis.uri());
                LockClient b = LockClient.create(redis.uri());
                LockClient c = LockClient.create(redis.uri())) {
            Lease held = a.lock("pass").acquire(Duration.ofSeconds(5));
            CompletableFuture<Lease> quitter = b.lock("pass", PATIENT).acquireAsync(Duration.ofSeconds(50));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> (Long) redis.command("ZCARD", "{pass}:waiters") == 1L);
            CompletableFuture<Lease> stayer = c.lock("pass", PATIENT).acquireAsync(Duration.ofSeconds(50));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> (Long) redis.command("ZCARD", "{pass}:waiters") == 2L);
            quitter.cancel(true);
            held.release();
            Lease got = stayer.get(TestTimeouts.scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(got.isHeld()).isTrue();
            got.close();
        }
    }

    @Test
    void aForcedReleaseOfALockThatAlreadyExpiredHandsItToTheOldestWaiter(RedisServer redis) throws Exception {
        try (LockClient holder = LockClient.create(redis.uri()); LockClient waiter = LockClient.create(redis.uri())) {
            holder.lock("expired-forced").acquire(Duration.ofSeconds(5));
            CompletableFuture<Lease> waiting = waiter.lock("expired-forced").acquireAsync(Duration.ofSeconds(30));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> redis.command("EXISTS", "{expired-forced}:waiters").equals(1L));
            redis.command("DEL", "expired-forced"); // as if the holder's lease ran out
            assertThat(holder.forceRelease("expired-forced", "")).as("nothing was held").isZero();
            // handed over by the script itself, not by the waiter's next retry
            Object owner = redis.command("GET", "expired-forced");
            try (Lease next = waiting.get(10, TimeUnit.SECONDS)) {
                assertThat(owner).isEqualTo(next.token());
            }
        }
    }

    @Test
    void aWaiterSkippedWhileItsSubscriptionWasDownTriesAgainAsSoonAsItIsBack(RedisServer redis) throws Exception {
        try (LockClient h = LockClient.create(redis.uri()); LockClient w = LockClient.create(redis.uri())) {
            Lease held = h.lock("resubscribed").acquire(Duration.ofSeconds(5));
            CompletableFuture<Lease> waiting = w.lock("resubscribed", PATIENT).acquireAsync(Duration.ofSeconds(50));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> Long.valueOf(1L).equals(redis.command("ZCARD", "{resubscribed}:waiters")));
            Object maxclients = ((List<?>) redis.command("CONFIG", "GET", "maxclients")).get(1);
            try {
                redis.command("CONFIG", "SET", "maxclients", "1"); // no reconnect for now
                redis.command("CLIENT", "KILL", "TYPE", "pubsub");
                // nobody to tell: the release skips the waiter and leaves the lock free
                assertThat(held.release()).isTrue();
                assertThat(redis.command("EXISTS", "resubscribed")).isEqualTo(0L);
                assertThat(redis.command("ZCARD", "{resubscribed}:waiters")).isEqualTo(0L);
            } finally {
                redis.command("CONFIG", "SET", "maxclients", String.valueOf(maxclients));
            }
            // its safety-net retry would come 30-60 s later (PATIENT)
            Lease got = waiting.get(TestTimeouts.scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(got.isHeld()).isTrue();
            got.release();
        }
    }
}
