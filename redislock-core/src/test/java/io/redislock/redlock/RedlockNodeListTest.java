package io.redislock.redlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redislock.LockClient;
import io.redislock.LockClientOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The node list of a Redlock client: each independent server once (no server is contacted here). */
@Timeout(10)
class RedlockNodeListTest {
    @Test
    void sameHostAndPortTwiceIsRejectedNamingTheDuplicate() {
        assertThatThrownBy(() -> LockClientOptions.builder()
                        .uris("redis://127.0.0.1:7001", "redis://127.0.0.1:7002", "redis://127.0.0.1:7001")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate")
                .hasMessageContaining("127.0.0.1:7001")
                .hasMessageNotContaining("7002");
    }

    @Test
    void duplicateIsRecognisedThroughDifferentSpellings() {
        assertThatThrownBy(() -> LockClientOptions.builder()
                        .uris("redis://127.0.0.1:7001", "redis://127.0.0.1:7001/0", "redis://127.0.0.1:7003")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("127.0.0.1:7001");
        assertThatThrownBy(() -> LockClientOptions.builder()
                        .uris("redis://Redis-A.example:7001", "redis://redis-a.example:7001", "redis://127.0.0.1:7003")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("7001");
    }

    @Test
    void duplicateCarryingAPasswordIsNamedWithoutThePassword() {
        assertThatThrownBy(() -> LockClientOptions.builder()
                        .uris("redis://127.0.0.1:7001", "redis://127.0.0.1:7002", "redis://:s3cret-pw@127.0.0.1:7001")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("127.0.0.1:7001")
                .hasMessageNotContaining("s3cret-pw");
    }

    @Test
    void clientFactoryRejectsDuplicatesBeforeConnecting() {
        assertThatThrownBy(() -> LockClient.create("redis://127.0.0.1:7001", "redis://127.0.0.1:7001", "redis://127.0.0.1:7002"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("127.0.0.1:7001");
    }

    @Test
    void distinctNodesInAnyCountAreAccepted() {
        for (int n = 1; n <= 6; n++) {
            String[] uris = new String[n];
            for (int i = 0; i < n; i++) {
                uris[i] = "redis://127.0.0.1:" + (7001 + i);
            }
            assertThat(LockClientOptions.builder().uris(uris).build().uris()).hasSize(n);
        }
    }

    @Test
    void twoDatabasesOfOneServerAreOneNode() {
        assertThatThrownBy(() -> LockClientOptions.builder()
                        .uris("redis://127.0.0.1:7001/0", "redis://127.0.0.1:7001/1", "redis://127.0.0.1:7002")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("127.0.0.1:7001");
    }
}
