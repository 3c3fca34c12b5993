package io.redislock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.redislock.testing.RedisServer;
import io.redislock.testing.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A closed client leaves nothing running behind: no thread of its own, no lease key, no waiter entry. */
@WithRedis
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientLifecycleIT {

    @Test
    void closeStopsEveryThreadTheClientStartedAndReleasesItsLeases(RedisServer redis) throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        LockClient client = LockClient.create(redis.uri());
        Lease held = client.lock("lifecycle-held").acquire(Duration.ofSeconds(5));
        client.lock("lifecycle-other").acquireAsync(Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS).release();
        assertThat(held.isHeld()).isTrue();
        assertThat(newThreads(before)).isNotEmpty();

        client.close();

        assertThat(held.isHeld()).isFalse();
        assertThat(redis.command("EXISTS", "lifecycle-held")).isEqualTo(0L);
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(newThreads(before)).isEmpty());
    }

    @Test
    void closingAClientThatHoldsALockAndWaitsForItToo(RedisServer redis) throws Exception {
        // the close's release must not hand the lock to the client's own wait and leave it there for a lease
        for (int round = 0; round < 8; round++) {
            LockClient client = LockClient.create(redis.uri());
            client.lock("lifecycle-self").acquire(Duration.ofSeconds(5));
            CompletableFuture<Lease> waiting = client.lock("lifecycle-self").acquireAsync(Duration.ofSeconds(30));
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> Long.valueOf(1L).equals(redis.command("ZCARD", "{lifecycle-self}:waiters")));

            client.close();

            assertThat(waiting).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(IllegalStateException.class);
            assertThat(redis.command("EXISTS", "lifecycle-self")).as("round %d", round).isEqualTo(0L);
        }
    }

    @Test
    void closingAClientBuiltOnAnApplicationsLettuceClientLeavesThatClientUsable(RedisServer redis) throws Exception {
        RedisClient lettuce = RedisClient.create();
        try {
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            LockClient client = LockClient.create(lettuce, RedisURI.create(redis.uri()));
            client.lock("lifecycle-wrapped").acquire(Duration.ofSeconds(5)).release();
            client.close();
            // the application's client still works, and only its own (Lettuce) threads remain
            try (var conn = lettuce.connect(RedisURI.create(redis.uri()))) {
                assertThat(conn.sync().ping()).isEqualTo("PONG");
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertThat(newThreads(before))
                            .allSatisfy(name -> assertThat(name).doesNotStartWith("redislock-")));
            // only the fencing counter stays, by design: it must never go backwards
            assertThat(redis.command("KEYS", "*lifecycle*")).isEqualTo(List.of("{lifecycle-wrapped}:fence"));
        } finally {
            lettuce.shutdown();
        }
    }

    @Test
    void aClientClosedWhileItIsStillConnectingLeavesNoConnectionOfAnApplicationsLettuceClientOpen(
            RedisServer redis) throws Exception {
        // a connect that succeeded while the script loading of its handshake was cut short by the close was kept
        // open: only the shutdown of a client of our own closed it, an application's client kept it for ever
        RedisClient lettuce = RedisClient.create();
        try {
            for (int round = 0; round < 60; round++) {
                LockClient client = LockClient.create(lettuce, RedisURI.create(redis.uri()));
                if (round % 2 == 1) {
                    client.lock("lifecycle-early").tryAcquireAsync();
                }
                // closes at different points of the handshake: 0 to 3 ms after the connect began
                java.util.concurrent.locks.LockSupport.parkNanos(round * 50_000L);
                client.close();
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertThat(otherClients(redis)).isEmpty());
        } finally {
            lettuce.shutdown();
        }
    }

    /** The server's client connections, one line each, except the one asking. */
    private static List<String> otherClients(RedisServer redis) {
        return ((String) redis.command("CLIENT", "LIST")).lines()
                .filter(line -> !line.contains("cmd=client")).collect(Collectors.toList());
    }

    /** Names of live threads that did not exist in {@code before}. */
    private static List<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .map(Thread::getName)
                // JVM-wide helpers that outlive any one library (the JDK's shared orTimeout scheduler, pools of the test)
                .filter(n -> !n.startsWith("ForkJoinPool") && !n.startsWith("awaitility")
                        && !n.equals("CompletableFutureDelayScheduler"))
                .sorted()
                .collect(Collectors.toList());
    }

    @Test
    void callsAfterCloseEndAtOnceWithAResultOrATypedFailure(RedisServer redis) throws Exception {
        LockClient c = LockClient.create(redis.uri());
        Lease held = c.lock("after-close").acquire(Duration.ofSeconds(5));
        c.close();
        assertThat(held.releaseAsync().get(5, TimeUnit.SECONDS)).as("the close released it").isTrue();
        assertThat(held.extendAsync(Duration.ofSeconds(5))).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(LockLostException.class);
        assertThatThrownBy(() -> c.status("after-close", "")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> c.listAsync("*", "")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.forceRelease("after-close", "")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anApplicationCallbackExecutorShutDownFirstDoesNotStrandResults(RedisServer redis) throws Exception {
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (LockClient c = LockClient.create(LockClientOptions.builder().uris(redis.uri()).callbackExecutor(ex)
                .build())) {
            Lease held = c.lock("executor-gone").acquire(Duration.ofSeconds(5));
            ex.shutdown();
            assertThat(held.releaseAsync().get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(c.statusAsync("executor-gone", "").get(5, TimeUnit.SECONDS).held()).isFalse();
        }
    }
}
