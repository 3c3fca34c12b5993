package io.redislock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redislock.testing.RedisServer;
import io.redislock.testing.TestTimeouts;
import io.redislock.testing.WithRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One Redis that loses writes (restarted from an older snapshot, or failed over to a replica that missed
 * them): a holder whose key was lost and later set to its token again is told, not left believing it held
 * the lock throughout.
 */
@WithRedis
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SnapshotRestoreIT {

    @Test
    void aHolderWhoseLockAStaleQueueEntryGotBackAfterARestoreFromAnOlderSnapshotIsToldItLostIt(RedisServer redis)
            throws Exception {
        try (LockClient h = LockClient.create(redis.uri());
                LockClient w = LockClient.create(redis.uri())) {
            String name = "snapshot";
            Lease first = h.lock(name, LockOptions.builder().lease(Duration.ofSeconds(1)).build())
                    .acquire(Duration.ofSeconds(5));
            CompletableFuture<Lease> waiting = w.lock(name).acquireAsync(TestTimeouts.scaled(Duration.ofSeconds(20)));
            Awaitility.await().atMost(TestTimeouts.scaled(Duration.ofSeconds(10)))
                    .until(() -> Long.valueOf(1L).equals(redis.command("ZCARD", "{" + name + "}:waiters")));
            redis.command("SAVE"); // holds the first holder's key (1 s lease) and the waiter's queue entry
            Path snapshot = redis.dir().resolve("dump.rdb");
            Path old = redis.dir().resolve("old.rdb");
            Files.copy(snapshot, old, StandardCopyOption.REPLACE_EXISTING);
            first.release(); // hands the lock to the waiter
            Lease lease = waiting.get(10, TimeUnit.SECONDS);
            String channel = (String) ((List<?>) redis.command("PUBSUB", "CHANNELS", "redislock:wake:*")).stream()
                    .filter(c -> !c.toString().isEmpty()).findFirst().orElseThrow();
            Thread.sleep(1_200); // the snapshot's copy of the first holder's key expires
            redis.kill();
            Files.copy(old, snapshot, StandardCopyOption.REPLACE_EXISTING);
            redis.restart(); // loads the older snapshot: the waiter is queued again and the lock is free
            assertThat(redis.command("EXISTS", name)).isEqualTo(0L);
            try (LockClient x = LockClient.create(redis.uri())) { // another process, connected after the restart
                Lease other = x.lock(name).tryAcquire().orElseThrow();
                assertThat(other.fencingToken()).isGreaterThan(lease.fencingToken());
                Awaitility.await().atMost(TestTimeouts.scaled(Duration.ofSeconds(20))).until(() -> List.of(1L).equals(
                        ((List<?>) redis.command("PUBSUB", "NUMSUB", channel)).subList(1, 2)));
                other.release(); // hands the lock to the stale queue entry: the key holds the waiter's token again
            }
            LeaseLostEvent ev = lease.lost().get(10, TimeUnit.SECONDS);
            assertThat(ev.reason()).isEqualTo(LeaseLostEvent.Reason.NOT_OWNER);
            assertThat(ev.detail()).contains("granted again");
            assertThat(lease.isHeld()).isFalse();
            assertThat(lease.release()).isFalse();
            Awaitility.await().atMost(TestTimeouts.scaled(Duration.ofSeconds(10)))
                    .untilAsserted(() -> assertThat(redis.command("EXISTS", name)).as("passed on").isEqualTo(0L));
        }
    }

    @Test
    void aRenewalOfAKeyThatHoldsThisTokenAgainAfterANewerGrantReportsTheLeaseLost(RedisServer redis)
            throws Exception {
        try (LockClient c = LockClient.create(redis.uri())) {
            Lease lease = c.lock("regranted").acquire(Duration.ofSeconds(5));
            // as after a lost key, another owner's grant, and a hand-off back to a stale queue entry of this token
            redis.command("SET", "{regranted}:fence", Long.toString(lease.fencingToken() + 10));
            assertThatThrownBy(() -> lease.extend(Duration.ofSeconds(30))).isInstanceOf(LockLostException.class);
            LeaseLostEvent ev = lease.lost().get(10, TimeUnit.SECONDS);
            assertThat(ev.reason()).isEqualTo(LeaseLostEvent.Reason.NOT_OWNER);
            assertThat(ev.detail()).contains("granted again").contains("older snapshot");
            assertThat(lease.isHeld()).isFalse();
        }
    }

    @Test
    void aRenewalWhoseFencingCounterIsMissingStillSucceeds(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(redis.uri())) {
            Lease lease = c.lock("no-counter").acquire(Duration.ofSeconds(5));
            redis.command("DEL", "{no-counter}:fence"); // e.g. evicted: proves nothing about the lock key
            lease.extend(Duration.ofSeconds(30));
            assertThat(lease.isHeld()).isTrue();
            assertThat(lease.release()).isTrue();
        }
    }
}
