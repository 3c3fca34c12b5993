package io.redislock.redlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redislock.LockClient;
import io.redislock.LockClientOptions;
import io.redislock.testing.RedisServer;
import io.redislock.testing.RedisServers;
import io.redislock.testing.TestTimeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared set-up of the Redlock fault tests: {@link #nodeCount()} real redis-servers started before each
 * test; after it, every client is closed, paused nodes are resumed, every running node is checked to hold
 * nothing but fencing counters (no lock key, waiter queue or hand-off reservation left behind), and every
 * process is stopped.
 */
abstract class RedlockTestSupport {
    /** The value tests put on a node to make it refuse a grant ("held by another owner"). */
    static final String FOREIGN = "foreign-owner";
    /** Waiters that never retry on their own within a test: only a release message can wake them in time. */
    static final io.redislock.LockOptions PATIENT = io.redislock.LockOptions.builder()
            .retry(io.redislock.RetryPolicy.builder().initialDelay(Duration.ofSeconds(60))
                    .maxDelay(Duration.ofSeconds(60)).build())
            .build();

    protected RedisServers servers;
    private final List<LockClient> clients = new CopyOnWriteArrayList<>();
    private final List<RedisServer> extras = new CopyOnWriteArrayList<>();

    /** @return how many Redlock nodes each test gets */
    int nodeCount() {
        return 5;
    }

    @BeforeEach
    void startNodes() {
        servers = RedisServers.start(nodeCount());
    }

    @AfterEach
    void stopEverything() {
        try {
            for (LockClient c : clients) {
                c.close();
            }
            for (RedisServer s : servers.all()) {
                s.resume();
            }
            await().atMost(scaled(Duration.ofSeconds(5)))
                    .pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertThat(strayKeys()).as("keys other than fencing counters").isEmpty());
        } finally {
            servers.close();
            for (RedisServer s : extras) {
                s.stop();
            }
        }
    }

    private List<String> strayKeys() {
        List<String> stray = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            RedisServer s = servers.get(i);
            if (!s.isRunning()) {
                continue;
            }
            for (String k : s.scanKeys("*")) {
                if (!k.endsWith(":fence")) {
                    stray.add("node " + i + ": " + k);
                }
            }
        }
        return stray;
    }

    /**
     * Waits until node {@code i} holds nothing but fencing counters. After a hung node resumes, the releases
     * queued behind its late grants are sent only once those grants are answered; closing the client before
     * that would leave the grants until their lease ends.
     */
    void awaitOnlyCountersOn(int i) {
        await().atMost(scaled(Duration.ofSeconds(3)))
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(servers.get(i).scanKeys("*"))
                        .as("keys on node %d", i)
                        .allMatch(k -> k.endsWith(":fence")));
    }

    /** A client over all nodes with default options; closed after the test. */
    LockClient client() {
        return client(b -> b);
    }

    /** A client over all nodes with options adjusted by {@code custom}; closed after the test. */
    LockClient client(UnaryOperator<LockClientOptions.Builder> custom) {
        LockClient c = LockClient.create(custom.apply(LockClientOptions.builder().uris(servers.uris())).build());
        clients.add(c);
        return c;
    }

    /**
     * A client whose command connection to every node is established (a status read went to all of them),
     * so that later faults meet an existing connection.
     */
    LockClient connectedClient() {
        return connectedClient(b -> b);
    }

    /** As {@link #connectedClient()}, with options adjusted by {@code custom}. */
    LockClient connectedClient(UnaryOperator<LockClientOptions.Builder> custom) {
        LockClient c = client(custom);
        assertThat(c.status("warm-up", "").nodesAnswered()).isEqualTo(servers.size());
        return c;
    }

    /** A separate redis-server (not a lock node), e.g. the protected resource; stopped after the test. */
    RedisServer extraServer() {
        RedisServer s = RedisServer.start();
        extras.add(s);
        return s;
    }

    /** How many running, not paused nodes store {@code token} under {@code key}. */
    int nodesHolding(String key, String token) {
        int n = 0;
        for (RedisServer s : servers.all()) {
            if (s.isRunning() && !s.isPaused() && token.equals(s.command("GET", key))) {
                n++;
            }
        }
        return n;
    }

    /** Makes node {@code i} refuse grants of {@code key}: another owner's token with a 60 s expiry. */
    void block(int i, String key) {
        assertThat(servers.get(i).command("SET", key, FOREIGN, "PX", "60000")).isEqualTo("OK");
    }

    /** {@link #block}s nodes 0 to {@code count - 1}. */
    void blockFirst(int count, String key) {
        for (int i = 0; i < count; i++) {
            block(i, key);
        }
    }

    /** Removes the foreign token {@link #block} put on node {@code i}. */
    void unblock(int i, String key) {
        servers.get(i).command("DEL", key);
    }

    /** The text of one of redislock's Lua scripts ({@code acquire}, {@code release}, ...), for script-level steps. */
    static String script(String name) throws java.io.IOException {
        try (java.io.InputStream in = RedlockTestSupport.class.getResourceAsStream(
                "/io/redislock/internal/scripts/" + name + ".lua")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The fencing-counter key of a lock name without prefix. */
    static String fenceKey(String name) {
        return "{" + name + "}:fence";
    }

    static Duration scaled(Duration d) {
        return TestTimeouts.scaled(d);
    }

    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    static void assertStrictlyIncreasing(List<Long> fences) {
        for (int i = 1; i < fences.size(); i++) {
            assertThat(fences.get(i))
                    .as("fencing token #%d after %d", i, fences.get(i - 1))
                    .isGreaterThan(fences.get(i - 1));
        }
    }
}
