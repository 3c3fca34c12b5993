package io.redislock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input is rejected with an IllegalArgumentException that names the argument; no Redis needed. */
class InputValidationTest {
    private static LockClient client;

    @BeforeAll
    static void create() {
        // nothing listens there: creating a client never blocks on Redis
        client = LockClient.create("redis://127.0.0.1:1");
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "has space", "tab\tname", "new\nline", "{tag}", "brace}"})
    void badNamesAreRejected(String name) {
        assertThatThrownBy(() -> client.lock(name)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    }

    @Test
    void nullAndOverlongNamesAreRejected() {
        assertThatThrownBy(() -> client.lock(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> client.lock("x".repeat(513)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name")
                .hasMessageContaining("512");
        assertThat(client.lock("x".repeat(512)).name()).hasSize(512);
        assertThat(client.lock("orders:eu-1/job@7").name()).isEqualTo("orders:eu-1/job@7");
    }

    @Test
    void leasesAreCheckedAndTooShortForRenewalIsNamed() {
        assertThatThrownBy(() -> LockOptions.builder().lease(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease");
        assertThatThrownBy(() -> LockOptions.builder().lease(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease");
        assertThatThrownBy(() -> LockOptions.builder().lease(Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease");
        assertThatThrownBy(() -> LockOptions.builder().lease(Duration.ofMillis(50)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too short for auto-renewal");
        assertThat(LockOptions.builder().lease(Duration.ofMillis(50)).autoRenew(false).build().lease())
                .isEqualTo(Duration.ofMillis(50));
        assertThatThrownBy(() -> LockOptions.builder().lease(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("lease");
    }

    @Test
    void waitsMustBePositive() {
        DistributedLock lock = client.lock("w");
        assertThatThrownBy(() -> lock.acquire(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wait");
        assertThatThrownBy(() -> lock.acquire(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wait");
        assertThatThrownBy(() -> lock.acquireAsync(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wait");
    }

    @Test
    void keyPrefixesAreChecked() {
        assertThatThrownBy(() -> LockOptions.builder().keyPrefix("a b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyPrefix");
        assertThatThrownBy(() -> LockOptions.builder().keyPrefix("x".repeat(129)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyPrefix");
        assertThat(LockOptions.builder().keyPrefix("locks:").build().keyPrefix()).isEqualTo("locks:");
    }

    @Test
    void urisAreCheckedWithoutEchoingPasswords() {
        assertThatThrownBy(() -> LockClientOptions.builder().uris("http://:hunter2@host:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("hunter2")
                .hasMessageContaining("redis://");
        assertThatThrownBy(() -> LockClientOptions.builder().uris(""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LockClientOptions.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("URI");
        assertThatThrownBy(() -> LockClientOptions.builder().uris("redis://:hunter2@127.0.0.1:7000", "redis://127.0.0.1:7000").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate")
                .hasMessageNotContaining("hunter2");
        assertThat(LockClientOptions.builder().uris("redis://:hunter2@127.0.0.1:7000").build().toString())
                .doesNotContain("hunter2");
    }

    @Test
    void clientOptionsRejectBadTimeouts() {
        assertThatThrownBy(() -> LockClientOptions.builder().commandTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commandTimeout");
        assertThatThrownBy(() -> LockClientOptions.builder().nodeTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodeTimeout");
        assertThatThrownBy(() -> LockClientOptions.builder().driftFactor(0.7))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("driftFactor");
    }

    @Test
    void closedClientRefusesNewLocks() {
        LockClient c = LockClient.create("redis://127.0.0.1:1");
        c.close();
        c.close();
        assertThatThrownBy(() -> c.lock("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
