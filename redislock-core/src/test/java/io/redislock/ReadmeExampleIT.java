package io.redislock;

import static org.assertj.core.api.Assertions.assertThat;

import io.redislock.testing.RedisServer;
import io.redislock.testing.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's quick start and options snippets, compiled and run as written (bar the URI). */
@WithRedis
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadmeExampleIT {
    private final List<Long> written = new ArrayList<>();

    @Test
    void quickStartRunsAsWritten(RedisServer redis) throws Exception {
        try (LockClient client = LockClient.create(redis.uri())) {                     // one per application
            DistributedLock lock = client.lock("orders");                             // a cheap handle
            try (Lease lease = lock.acquire(Duration.ofSeconds(10))) {                // waits up to 10 s
                lease.onLost(e -> System.err.println("lost " + e.name() + ": " + e.detail()));
                write("order-1", lease.fencingToken());                              // fence your writes
            }                                                                         // released here
        }
        assertThat(written).hasSize(1);
    }

    @Test
    void optionsSnippetBuilds(RedisServer redis) throws Exception {
        LockOptions opts = LockOptions.builder()
                .lease(Duration.ofSeconds(30))
                .autoRenew(true)
                .keyPrefix("locks:")
                .retry(RetryPolicy.builder().initialDelay(Duration.ofMillis(10)).maxDelay(Duration.ofSeconds(1)).build())
                .build();
        LockClientOptions clientOpts = LockClientOptions.builder()
                .uris(redis.uri())
                .commandTimeout(Duration.ofSeconds(2))
                .password(System.getenv("REDISLOCK_PASSWORD"))
                .build();
        try (LockClient client = LockClient.create(clientOpts);
                Lease lease = client.lock("orders", opts).acquire(Duration.ofSeconds(5))) {
            assertThat(redis.command("GET", "locks:orders")).isEqualTo(lease.token());
        }
    }

    private void write(String order, long fencingToken) {
        written.add(fencingToken);
    }
}
