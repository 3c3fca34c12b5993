package io.redislock.redlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.redislock.DistributedLock;
import io.redislock.Lease;
import io.redislock.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fencing tokens under Redlock over chosen majorities. Each node increments its own counter when it
 * grants; the maximum over the granting majority alone can repeat, so the engine writes it back to a
 * majority before handing the lease out.
 *
 * <p>The counters are first set to one equal value F far above the servers' clock in microseconds, so that
 * no floor at the server clock (acquire.lua applies one to a missing counter) can make the tokens grow with
 * time whatever the majorities are, and hide a repeat.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedlockFencingIT extends RedlockTestSupport {
    private static final String A_B_C = "fence-sequence";

    @Test
    void tokensStrictlyIncreaseOverTheMajoritiesAbcThenCdeThenAbd() throws Exception {
        // Nodes A..E are 0..4. Without the write-back:
        //   grant on {A,B,C}: A=B=C=F+1, D=E=F            -> token max(A,B,C)     = F+1
        //   grant on {C,D,E}: C=F+2, D=E=F+1              -> token max(C,D,E)     = F+2
        //   grant on {A,B,D}: A=B=F+2, D=F+2              -> token max(A,B,D)     = F+2, a repeat.
        // With it, F+2 reaches a majority after the second grant ({C} and at least two of A,B,D,E); {A,B,D}
        // meets that majority, so one of its counters goes to F+3.
        long f = setEqualCountersInTheFuture(A_B_C);
        DistributedLock lock = connectedClient().lock(A_B_C);
        long t1 = grantOn(lock, A_B_C, 0, 1, 2);
        long t2 = grantOn(lock, A_B_C, 2, 3, 4);
        assertThat(nodesWithCounterAtLeast(A_B_C, t2)).as("nodes whose counter is at least the 2nd token").isGreaterThanOrEqualTo(3);
        long t3 = grantOn(lock, A_B_C, 0, 1, 3);
        assertThat(t1).isEqualTo(f + 1);
        assertThat(t2).isEqualTo(f + 2);
        assertThat(t3).as("the naive maximum over {A,B,D} would be %d again", f + 2).isEqualTo(f + 3);
        assertStrictlyIncreasing(List.of(t1, t2, t3));
    }

    @Test
    void tokensStrictlyIncreaseOverRandomMajorities() throws Exception {
        String name = "fence-random";
        setEqualCountersInTheFuture(name);
        DistributedLock lock = connectedClient().lock(name);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<Long> fences = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            Set<Integer> majority = new TreeSet<>();
            while (majority.size() < 3) {
                majority.add(random.nextInt(5));
            }
            fences.add(grantOn(lock, name, majority.stream().mapToInt(Integer::intValue).toArray()));
        }
        assertThat(fences).as("seed %d", seed).doesNotHaveDuplicates();
        assertStrictlyIncreasing(fences);
    }

    @Test
    void aShareHandedOverBeforeAnotherOwnersWriteBackStillGetsALargerToken() throws Exception {
        // A release hands nodes D and E to a queued waiter W, which needs a third vote. Meanwhile another
        // owner's token B reaches a majority {C,D,E} (its write-back). Then A hands over too, and W confirms
        // on {A,D,E}: a token read back from D and E would be B again; drawn afresh it is larger.
        String name = "fence-handover";
        long f = setEqualCountersInTheFuture(name);
        for (int i = 0; i < servers.size(); i++) {
            block(i, name);
        }
        io.redislock.LockOptions patient = io.redislock.LockOptions.builder()
                .retry(io.redislock.RetryPolicy.builder()
                        .initialDelay(java.time.Duration.ofSeconds(60)).maxDelay(java.time.Duration.ofSeconds(60)).build())
                .build();
        java.util.concurrent.CompletableFuture<Lease> w =
                connectedClient().lock(name, patient).acquireAsync(java.time.Duration.ofSeconds(50));
        org.awaitility.Awaitility.await().atMost(scaled(java.time.Duration.ofSeconds(10))).until(() -> {
            for (RedisServer s : servers.all()) {
                if (!Long.valueOf(1L).equals(s.command("ZCARD", "{" + name + "}:waiters"))) {
                    return false;
                }
            }
            return true;
        });
        handOver(3, name);
        handOver(4, name);
        long b = f + 50;
        for (int i = 2; i <= 4; i++) {
            servers.get(i).command("SET", fenceKey(name), Long.toString(b));
        }
        handOver(0, name);
        Lease lease = w.get(scaled(java.time.Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
        assertThat(lease.fencingToken()).as("token after %d reached a majority", b).isGreaterThan(b);
        assertThat(lease.release()).isTrue();
        unblock(1, name);
        unblock(2, name);
    }

    /** The foreign holder on node {@code i} releases with redislock's script, handing the lock to the waiter. */
    private void handOver(int i, String name) throws java.io.IOException {
        String script = script("release");
        assertThat(servers.get(i).command("EVAL", script, "3", name, fenceKey(name), "{" + name + "}:waiters",
                FOREIGN, "", "1", "0", "0")).isEqualTo(1L);
        assertThat(servers.get(i).command("GET", name)).as("node %d handed over", i).isNotEqualTo(FOREIGN);
    }

    /** Sets the fencing counter of {@code name} on every node to now (server µs) + 10^12; returns it. */
    private long setEqualCountersInTheFuture(String name) {
        List<?> time = (List<?>) servers.get(0).command("TIME");
        long nowMicros = Long.parseLong((String) time.get(0)) * 1_000_000L + Long.parseLong((String) time.get(1));
        long f = nowMicros + 1_000_000_000_000L;
        for (RedisServer s : servers.all()) {
            s.command("SET", fenceKey(name), Long.toString(f));
        }
        return f;
    }

    /** A no-wait grant that only the given nodes can give (the others hold a foreign token); released. */
    private long grantOn(DistributedLock lock, String name, int... granting) {
        Set<Integer> yes = new TreeSet<>();
        for (int i : granting) {
            yes.add(i);
        }
        for (int i = 0; i < servers.size(); i++) {
            if (!yes.contains(i)) {
                block(i, name);
            }
        }
        try {
            Lease lease = lock.tryAcquire().orElseThrow();
            for (int i = 0; i < servers.size(); i++) {
                assertThat(servers.get(i).command("GET", name))
                        .as("lock key on node %d, majority %s", i, yes)
                        .isEqualTo(yes.contains(i) ? lease.token() : FOREIGN);
            }
            long token = lease.fencingToken();
            assertThat(lease.release()).isTrue();
            return token;
        } finally {
            for (int i = 0; i < servers.size(); i++) {
                if (!yes.contains(i)) {
                    unblock(i, name);
                }
            }
        }
    }

    private int nodesWithCounterAtLeast(String name, long value) {
        int n = 0;
        for (RedisServer s : servers.all()) {
            Object v = s.command("GET", fenceKey(name));
            if (v != null && Long.parseLong((String) v) >= value) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aWriteBackForALockWithoutExpiryLeavesNoEternalCounterWhereTheHolderHasNoShare() throws Exception {
        String name = "fence-noexpiry";
        // node 0 alone has the highest counter, so the grant's token is written back to the other nodes;
        // nodes 3 and 4 hold another owner's share with an expiry (a minority left over)
        servers.get(0).command("SET", fenceKey(name), "5000000000000000");
        block(3, name);
        block(4, name);
        DistributedLock lock = connectedClient().lock(name,
                io.redislock.LockOptions.builder().mode(io.redislock.AcquireMode.NO_EXPIRY).build());
        Lease lease = lock.acquire(java.time.Duration.ofSeconds(5));
        assertThat(lease.fencingToken()).isGreaterThan(5_000_000_000_000_000L);
        for (int i = 0; i < 3; i++) {
            assertThat((Long) servers.get(i).command("PTTL", fenceKey(name))).as("node %d holds the lock", i)
                    .isEqualTo(-1L);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> {
            for (int i = 3; i < 5; i++) {
                assertThat(servers.get(i).command("GET", fenceKey(name)))
                        .as("node %d took the write-back", i).isNotNull();
            }
        });
        for (int i = 3; i < 5; i++) {
            assertThat((Long) servers.get(i).command("PTTL", fenceKey(name)))
                    .as("node %d: no share of this lock, so no release will give its counter an expiry back", i)
                    .isGreaterThan(60_000L);
        }
        lease.release();
        unblock(3, name);
        unblock(4, name);
    }
}
