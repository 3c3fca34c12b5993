package io.redislock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redislock.redlock.QuorumNotReachedException;
import io.redislock.testing.RedisServer;
import io.redislock.testing.TestTimeouts;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The password changes while a client waits or holds, and its connections drop: Lettuce's reconnects are
 * refused, and the client says so (as for a wrong password from the start) instead of waiting it out.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PasswordChangeIT {
    private static final String OLD = "old-pa55";
    private static final String NEW = "new-pa55";
    /** Far longer than the wait may take once the refusal is known. */
    private static final Duration LONG_WAIT = Duration.ofSeconds(20);
    private static final Duration PROMPTLY = TestTimeouts.scaled(Duration.ofSeconds(5));

    @Test
    void aWaitEndsPromptlyAsRefusedCredentialsAndTheClientWorksAgainOnceThePasswordIsPutBack() throws Exception {
        try (RedisServer redis = RedisServer.start("--requirepass", OLD);
                LockClient holder = client(redis)) {
            Lease held = holder.lock("pw-wait").acquire(Duration.ofSeconds(5));
            Set<String> before = clientIds(redis);
            try (LockClient waiter = client(redis)) {
                CompletableFuture<Lease> waiting = waiter.lock("pw-wait").acquireAsync(LONG_WAIT);
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                        .until(() -> Long.valueOf(1L).equals(redis.command("ZCARD", "{pw-wait}:waiters")));
                redis.command("CONFIG", "SET", "requirepass", NEW);
                long t0 = System.nanoTime();
                killClientsExcept(redis, before); // the waiter's connections; the holder's stay
                assertThat(waiting).failsWithin(PROMPTLY)
                        .withThrowableOfType(ExecutionException.class)
                        .withCauseExactlyInstanceOf(LockUnavailableException.class)
                        .withMessageContaining("refused the credentials")
                        .satisfies(e -> assertThat(stackText(e)).doesNotContain(OLD).doesNotContain(NEW));
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(PROMPTLY);
                assertThat(held.isHeld()).as("the holder's connections were not touched").isTrue();

                // a transient refusal does not stay: once the password is back, the same client works again
                redis.command("CONFIG", "SET", "requirepass", OLD);
                held.release();
                Optional<Lease> again = tryUntilAnswered(waiter.lock("pw-wait"));
                assertThat(again).isPresent();
                again.get().release();
            }
        }
    }

    @Test
    void aHeldLeaseWhoseRenewalsAreRefusedIsLostAtItsDeadlineAndSaysWhy() throws Exception {
        try (RedisServer redis = RedisServer.start("--requirepass", OLD)) {
            Set<String> before = clientIds(redis);
            try (LockClient c = client(redis)) {
                Lease lease = c.lock("pw-held", LockOptions.builder().lease(Duration.ofMillis(1500)).build())
                        .acquire(Duration.ofSeconds(5));
                redis.command("CONFIG", "SET", "requirepass", NEW);
                killClientsExcept(redis, before);
                LeaseLostEvent ev = lease.lost().get(TestTimeouts.scaled(Duration.ofSeconds(10)).toMillis(),
                        TimeUnit.MILLISECONDS);
                assertThat(ev.reason()).isEqualTo(LeaseLostEvent.Reason.RENEWAL_FAILED);
                assertThat(ev.detail()).contains("refused the credentials").doesNotContain(OLD).doesNotContain(NEW);
                assertThat(lease.isHeld()).isFalse();
                redis.command("CONFIG", "SET", "requirepass", OLD);
                // the key expires by itself (its release could not reach Redis)
                await().atMost(TestTimeouts.scaled(Duration.ofSeconds(10))).pollInterval(Duration.ofMillis(20))
                        .until(() -> Long.valueOf(0L).equals(redis.command("EXISTS", "pw-held")));
            }
        }
    }

    @Test
    void aRedlockWaitEndsPromptlyWhenTooManyNodesRefuseTheNewCredentials() throws Exception {
        try (RedisServer a = RedisServer.start("--requirepass", OLD);
                RedisServer b = RedisServer.start("--requirepass", OLD);
                RedisServer c = RedisServer.start("--requirepass", OLD);
                LockClient holder = client(a, b, c)) {
            Lease held = holder.lock("pw-redlock").acquire(Duration.ofSeconds(5));
            Set<String> beforeA = clientIds(a);
            Set<String> beforeB = clientIds(b);
            try (LockClient waiter = client(a, b, c)) {
                CompletableFuture<Lease> waiting = waiter.lock("pw-redlock").acquireAsync(LONG_WAIT);
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                        .until(() -> Long.valueOf(1L).equals(a.command("ZCARD", "{pw-redlock}:waiters"))
                                && Long.valueOf(1L).equals(b.command("ZCARD", "{pw-redlock}:waiters")));
                a.command("CONFIG", "SET", "requirepass", NEW);
                b.command("CONFIG", "SET", "requirepass", NEW);
                long t0 = System.nanoTime();
                killClientsExcept(a, beforeA);
                killClientsExcept(b, beforeB);
                assertThat(waiting).failsWithin(PROMPTLY)
                        .withThrowableOfType(ExecutionException.class)
                        .withCauseExactlyInstanceOf(QuorumNotReachedException.class)
                        .withMessageContaining("2 more refused the credentials")
                        .satisfies(e -> assertThat(stackText(e)).doesNotContain(OLD).doesNotContain(NEW));
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(PROMPTLY);
                a.command("CONFIG", "SET", "requirepass", OLD);
                b.command("CONFIG", "SET", "requirepass", OLD);
            }
            held.release();
        }
    }

    @Test
    void aRefusalIsForgottenOnceRedisIsDownSoAWaitOutlastsARestartWithTheOldPassword() throws Exception {
        try (RedisServer redis = RedisServer.start("--requirepass", OLD)) {
            Set<String> before = clientIds(redis);
            try (LockClient c = client(redis)) {
                DistributedLock lock = c.lock("pw-restart");
                lock.acquire(Duration.ofSeconds(5)).release();
                redis.command("CONFIG", "SET", "requirepass", NEW);
                killClientsExcept(redis, before);
                awaitTryFailingWith(lock, "refused the credentials");
                // the operator puts the old password back by restarting Redis with its configuration: while it
                // is down, the refusal says nothing any more, and a wait must outlast the restart
                redis.kill();
                awaitTryFailingWith(lock, "was lost and is not back yet");
                CompletableFuture<Lease> waiting = lock.acquireAsync(LONG_WAIT);
                Thread.sleep(500);
                assertThat(waiting).as("still waiting while Redis is down").isNotDone();
                redis.restart();
                Lease got = waiting.get(TestTimeouts.scaled(Duration.ofSeconds(15)).toMillis(), TimeUnit.MILLISECONDS);
                assertThat(got.release()).isTrue();
            }
        }
    }

    /** Tries (at most 200 times, 10 s scaled) until a try fails with a message containing {@code text}. */
    private static void awaitTryFailingWith(DistributedLock lock, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TestTimeouts.scaled(Duration.ofSeconds(10)).toNanos();
        RuntimeException last = null;
        for (int i = 0; i < 200 && System.nanoTime() < deadline; i++) {
            try {
                lock.tryAcquire().ifPresent(Lease::release);
            } catch (LockUnavailableException e) {
                if (String.valueOf(e.getMessage()).contains(text)) {
                    return;
                }
                last = e;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no try failed with '" + text + "'", last);
    }

    private static LockClient client(RedisServer... servers) {
        String[] uris = new String[servers.length];
        for (int i = 0; i < servers.length; i++) {
            uris[i] = "redis://127.0.0.1:" + servers[i].port();
        }
        return LockClient.create(LockClientOptions.builder()
                .uris(uris)
                .password(OLD)
                .commandTimeout(Duration.ofMillis(500))
                .build());
    }

    /**
     * Tries until Redis answers (the client's reconnects run on their own backoff, at most a second apart),
     * at most 10 s (scaled) and 200 tries.
     */
    private static Optional<Lease> tryUntilAnswered(DistributedLock lock) throws InterruptedException {
        long deadline = System.nanoTime() + TestTimeouts.scaled(Duration.ofSeconds(10)).toNanos();
        LockUnavailableException last = null;
        for (int i = 0; i < 200 && System.nanoTime() < deadline; i++) {
            try {
                return lock.tryAcquire();
            } catch (LockUnavailableException e) {
                last = e;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Redis did not answer again after the password was put back", last);
    }

    /** @return the ids of the connections Redis has now (the test's own admin connection included) */
    private static Set<String> clientIds(RedisServer redis) {
        Set<String> ids = new HashSet<>();
        for (String line : ((String) redis.command("CLIENT", "LIST")).split("\r?\n")) {
            for (String field : line.split(" ")) {
                if (field.startsWith("id=")) {
                    ids.add(field.substring(3));
                }
            }
        }
        return ids;
    }

    /** Drops every connection that Redis did not have in {@code keep}. */
    private static void killClientsExcept(RedisServer redis, Set<String> keep) {
        List<String> victims = clientIds(redis).stream().filter(id -> !keep.contains(id)).toList();
        assertThat(victims).as("connections to drop").isNotEmpty();
        for (String id : victims) {
            redis.command("CLIENT", "KILL", "ID", id);
        }
    }

    private static String stackText(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}
