package io.redislock.redlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.redislock.Lease;
import io.redislock.LockClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Four nodes: allowed, with a logged warning; the majority is three. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedlockEvenNodeCountIT extends RedlockTestSupport {
    @Override
    int nodeCount() {
        return 4;
    }

    @Test
    void fourNodesWorkWithAMajorityOfThreeAndAWarning() throws Exception {
        LockClient a;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            a = connectedClient();
        } finally {
            System.setErr(stderr);
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("WARN").contains("4 Redis nodes").contains("even");
        LockClient b = connectedClient();
        assertThat(a.nodeCount()).isEqualTo(4);
        assertThat(a.quorum()).isEqualTo(3);

        Lease first = a.lock("even").acquire(Duration.ofSeconds(5));
        assertThat(nodesHolding("even", first.token())).isGreaterThanOrEqualTo(3);
        assertThat(a.status("even", "").held()).isTrue();
        assertNoLeaseFor(b);
        assertThat(first.release()).isTrue();

        servers.get(3).kill();
        Lease second = b.lock("even").acquire(Duration.ofSeconds(5));
        assertThat(nodesHolding("even", second.token())).isEqualTo(3);
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        assertThat(second.release()).isTrue();

        servers.get(2).kill();
        Throwable t = catchThrowable(() -> a.lock("even").tryAcquire());
        assertThat(t).isInstanceOf(QuorumNotReachedException.class);
        assertThat(((QuorumNotReachedException) t).nodes()).isEqualTo(4);
        assertThat(t).hasMessageContaining("of 4 Redis nodes answered, a majority needs 3");
    }

    /** Another client gets no lease (how the refusal is reported is the next test's concern). */
    private static void assertNoLeaseFor(LockClient other) {
        AtomicReference<Optional<Lease>> got = new AtomicReference<>(Optional.empty());
        Throwable t = catchThrowable(() -> got.set(other.lock("even").tryAcquire()));
        assertThat(got.get()).isEmpty();
        if (t != null) {
            assertThat(t).isInstanceOf(QuorumNotReachedException.class);
        }
    }

    @Test
    void refusalByFourHealthyNodesIsReportedAsHeld() throws Exception {
        LockClient a = connectedClient();
        LockClient b = connectedClient();
        try (Lease held = a.lock("even-held").acquire(Duration.ofSeconds(5))) {
            for (int i = 0; i < 20; i++) {
                assertThat(b.lock("even-held").tryAcquire()).as("try #%d", i).isEmpty();
            }
            assertThat(held.isHeld()).isTrue();
        }
    }
}
