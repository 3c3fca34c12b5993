package io.redislock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redislock.testing.JvmProcess;
import io.redislock.testing.RedisServer;
import io.redislock.testing.TcpProxy;
import io.redislock.testing.TestTimeouts;
import io.redislock.testing.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Faults on a single Redis: holder death, Redis death and restart, and what the holder is told. */
@WithRedis
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SingleNodeFaultsIT {

    /** Child JVM: takes the lock and reports it, then sleeps until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            LockClient c = LockClient.create(args[0]);
            LockOptions o = LockOptions.builder().lease(Duration.ofMillis(Long.parseLong(args[2]))).build();
            Lease l = c.lock(args[1], o).acquire(Duration.ofSeconds(10));
            System.out.println("ACQUIRED " + l.fencingToken());
            Thread.sleep(600_000);
        }
    }

    @Test
    void expiryFreesTheLockAfterItsHolderIsKilled(RedisServer redis) throws Exception {
        try (JvmProcess child = JvmProcess.start(Holder.class, redis.uri(), "orphan", "1000");
                LockClient c = LockClient.create(redis.uri())) {
            String line = child.awaitLine(s -> s.startsWith("ACQUIRED"), TestTimeouts.scaled(Duration.ofSeconds(30)));
            long childFence = Long.parseLong(line.substring("ACQUIRED ".length()));
            assertThat(c.lock("orphan").tryAcquire()).as("held by the live child").isEmpty();
            child.kill();
            try (Lease lease = c.lock("orphan").acquire(TestTimeouts.scaled(Duration.ofSeconds(10)))) {
                assertThat(lease.fencingToken()).isGreaterThan(childFence);
            }
        }
    }

    @Test
    void fencingTokensKeepIncreasingAfterRedisRestartsEmpty(RedisServer redis) throws Exception {
        long before;
        try (LockClient c = LockClient.create(redis.uri())) {
            try (Lease l = c.lock("restart-fence").acquire(Duration.ofSeconds(5))) {
                before = l.fencingToken();
            }
        }
        redis.kill();
        redis.restart();
        assertThat(redis.dbSize()).isZero();
        try (LockClient c = LockClient.create(redis.uri());
                Lease l = c.lock("restart-fence").acquire(Duration.ofSeconds(5))) {
            assertThat(l.fencingToken()).isGreaterThan(before);
        }
    }

    @Test
    void fencingTokensKeepIncreasingWhenTheCounterWasRestoredFromAnOlderSnapshot(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(redis.uri())) {
            long before;
            try (Lease l = c.lock("restored-fence").acquire(Duration.ofSeconds(5))) {
                before = l.fencingToken();
            }
            redis.command("SET", "{restored-fence}:fence", "5"); // an old value, as after restoring a backup
            try (Lease l = c.lock("restored-fence").acquire(Duration.ofSeconds(5))) {
                assertThat(l.fencingToken()).isGreaterThan(before);
            }
        }
    }

    @Test
    void fencingTokensKeepIncreasingWhenTheCounterIsAheadOfTheServerClock(RedisServer redis) throws Exception {
        // e.g. the server clock stepped back: the counter, not the clock, decides
        long ahead = 9_000_000_000_000_000L;
        redis.command("SET", "{ahead-fence}:fence", Long.toString(ahead));
        try (LockClient a = LockClient.create(redis.uri());
                LockClient b = LockClient.create(redis.uri())) {
            Lease first = a.lock("ahead-fence").acquire(Duration.ofSeconds(5));
            assertThat(first.fencingToken()).isEqualTo(ahead + 1);
            CompletableFuture<Lease> next = b.lock("ahead-fence").acquireAsync(Duration.ofSeconds(20));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> (Long) redis.command("ZCARD", "{ahead-fence}:waiters") == 1L);
            first.release(); // hands the lock to b, drawing its token in the release script
            try (Lease second = next.get(TestTimeouts.scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS)) {
                assertThat(second.fencingToken()).isEqualTo(ahead + 2);
            }
            assertThat(redis.command("GET", "{ahead-fence}:fence")).isEqualTo(Long.toString(ahead + 2));
            // also on this path, the counter is kept a day after the grant
            assertThat((Long) redis.command("PTTL", "{ahead-fence}:fence"))
                    .isBetween(Duration.ofDays(1).minusMinutes(1).toMillis(), Duration.ofDays(1).toMillis());
        }
    }

    @Test
    void holderIsToldAtTheValidityDeadlineWhenRedisDiesAndCanRelockAfterRestart(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(LockClientOptions.builder()
                .uris(redis.uri())
                .commandTimeout(Duration.ofMillis(500))
                .build())) {
            LockOptions o = LockOptions.builder().lease(Duration.ofMillis(900)).build();
            Lease lease = c.lock("dies", o).acquire(Duration.ofSeconds(5));
            redis.kill();
            LeaseLostEvent ev = lease.lost().get(TestTimeouts.scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(ev.reason()).isEqualTo(LeaseLostEvent.Reason.RENEWAL_FAILED);
            assertThat(lease.isHeld()).isFalse();
            assertThat(lease.remainingValidity()).isZero();
            redis.restart();
            try (Lease again = c.lock("dies", o).acquire(TestTimeouts.scaled(Duration.ofSeconds(15)))) {
                assertThat(again.isHeld()).isTrue();
                assertThat(again.fencingToken()).isGreaterThan(lease.fencingToken());
            }
        }
    }

    @Test
    void leaseIsNeverReportedHeldAfterItsValidityEndsWhileRedisIsHung(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(LockClientOptions.builder()
                .uris(redis.uri())
                .commandTimeout(Duration.ofSeconds(5))
                .build())) {
            LockOptions o = LockOptions.builder().lease(Duration.ofMillis(600)).build();
            Lease lease = c.lock("hung", o).acquire(Duration.ofSeconds(5));
            redis.pause();
            try {
                LeaseLostEvent ev = lease.lost().get(TestTimeouts.scaled(Duration.ofSeconds(5)).toMillis(), TimeUnit.MILLISECONDS);
                assertThat(ev.reason()).isEqualTo(LeaseLostEvent.Reason.RENEWAL_FAILED);
                assertThat(lease.isHeld()).isFalse();
            } finally {
                redis.resume();
            }
        }
    }

    @Test
    void releasingALeaseAlreadyKnownLostAnswersFalseWithoutWaitingForAHungRedis(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(LockClientOptions.builder()
                .uris(redis.uri())
                .commandTimeout(Duration.ofSeconds(20))
                .build())) {
            LockOptions o = LockOptions.builder().lease(Duration.ofMillis(600)).build();
            Lease lease = c.lock("lost-release", o).acquire(Duration.ofSeconds(5));
            redis.pause();
            try {
                lease.lost().get(TestTimeouts.scaled(Duration.ofSeconds(5)).toMillis(), TimeUnit.MILLISECONDS);
                // the loss is known here: false at once (Redis would keep the caller waiting 20 s), and
                // try-with-resources learns that the work was unprotected
                assertThat(lease.releaseAsync().get(10, TimeUnit.SECONDS)).isFalse();
                assertThat(redis.isPaused()).isTrue();
                assertThatThrownBy(lease::close).isInstanceOf(LockLostException.class).hasMessageContaining("RENEWAL_FAILED");
            } finally {
                redis.resume();
            }
        }
    }

    @Test
    void aLeaseLostToFailedRenewalsDeletesItsKeyOnceRedisAnswersAgain(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(LockClientOptions.builder()
                .uris(redis.uri())
                .commandTimeout(Duration.ofSeconds(20))
                .build())) {
            // the key outlives the client's deadline by far, so only the loss's own release can delete it
            LockOptions o = LockOptions.builder().lease(Duration.ofMillis(600)).build();
            Lease lease = c.lock("lost-key", o).acquire(Duration.ofSeconds(5));
            redis.pause();
            try {
                lease.lost().get(TestTimeouts.scaled(Duration.ofSeconds(5)).toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                redis.resume();
            }
            redis.command("PEXPIRE", "lost-key", "60000"); // (a renewal queued behind the pause may have run)
            org.awaitility.Awaitility.await().atMost(TestTimeouts.scaled(Duration.ofSeconds(10)))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> Long.valueOf(0L).equals(redis.command("EXISTS", "lost-key")));
        }
    }

    @Test
    void aWaitDuringWhichRedisDiesEndsAsUnavailableNotAsHeldByAnotherOwner(RedisServer redis) throws Exception {
        try (LockClient holder = LockClient.create(redis.uri()); LockClient waiter = LockClient.create(redis.uri())) {
            holder.lock("dies-while-waiting").acquire(Duration.ofSeconds(5));
            CompletableFuture<Lease> waiting = waiter.lock("dies-while-waiting").acquireAsync(Duration.ofSeconds(3));
            // its first round saw the lock held (and queued it); then Redis goes away for the rest of the wait
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> Long.valueOf(1L).equals(redis.command("ZCARD", "{dies-while-waiting}:waiters")));
            redis.kill();
            assertThat(waiting).failsWithin(TestTimeouts.scaled(Duration.ofSeconds(15)))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(LockUnavailableException.class);
        }
    }

    @Test
    void aLostLeaseIsReportedAndFreedEvenWhenTheCallbackExecutorRefusesWork(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(LockClientOptions.builder()
                .uris(redis.uri())
                .callbackExecutor(r -> {
                    throw new java.util.concurrent.RejectedExecutionException("saturated");
                })
                .build())) {
            Lease lease = c.lock("refusing-executor", LockOptions.builder().lease(Duration.ofSeconds(5)).build())
                    .acquire(Duration.ofSeconds(5));
            redis.command("SET", "refusing-executor", "someone-else", "PX", "60000"); // taken over
            lease.extendAsync(Duration.ofSeconds(5)).exceptionally(e -> null); // finds the new owner
            assertThat(lease.lost().get(10, TimeUnit.SECONDS).reason()).isEqualTo(LeaseLostEvent.Reason.NOT_OWNER);
            assertThat(redis.command("GET", "refusing-executor")).isEqualTo("someone-else");
        }
    }

    @Test
    void unreachableRedisFailsFastWithATypedExceptionWithoutThePassword() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        String uri = "redis://:s3cr3t-pw@127.0.0.1:" + closedPort;
        try (LockClient c = LockClient.create(LockClientOptions.builder()
                .uris(uri)
                .connectTimeout(Duration.ofMillis(500))
                .commandTimeout(Duration.ofMillis(500))
                .build())) {
            assertThat(c.toString()).doesNotContain("s3cr3t-pw");
            assertThatThrownBy(() -> c.lock("nowhere").tryAcquire())
                    .isInstanceOf(LockUnavailableException.class)
                    .hasMessageContaining("nowhere")
                    .satisfies(e -> assertThat(stackText(e)).doesNotContain("s3cr3t-pw"));
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> c.lock("nowhere").acquire(Duration.ofMillis(800)))
                    .isInstanceOf(LockUnavailableException.class)
                    .satisfies(e -> assertThat(stackText(e)).doesNotContain("s3cr3t-pw"));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(TestTimeouts.scaled(Duration.ofSeconds(10)));
            assertThatThrownBy(() -> c.lock("nowhere").acquireAsync(Duration.ofMillis(300)).join())
                    .hasCauseInstanceOf(LockUnavailableException.class);
        }
    }

    @Test
    void passwordsWorkAndNeverAppearInErrors() throws Exception {
        try (RedisServer secured = RedisServer.start("--requirepass", "pa55-word")) {
            try (LockClient ok = LockClient.create(LockClientOptions.builder()
                            .uris("redis://127.0.0.1:" + secured.port())
                            .password("pa55-word")
                            .build());
                    Lease l = ok.lock("secured").acquire(Duration.ofSeconds(5))) {
                assertThat(l.isHeld()).isTrue();
                assertThat(ok.options().toString()).doesNotContain("pa55-word");
            }
            try (LockClient bad = LockClient.create(LockClientOptions.builder()
                    .uris("redis://:wrong-pa55@127.0.0.1:" + secured.port())
                    .commandTimeout(Duration.ofMillis(500))
                    .build())) {
                assertThatThrownBy(() -> bad.lock("secured").tryAcquire())
                        .isInstanceOf(LockUnavailableException.class)
                        .hasMessageContaining("refused the credentials (WRONGPASS")
                        .hasMessageNotContaining("Exception")
                        .satisfies(e -> assertThat(stackText(e)).doesNotContain("wrong-pa55"));
                // a wait does not retry what cannot succeed: it fails at once, long before its end
                CompletableFuture<Lease> waited = bad.lock("secured").acquireAsync(Duration.ofMinutes(10));
                assertThat(waited).failsWithin(TestTimeouts.scaled(Duration.ofSeconds(10)))
                        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                        .withCauseInstanceOf(LockUnavailableException.class)
                        .withMessageContaining("refused the credentials");
                // the operator commands say why too
                assertThatThrownBy(() -> bad.status("secured", ""))
                        .isInstanceOf(LockUnavailableException.class)
                        .hasMessageContaining("refused the credentials")
                        .satisfies(e -> assertThat(stackText(e)).doesNotContain("wrong-pa55"));
                assertThatThrownBy(() -> bad.list("*", ""))
                        .isInstanceOf(LockUnavailableException.class)
                        .hasMessageContaining("refused the credentials");
                assertThatThrownBy(() -> bad.forceRelease("secured", ""))
                        .isInstanceOf(LockUnavailableException.class)
                        .hasMessageContaining("refused the credentials");
            }
            // Redlock: the quorum failure says how many nodes refused the credentials
            try (RedisServer s2 = RedisServer.start("--requirepass", "pa55-word");
                    RedisServer s3 = RedisServer.start("--requirepass", "pa55-word");
                    LockClient bad = LockClient.create(LockClientOptions.builder()
                            .uris("redis://:wrong-pa55@127.0.0.1:" + secured.port(),
                                    "redis://:wrong-pa55@127.0.0.1:" + s2.port(),
                                    "redis://:wrong-pa55@127.0.0.1:" + s3.port())
                            .commandTimeout(Duration.ofMillis(500))
                            .build())) {
                assertThatThrownBy(() -> bad.lock("secured").acquire(Duration.ofMillis(500)))
                        .isInstanceOf(LockUnavailableException.class)
                        .hasMessageContaining("3 more refused the credentials")
                        .hasMessageNotContaining("Exception")
                        .satisfies(e -> assertThat(stackText(e)).doesNotContain("wrong-pa55"));
            }
        }
    }

    @Test
    void aLockKeyHoldingAnotherTypeOfValueFailsAtOnceWithRedisOwnError(RedisServer redis) throws Exception {
        redis.command("HSET", "not-a-lock", "field", "another application's data");
        try (LockClient c = LockClient.create(redis.uri())) {
            CompletableFuture<Lease> waited = c.lock("not-a-lock").acquireAsync(Duration.ofMinutes(10));
            assertThat(waited).failsWithin(TestTimeouts.scaled(Duration.ofSeconds(10)))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(LockUnavailableException.class)
                    .withMessageContaining("replied with an error").withMessageContaining("WRONGTYPE");
        }
        assertThat(redis.command("HGET", "not-a-lock", "field")).isEqualTo("another application's data");
    }

    @Test
    void aGrantArrivingAfterItsValidityIsGivenBackAndReportedAsRedisTooSlow(RedisServer redis) throws Exception {
        LockOptions shortLease = LockOptions.builder().lease(Duration.ofMillis(200)).autoRenew(false).build();
        try (LockClient c = LockClient.create(redis.uri())) {
            c.lock("slow", shortLease).tryAcquire().orElseThrow().release(); // connected, scripts loaded
            // Redis stalls every client for 700 ms: the grant comes back long after the 200 ms lease
            redis.command("CLIENT", "PAUSE", "700");
            assertThatThrownBy(() -> c.lock("slow", shortLease).tryAcquire())
                    .isInstanceOf(LockUnavailableException.class)
                    .hasMessageContaining("too slowly")
                    .hasMessageContaining("lease 200 ms");
            // not "held elsewhere": the late grant was given back
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> redis.command("GET", "slow") == null);
        }
    }

    @Test
    void aTooYoungNodeUnderTheDelayedRestartRuleIsReportedAndKeepsNothing(RedisServer redis) throws Exception {
        LockOptions opts = LockOptions.builder().lease(Duration.ofSeconds(30)).build();
        try (LockClient strict = LockClient.create(LockClientOptions.builder()
                        .uris(redis.uri())
                        .enforceDelayedRestart(true)
                        .build());
                LockClient plain = LockClient.create(redis.uri())) {
            // the server started seconds ago, less than the 30 s lease: its grant does not count
            assertThatThrownBy(() -> strict.lock("young", opts).tryAcquire())
                    .isInstanceOf(LockUnavailableException.class)
                    .hasMessageContaining("restarted")
                    .hasMessageContaining("enforceDelayedRestart");
            assertThatThrownBy(() -> strict.lock("young", opts).acquire(Duration.ofMillis(300)))
                    .isInstanceOf(LockUnavailableException.class)
                    .hasMessageContaining("restarted");
            // a release by a holder that does not enforce the rule hands the lock over to the oldest waiter;
            // a strict waiter does not take that grant as its lease either
            Lease held = plain.lock("young-handoff", opts).tryAcquire().orElseThrow();
            CompletableFuture<Lease> first = strict.lock("young-handoff", opts).acquireAsync(Duration.ofSeconds(2));
            CompletableFuture<Lease> second = strict.lock("young-handoff", opts).acquireAsync(Duration.ofSeconds(2));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> Long.valueOf(2).equals(redis.command("ZCARD", "{young-handoff}:waiters")));
            held.close();
            for (CompletableFuture<Lease> f : List.of(first, second)) {
                assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(LockUnavailableException.class)
                        .hasMessageContaining("restarted");
            }
            // and the grant it made was given back, not left blocking everyone for the lease
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> redis.command("GET", "young") == null);
            try (Lease l = plain.lock("young", opts).tryAcquire().orElseThrow()) {
                assertThat(l.isHeld()).isTrue();
            }
        }
    }

    @Test
    void aProcessUsingThePlainSetNxConventionIsExcludedBothWays(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(redis.uri())) {
            // another language's client: SET key token NX PX
            assertThat(redis.command("SET", "interop", "python-token", "NX", "PX", "30000")).isEqualTo("OK");
            assertThat(c.lock("interop").tryAcquire()).isEmpty();
            redis.command("DEL", "interop");
            try (Lease l = c.lock("interop").acquire(Duration.ofSeconds(5))) {
                assertThat(redis.command("GET", "interop")).isEqualTo(l.token());
                assertThat(redis.command("SET", "interop", "python-token", "NX", "PX", "30000")).isNull();
            }
        }
    }

    @Test
    void noExpiryModeWritesAKeyWithoutTtlAndReleasesIt(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(redis.uri())) {
            LockOptions o = LockOptions.builder().mode(AcquireMode.NO_EXPIRY).build();
            Lease l = c.lock("forever", o).acquire(Duration.ofSeconds(5));
            assertThat(redis.command("PTTL", "forever")).isEqualTo(-1L);
            assertThat(l.isHeld()).isTrue();
            assertThat(l.remainingValidity()).isGreaterThan(Duration.ofDays(365));
            assertThat(c.lock("forever", o).tryAcquire()).isEmpty();
            assertThatThrownBy(() -> l.extend(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
            assertThat(l.release()).isTrue();
            assertThat(redis.command("EXISTS", "forever")).isEqualTo(0L);
        }
    }

    @Test
    void extendProlongsOnlyOurOwnLease(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(redis.uri())) {
            LockOptions o = LockOptions.builder().lease(Duration.ofSeconds(2)).autoRenew(false).build();
            try (Lease l = c.lock("ext", o).acquire(Duration.ofSeconds(5))) {
                l.extend(Duration.ofSeconds(20));
                assertThat((Long) redis.command("PTTL", "ext")).isGreaterThan(10_000L);
                assertThat(l.remainingValidity()).isGreaterThan(Duration.ofSeconds(10));
                redis.command("SET", "ext", "someone-else", "PX", "30000");
                assertThatThrownBy(() -> l.extend(Duration.ofSeconds(20))).isInstanceOf(LockLostException.class);
                assertThat(redis.command("GET", "ext")).isEqualTo("someone-else");
                assertThat((Long) redis.command("PTTL", "ext")).isLessThanOrEqualTo(30_000L);
                assertThat(l.isHeld()).isFalse();
                assertThatThrownBy(l::close).isInstanceOf(LockLostException.class);
                assertThat(redis.command("GET", "ext")).as("never deletes another owner's lock").isEqualTo("someone-else");
            }
        }
    }

    @Test
    void retriedGrantWithTheSameTokenCountsAsGrantedAndReleaseIsIdempotent(RedisServer redis) throws Exception {
        String script = new String(
                LockEngineScripts.read("acquire"), java.nio.charset.StandardCharsets.UTF_8);
        Object first = redis.command("EVAL", script, "3", "retry", "{retry}:fence", "{retry}:waiters",
                "tok-1", "30000", "", "1000", "1");
        Object second = redis.command("EVAL", script, "3", "retry", "{retry}:fence", "{retry}:waiters",
                "tok-1", "30000", "", "1000", "1");
        assertThat(first).isEqualTo(second);
        assertThat(((java.util.List<?>) first).get(0)).isEqualTo(1L);
        Object other = redis.command("EVAL", script, "3", "retry", "{retry}:fence", "{retry}:waiters",
                "tok-2", "30000", "", "1000", "1");
        assertThat(((java.util.List<?>) other).get(0)).isEqualTo(0L);
        String release = new String(LockEngineScripts.read("release"), java.nio.charset.StandardCharsets.UTF_8);
        String[] keys = {"retry", "{retry}:fence", "{retry}:waiters"};
        assertThat(redis.command("EVAL", release, "3", keys[0], keys[1], keys[2], "tok-2", "", "0", "0", "1")).isEqualTo(0L);
        assertThat(redis.command("GET", "retry")).isEqualTo("tok-1");
        assertThat(redis.command("EVAL", release, "3", keys[0], keys[1], keys[2], "tok-1", "", "0", "0", "1")).isEqualTo(1L);
        assertThat(redis.command("EVAL", release, "3", keys[0], keys[1], keys[2], "tok-1", "", "0", "0", "1")).isEqualTo(0L);
        Optional<?> none = Optional.ofNullable(redis.command("GET", "retry"));
        assertThat(none).isEmpty();
    }

    @Test
    void theFencingCounterNeverOutlivesEveryLockForEverNorExpiresBeforeOne(RedisServer redis) throws Exception {
        String acquire = new String(LockEngineScripts.read("acquire"), java.nio.charset.StandardCharsets.UTF_8);
        String release = new String(LockEngineScripts.read("release"), java.nio.charset.StandardCharsets.UTF_8);
        String[] keys = {"ttl", "{ttl}:fence", "{ttl}:waiters"};
        long day = Duration.ofDays(1).toMillis();

        // a retried grant that finds its own token moves the lock's expiry, and the counter's with it
        long twoDays = 2 * day;
        redis.command("EVAL", acquire, "3", keys[0], keys[1], keys[2], "tok-1", Long.toString(twoDays), "", "1000",
                "1");
        redis.command("PEXPIRE", keys[1], "1000");
        redis.command("EVAL", acquire, "3", keys[0], keys[1], keys[2], "tok-1", Long.toString(twoDays), "", "1000",
                "1");
        assertThat((Long) redis.command("PTTL", keys[1])).isGreaterThan(twoDays - 60_000);

        // a lock without expiry keeps its counter until it is released; then the counter gets its day
        redis.command("DEL", keys[0]);
        redis.command("EVAL", acquire, "3", keys[0], keys[1], keys[2], "tok-2", "0", "", "1000", "1");
        assertThat(redis.command("PTTL", keys[1])).isEqualTo(-1L);
        assertThat(redis.command("EVAL", release, "3", keys[0], keys[1], keys[2], "tok-2", "", "1", "n", "1"))
                .isEqualTo(1L);
        assertThat((Long) redis.command("PTTL", keys[1])).isBetween(day - 60_000, day);

        // a release that hands the lock to a waiter without expiry whose process is gone (no subscriber)
        redis.command("EVAL", acquire, "3", keys[0], keys[1], keys[2], "tok-3", "30000", "", "1000", "1");
        redis.command("ZADD", keys[2], "1", "redislock:wake:gone tok-4 0");
        assertThat(redis.command("EVAL", release, "3", keys[0], keys[1], keys[2], "tok-3", "", "1", "0", "1"))
                .isEqualTo(1L);
        assertThat(redis.command("EXISTS", keys[0])).isEqualTo(0L);
        assertThat((Long) redis.command("PTTL", keys[1])).isBetween(day - 60_000, day);
    }

    @Test
    void anExistingLettuceClientCanBeUsedAndIsLeftRunning(RedisServer redis) throws Exception {
        io.lettuce.core.RedisURI uri = io.lettuce.core.RedisURI.create(redis.uri());
        io.lettuce.core.RedisClient lettuce = io.lettuce.core.RedisClient.create(uri);
        try {
            try (LockClient c = LockClient.create(lettuce, uri);
                    Lease l = c.lock("wrapped").acquire(Duration.ofSeconds(5))) {
                assertThat(redis.command("GET", "wrapped")).isEqualTo(l.token());
            }
            try (var conn = lettuce.connect()) {
                assertThat(conn.sync().ping()).isEqualTo("PONG");
            }
            // calls are bounded by the lock client's timeouts, not Lettuce's 60 s URI default
            try (LockClient c = LockClient.create(lettuce, uri)) {
                assertThat(c.options().commandTimeout()).isEqualTo(Duration.ofSeconds(2));
                c.lock("wrapped").tryAcquire().orElseThrow().release();
                redis.pause();
                try {
                    long start = System.nanoTime();
                    assertThatThrownBy(() -> c.lock("wrapped").tryAcquire()).isInstanceOf(LockUnavailableException.class);
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
                } finally {
                    redis.resume();
                }
            }
            LockClientOptions options = LockClientOptions.builder().uris("redis://ignored:1")
                    .commandTimeout(Duration.ofMillis(700)).build();
            try (LockClient c = LockClient.create(lettuce, uri, options)) {
                assertThat(c.options().commandTimeout()).isEqualTo(Duration.ofMillis(700));
                assertThat(c.options().uris()).containsExactly("redis://127.0.0.1:" + redis.port());
                c.lock("wrapped").tryAcquire().orElseThrow().release();
            }
        } finally {
            lettuce.shutdown();
        }
    }

    /** A client whose calls are bounded by {@code timeout} (the reconnect tests wait for, or outlast, a reconnect). */
    private static LockClient clientWithCommandTimeout(RedisServer redis, Duration timeout) {
        return LockClient.create(LockClientOptions.builder().uris(redis.uri()).commandTimeout(timeout).build());
    }

    private static String stackText(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    @Test
    @SuppressWarnings("try") // the handle only ends the fault
    void aReleaseRightAfterRedisDroppedTheConnectionIsSentOnceTheClientReconnects(RedisServer redis) throws Exception {
        // (reconnect attempts back off up to 1 s: the release may wait that long once connections are accepted)
        try (LockClient c = clientWithCommandTimeout(redis, Duration.ofSeconds(5))) {
            Lease lease = c.lock("dropped").acquire(Duration.ofSeconds(5));
            // no new connection is accepted for a while: the client rejects commands while it reconnects
            try (RedisServer.Reconnects r = redis.dropConnections()) {
                CompletableFuture<Boolean> released = lease.releaseAsync();
                Thread.sleep(300);
                assertThat(released).as("waits for the reconnect within the command timeout").isNotDone();
            }
            assertThat(lease.releaseAsync().get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(redis.command("EXISTS", "dropped")).isEqualTo(0L);
        }
    }

    @Test
    @SuppressWarnings("try") // the handle only ends the fault
    void aReleaseThatCannotReachRedisSaysTheConnectionIsDownRatherThanSlow(RedisServer redis) throws Exception {
        try (LockClient c = clientWithCommandTimeout(redis, Duration.ofMillis(500))) {
            Lease lease = c.lock("down").acquire(Duration.ofSeconds(5));
            try (RedisServer.Reconnects r = redis.dropConnections()) {
                assertThatThrownBy(lease::release).isInstanceOf(LockUnavailableException.class)
                        .hasMessageContaining("connection to Redis was lost or is down")
                        .hasMessageNotContaining("in time");
                assertThatThrownBy(() -> c.lock("down-too").tryAcquire()).isInstanceOf(LockUnavailableException.class)
                        .hasMessageContaining("was lost and is not back yet (it reconnects by itself)");
            }
        }
    }

    @Test
    @SuppressWarnings("try") // the handle only ends the fault
    void aTryAcquireRightAfterRedisDroppedTheConnectionIsSentOnceTheClientReconnects(RedisServer redis)
            throws Exception {
        try (LockClient c = clientWithCommandTimeout(redis, Duration.ofSeconds(5))) {
            c.lock("dropped-try").tryAcquire().orElseThrow().release(); // connected
            CompletableFuture<Optional<Lease>> tried;
            try (RedisServer.Reconnects r = redis.dropConnections()) {
                tried = c.lock("dropped-try").tryAcquireAsync();
                Thread.sleep(300);
                assertThat(tried).as("waits for the reconnect within the round's bound").isNotDone();
            }
            try (Lease lease = tried.get(10, TimeUnit.SECONDS).orElseThrow()) {
                assertThat(redis.command("GET", "dropped-try")).isEqualTo(lease.token());
            }
        }
    }

    @Test
    @SuppressWarnings("try") // the handle only ends the fault
    void anExtendMadeWhileTheClientReconnectsFailsAtOnceAndKeepsTheShorterDeadline(RedisServer redis)
            throws Exception {
        try (LockClient c = clientWithCommandTimeout(redis, Duration.ofSeconds(5))) {
            Lease lease = c.lock("dropped-extend", LockOptions.builder().autoRenew(false).build())
                    .acquire(Duration.ofSeconds(5));
            try (RedisServer.Reconnects r = redis.dropConnections()) {
                // not sent again once reconnected: a re-sent shorter extend could overtake the longer one after it
                CompletableFuture<Void> shorter = lease.extendAsync(Duration.ofSeconds(2));
                CompletableFuture<Void> longer = lease.extendAsync(Duration.ofSeconds(30));
                for (CompletableFuture<Void> f : List.of(shorter, longer)) {
                    assertThatThrownBy(() -> f.get(3, TimeUnit.SECONDS)).hasCauseInstanceOf(LockUnavailableException.class);
                }
                assertThat(lease.remainingValidity()).isLessThanOrEqualTo(Duration.ofSeconds(2));
            }
            lease.release();
        }
    }

    @Test
    void closingTheClientRightAfterAReleaseWaitsUntilTheReconnectedClientSentIt(RedisServer redis) throws Exception {
        LockClient c = clientWithCommandTimeout(redis, Duration.ofSeconds(5));
        try {
            Lease lease = c.lock("dropped-close").acquire(Duration.ofSeconds(5));
            RedisServer.Reconnects r = redis.dropConnections();
            lease.releaseAsync();
            // connections are accepted again while close() waits
            CompletableFuture<Void> accepting = CompletableFuture.runAsync(r::close,
                    CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
            c.close();
            accepting.get(5, TimeUnit.SECONDS);
            assertThat(redis.command("EXISTS", "dropped-close")).as("released before the client closed").isEqualTo(0L);
        } finally {
            c.close();
        }
    }

    @Test
    void closingTheClientWaitsForAReleaseWrittenJustBeforeTheConnectionDroppedUntilLettuceSentItAgain(
            RedisServer redis) throws Exception {
        // the release reaches the socket but not Redis, and failed with the connection: the lock stayed held for
        // its lease. It is sent again once reconnected, and the close waits for that
        LockClient c = clientWithCommandTimeout(redis, TestTimeouts.scaled(Duration.ofSeconds(5)));
        try {
            Lease lease = c.lock("replayed-release").acquire(Duration.ofSeconds(5));
            redis.command("SAVE"); // the restarted server holds the lock again
            redis.pause();
            CompletableFuture<Boolean> released = lease.releaseAsync(); // written, not read: Redis is stopped
            redis.kill();
            redis.restart(); // (the release may be sent again from here on)

            c.close();

            assertThat(released).as("answered before the close").isCompletedWithValue(true);
            assertThat(redis.command("EXISTS", "replayed-release")).isEqualTo(0L);
        } finally {
            c.close();
        }
    }

    @Test
    void aReleaseThatRedisRanBeforeItsConnectionDroppedIsReportedAsReleased(RedisServer redis) throws Exception {
        // the reply is lost, the release is sent again and finds the key gone: that answer is this release's
        try (TcpProxy proxy = TcpProxy.to(redis);
                LockClient c = LockClient.create(LockClientOptions.builder().uris(proxy.uri())
                        .commandTimeout(TestTimeouts.scaled(Duration.ofSeconds(5))).build())) {
            Lease lease = c.lock("ran-release").acquire(Duration.ofSeconds(5));
            proxy.muteReplies();
            CompletableFuture<Boolean> released = lease.releaseAsync();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> Long.valueOf(0L).equals(redis.command("EXISTS", "ran-release")));
            proxy.cutAll();

            assertThat(released.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(lease.isHeld()).isFalse();
        }
    }

    @Test
    void aReleaseThatHandedTheLockOverBeforeItsConnectionDroppedIsReportedAsReleased(RedisServer redis)
            throws Exception {
        try (TcpProxy proxy = TcpProxy.to(redis);
                LockClient c = LockClient.create(LockClientOptions.builder().uris(proxy.uri())
                        .commandTimeout(TestTimeouts.scaled(Duration.ofSeconds(5))).build());
                LockClient other = LockClient.create(redis.uri())) {
            Lease lease = c.lock("ran-handover").acquire(Duration.ofSeconds(5));
            CompletableFuture<Lease> waiting = other.lock("ran-handover").acquireAsync(Duration.ofSeconds(30));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> Long.valueOf(1L).equals(redis.command("ZCARD", "{ran-handover}:waiters")));
            proxy.muteReplies();
            CompletableFuture<Boolean> released = lease.releaseAsync();
            Lease next = waiting.get(10, TimeUnit.SECONDS); // the release ran: it handed the lock over
            proxy.cutAll();

            assertThat(released.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(redis.command("GET", "ran-handover")).isEqualTo(next.token());
            next.release();
        }
    }

    @Test
    void closingTheClientWhileATryIsUnderWayGivesBackWhatItIsGranted(RedisServer redis) throws Exception {
        LockClient c = clientWithCommandTimeout(redis, TestTimeouts.scaled(Duration.ofSeconds(5)));
        try {
            c.lock("tried-warm-up").acquire(Duration.ofSeconds(5)).release(); // connected
            redis.pause();
            CompletableFuture<Optional<Lease>> trying = c.lock("tried").tryAcquireAsync();
            // (well within the command timeout, which bounds the close's wait)
            CompletableFuture<Void> resumed = CompletableFuture.runAsync(redis::resume, CompletableFuture.delayedExecutor(
                    TestTimeouts.scaled(Duration.ofSeconds(1)).toMillis(), TimeUnit.MILLISECONDS));

            c.close(); // the try is granted once Redis runs again, after the close began

            resumed.get(5, TimeUnit.SECONDS);
            assertThat(trying).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(IllegalStateException.class);
            assertThat(redis.command("EXISTS", "tried")).as("given back before the client closed").isEqualTo(0L);
        } finally {
            redis.resume();
            c.close();
        }
    }

    @Test
    void aReleaseSentAgainToARedisThatRestartedEmptyIsNotReportedAsReleased(RedisServer redis) throws Exception {
        // the release was written but never run (Redis stopped, then restarted without data): sent again, it
        // finds the key gone or another owner's. That is the restart's doing, not this release's: the lock was
        // lost (helper-48: reported released in 11 of 11 runs, also when the waiter had taken the lock first)
        try (LockClient a = clientWithCommandTimeout(redis, TestTimeouts.scaled(Duration.ofSeconds(5)));
                LockClient b = LockClient.create(redis.uri())) {
            Lease held = a.lock("restarted-release").acquire(Duration.ofSeconds(5));
            CompletableFuture<Lease> waiting = b.lock("restarted-release").acquireAsync(Duration.ofSeconds(30));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> Long.valueOf(1L).equals(redis.command("ZCARD", "{restarted-release}:waiters")));
            redis.pause();
            CompletableFuture<Boolean> released = held.releaseAsync();
            redis.restart();

            Lease next = waiting.get(10, TimeUnit.SECONDS);
            assertThat(released.get(10, TimeUnit.SECONDS)).isFalse();
            assertThat(redis.command("GET", "restarted-release")).isEqualTo(next.token());
            next.release();
        }
    }
}
