package io.redislock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redislock.testing.RedisServer;
import io.redislock.testing.TestTimeouts;
import io.redislock.testing.WithRedis;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Redis that answers but refuses (a read-only replica, an ACL, a renamed command): the caller is told
 * Redis's own error reply, not that Redis did not answer, and nothing held is hidden.
 */
@WithRedis
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RefusingRedisIT {

    @Test
    void aLeaseLostBecauseRedisRefusedItsRenewalsSaysWhatRedisReplied(RedisServer redis) throws Exception {
        try (LockClient client = LockClient.create(redis.uri())) {
            Lease lease = client.lock("demoted", LockOptions.builder().lease(Duration.ofSeconds(1)).build())
                    .acquire(Duration.ofSeconds(5));
            demote(redis); // the key stays, but every write is refused: READONLY
            LeaseLostEvent lost = lease.lost().get(TestTimeouts.scaled(Duration.ofSeconds(10)).toMillis(),
                    TimeUnit.MILLISECONDS);
            assertThat(lost.reason()).isEqualTo(LeaseLostEvent.Reason.RENEWAL_FAILED);
            assertThat(lost.detail()).contains("Redis replied with an error: READONLY").doesNotContain("unreachable");
        }
    }

    @Test
    void aReleaseRedisRefusesSaysWhatRedisReplied(RedisServer redis) throws Exception {
        try (LockClient client = LockClient.create(redis.uri())) {
            Lease lease = client.lock("demoted-release").acquire(Duration.ofSeconds(5));
            demote(redis);
            assertThatThrownBy(lease::release).isInstanceOf(LockUnavailableException.class)
                    .hasMessageContaining("could not release lock 'demoted-release': Redis replied with an error: "
                            + "READONLY")
                    .hasMessageNotContaining("did not answer");
        }
    }

    @Test
    void listFailsWithTheReplyWhenTheAclHidesAHeldLockInsteadOfLeavingItOut(RedisServer redis) throws Exception {
        redis.command("ACL", "SETUSER", "lister", "on", ">pw", "~other:*", "&*", "+@all");
        try (LockClient owner = LockClient.create(redis.uri());
                LockClient lister = LockClient.create("redis://lister:pw@127.0.0.1:" + redis.port())) {
            Lease held = owner.lock("hidden").acquire(Duration.ofSeconds(5));
            assertThatThrownBy(() -> lister.list("*", "")).isInstanceOf(LockUnavailableException.class)
                    .hasMessageContaining("NOPERM");
            assertThat(owner.list("*", "")).extracting(LockInfo::name).containsExactly("hidden");
            held.release();
        }
    }

    @Test
    void aWaitEndsAtOnceWhenRedisDoesNotKnowTheCommandsTheScriptsNeed() {
        try (RedisServer renamed = RedisServer.start("--rename-command", "EVALSHA", "evalsha-renamed",
                        "--rename-command", "EVAL", "eval-renamed");
                LockClient client = LockClient.create(renamed.uri())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.lock("renamed").acquire(Duration.ofSeconds(30)))
                    .isInstanceOf(LockUnavailableException.class).hasMessageContaining("unknown command")
                    .hasMessageNotContaining("with args beginning with");
            // not retried until the wait ends: it cannot succeed
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void aWaitEndsAtOnceWhenTheAclForbidsACommandInsideTheScripts(RedisServer redis) {
        // Redis 7 says NOPERM; 6.2 says "The user executing the script can't run this command"
        redis.command("ACL", "SETUSER", "notime", "on", ">pw", "~*", "&*", "+@all", "-time");
        try (LockClient client = LockClient.create("redis://notime:pw@127.0.0.1:" + redis.port())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.lock("acl-inside").acquire(Duration.ofSeconds(30)))
                    .isInstanceOf(LockUnavailableException.class).hasMessageContaining("replied with an error");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void aUserWithoutTheWakeChannelsReleasesNormallyAndItsWaitersGetTheLockByRetrying(RedisServer redis)
            throws Exception {
        // Redis 7's default for new users (acl-pubsub-default resetchannels): no channel at all
        redis.command("ACL", "SETUSER", "nochannels", "on", ">pw", "~*", "resetchannels", "+@all");
        String uri = "redis://nochannels:pw@127.0.0.1:" + redis.port();
        try (LockClient a = LockClient.create(uri); LockClient b = LockClient.create(uri)) {
            Lease held = a.lock("no-channels").acquire(Duration.ofSeconds(5));
            CompletableFuture<Lease> waiting = b.lock("no-channels").acquireAsync(Duration.ofSeconds(20));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> redis.command("EXISTS", "{no-channels}:waiters").equals(1L));
            // the hand-off cannot PUBLISH: the release still happened, and says so
            assertThat(held.release()).isTrue();
            held.close(); // no LockLostException
            try (Lease next = waiting.get(20, TimeUnit.SECONDS)) {
                assertThat(next.isHeld()).isTrue();
                assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
            }
            assertThat(redis.command("EXISTS", "no-channels")).isEqualTo(0L);
        }
    }

    @Test
    void aPasswordOptionGoesWithTheAclUserOfAUriWithAnEmptyPassword(RedisServer redis) throws Exception {
        redis.command("ACL", "SETUSER", "alice", "on", ">alicepw", "~*", "&*", "+@all");
        try (LockClient c = LockClient.create(LockClientOptions.builder()
                .uris("redis://alice:@127.0.0.1:" + redis.port()).password("alicepw").build())) {
            assertThat(c.lock("as-alice").tryAcquire()).isPresent();
            assertThat((String) redis.command("CLIENT", "LIST")).contains("user=alice");
        }
    }

    /** Makes the server a replica of a master that does not exist: it keeps its data and refuses writes. */
    private static void demote(RedisServer redis) throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        redis.command("REPLICAOF", "127.0.0.1", Integer.toString(closed));
    }
}
