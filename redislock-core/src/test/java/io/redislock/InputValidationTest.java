package io.redislock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
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
    @ValueSource(strings = {"", " ", "has space", "tab\tname", "new\nline", "{tag}", "brace}", "no\u00a0break",
        "narrow\u202fspace"})
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
    void absurdlyLongDurationsAreRejectedByNameAndHugeWaitsMeanForever() {
        Duration huge = Duration.ofSeconds(Long.MAX_VALUE);
        assertThatThrownBy(() -> LockOptions.builder().lease(huge))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lease")
                .hasMessageContaining("NO_EXPIRY");
        assertThatThrownBy(() -> LockOptions.builder().lease(Duration.ofDays(365 * 1000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease");
        assertThat(LockOptions.builder().lease(Duration.ofDays(365)).build().lease()).isEqualTo(Duration.ofDays(365));
        assertThatThrownBy(() -> LockClientOptions.builder().commandTimeout(huge))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commandTimeout");
        assertThatThrownBy(() -> LockClientOptions.builder().connectTimeout(Duration.ofDays(30)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> LockClientOptions.builder().nodeTimeout(huge))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodeTimeout");
        assertThatThrownBy(() -> RetryPolicy.builder().maxDelay(Duration.ofDays(365 * 1000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelay");
        // a huge wait is accepted (it fails here only because nothing listens on port 1)
        assertThatCode(() -> client.lock("w").acquireAsync(huge).cancel(true)).doesNotThrowAnyException();
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

    @ParameterizedTest
    @ValueSource(strings = {"redis://:pa/ss9WORD@127.0.0.1:1", "redis://:pa@ss9WORD@127.0.0.1:1",
        "redis://u:pa@ss9WORD:x@127.0.0.1:1/0", "redis://:my ss9WORD@127.0.0.1:1", "redis://:ss9WORD@my host:1"})
    void passwordsWithUnencodedSpecialCharactersAreRejectedWithoutEchoingThem(String uri) {
        assertThatThrownBy(() -> LockClientOptions.builder().uris(uri))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("ss9WORD")
                .hasMessageContaining("percent-encode");
    }

    @Test
    void malformedPortsAreRejected() {
        assertThatThrownBy(() -> LockClientOptions.builder().uris("redis://127.0.0.1:abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("127.0.0.1:abc");
        assertThatThrownBy(() -> LockClientOptions.builder().uris("redis://127.0.0.1:70000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> LockClientOptions.builder().uris("redis://127.0.0.1:0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> LockClientOptions.builder().uris("redis://127.0.0.1:"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        // a raw '/' cuts the authority short: the "port" is then part of the password, and the hint says so
        assertThatThrownBy(() -> LockClientOptions.builder().uris("redis://default:S3CR/T@127.0.0.1:7000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("percent-encode")
                .hasMessageNotContaining("S3CR");
        assertThat(io.redislock.internal.Uris.toRedisUri("redis://127.0.0.1:042599").getPort()).isEqualTo(42599);
        // names such as Docker Compose service names, IPv6 literals, databases and query options are fine
        assertThat(LockClientOptions.builder()
                        .uris("redis://redis_master:6379", "redis://[::1]:7000/2", "rediss://cache-1.example.com",
                                "redis://u:p@h1:6380?timeout=5s")
                        .build().uris()).hasSize(4);
        assertThat(io.redislock.internal.Uris.toRedisUri("redis://:pw@redis_master:6380/3").getHost()).isEqualTo("redis_master");
        assertThat(io.redislock.internal.Uris.toRedisUri("redis://:pw@redis_master:6380/3").getPort()).isEqualTo(6380);
        assertThat(io.redislock.internal.Uris.toRedisUri("redis://:pw@redis_master:6380/3").getDatabase()).isEqualTo(3);
        // a URI mistyped without "://" is rejected without showing its password
        for (String uri : new String[] {":Zq7Secret@127.0.0.1:7000", "redis:/:Zq7Secret@h:1", "redis//:Zq7Secret@h:1"}) {
            assertThatThrownBy(() -> LockClientOptions.builder().uris(uri))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("Zq7Secret");
        }
        // percent-encoded passwords are fine, and masked
        assertThat(LockClientOptions.builder().uris("redis://:pa%40ss9WORD@127.0.0.1:7000").build().toString())
                .doesNotContain("ss9WORD");
    }

    @Test
    void theSameServerUnderTwoNamesIsADuplicate() {
        assertThatThrownBy(() -> LockClientOptions.builder()
                        .uris("redis://localhost:7000", "redis://127.0.0.1:7000", "redis://127.0.0.1:7001")
                        .build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> LockClientOptions.builder()
                        .uris("redis://[::1]:7000", "redis://[0:0:0:0:0:0:0:1]:7000", "redis://127.0.0.1:7001")
                        .build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
        assertThat(LockClientOptions.builder()
                        .uris("redis://127.0.0.1:7000", "redis://127.0.0.1:7001", "redis://127.0.0.1:7002")
                        .build().uris()).hasSize(3);
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
