package io.redislock;

import static org.assertj.core.api.Assertions.assertThat;

import io.redislock.testing.RedisServer;
import io.redislock.testing.WithRedis;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@WithRedis
class SmokeIT {
    @Test
    void acquireAndRelease(RedisServer redis) throws Exception {
        try (LockClient client = LockClient.create(redis.uri())) {
            DistributedLock lock = client.lock("smoke");
            Lease l = lock.acquire(Duration.ofSeconds(2));
            assertThat(l.isHeld()).isTrue();
            assertThat(redis.command("GET", "smoke")).isEqualTo(l.token());
            assertThat(lock.tryAcquire()).isEmpty();
            assertThat(l.release()).isTrue();
            assertThat(redis.command("EXISTS", "smoke")).isEqualTo(0L);
            System.out.println("fence=" + l.fencingToken() + " token=" + l.token());
        }
    }
}
