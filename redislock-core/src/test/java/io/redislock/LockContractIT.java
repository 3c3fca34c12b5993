package io.redislock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redislock.testing.RedisServer;
import io.redislock.testing.RedisServers;
import io.redislock.testing.TestTimeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The behaviour every lock kind must show, run against real redis-servers. Subclasses choose the number
 * of nodes (1 = single instance, 5 = Redlock); lock operations run through the blocking and the async API.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class LockContractIT {
    /** Which API a test drives. */
    enum Api {
        SYNC,
        ASYNC
    }

    protected RedisServers servers;
    private final List<LockClient> clients = new CopyOnWriteArrayList<>();

    abstract int nodes();

    @BeforeEach
    void startServers() {
        servers = RedisServers.start(nodes());
    }

    @AfterEach
    void stopEverything() {
        for (LockClient c : clients) {
            c.close();
        }
        try {
            // only fencing counters may remain: no lock keys, waiters or reservations (releases on the
            // minority of nodes may still be in flight when a Redlock release returns)
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                for (RedisServer s : servers.all()) {
                    if (s.isRunning() && !s.isPaused()) {
                        assertThat(s.scanKeys("*")).allMatch(k -> k.endsWith(":fence") || k.startsWith("resource:"));
                    }
                }
            });
        } finally {
            servers.close();
        }
        // no renewal (clock) thread survives its client
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet()
                .stream()
                .noneMatch(t -> t.getName().startsWith("redislock-clock") && t.isAlive()));
    }

    protected LockClient client() {
        return client(LockClientOptions.builder().uris(servers.uris()));
    }

    protected LockClient client(LockClientOptions.Builder b) {
        LockClient c = LockClient.create(b.build());
        clients.add(c);
        return c;
    }

    static Lease acquire(Api api, DistributedLock lock, Duration wait) throws Exception {
        if (api == Api.SYNC) {
            return lock.acquire(wait);
        }
        try {
            return lock.acquireAsync(wait).get(wait.toMillis() + 30_000, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    static Optional<Lease> tryAcquire(Api api, DistributedLock lock) throws Exception {
        return api == Api.SYNC ? lock.tryAcquire() : lock.tryAcquireAsync().get(30, TimeUnit.SECONDS);
    }

    static boolean release(Api api, Lease lease) throws Exception {
        return api == Api.SYNC ? lease.release() : lease.releaseAsync().get(30, TimeUnit.SECONDS);
    }

    /** The key holds our token on a majority of nodes. */
    protected int nodesHolding(String key, String token) {
        int n = 0;
        for (RedisServer s : servers.all()) {
            if (s.isRunning() && !s.isPaused() && token.equals(s.command("GET", key))) {
                n++;
            }
        }
        return n;
    }

    protected int majority() {
        return nodes() / 2 + 1;
    }

    @Test
    void listShowsHeldAndFreeLocksButNoKeyUnderANameALockWouldRefuse() throws Exception {
        LockClient c = client();
        Lease held = c.lock("list-held").acquire(Duration.ofSeconds(5));
        c.lock("list-free").acquire(Duration.ofSeconds(5)).release();
        for (RedisServer s : servers.all()) {
            s.command("SET", "{list- odd}:fence", "5"); // another program's key: lock() refuses whitespace
        }
        List<LockInfo> listed = c.list("list-*", "");
        assertThat(listed).extracting(LockInfo::name).containsExactly("list-free", "list-held");
        assertThat(listed).filteredOn(LockInfo::held).extracting(LockInfo::name).containsExactly("list-held");
        assertThat(release(Api.SYNC, held)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void grantedLockIsStoredAsPlainTokenWithExpiryOnAMajority(Api api) throws Exception {
        LockClient c = client();
        Lease lease = acquire(api, c.lock("contract-plain"), Duration.ofSeconds(5));
        assertThat(lease.isHeld()).isTrue();
        assertThat(lease.token()).contains("@").contains(":");
        assertThat(nodesHolding("contract-plain", lease.token())).isGreaterThanOrEqualTo(majority());
        for (RedisServer s : servers.all()) {
            if (lease.token().equals(s.command("GET", "contract-plain"))) {
                assertThat((Long) s.command("PTTL", "contract-plain")).isBetween(1L, 30_000L);
            }
        }
        assertThat(lease.remainingValidity()).isPositive().isLessThan(Duration.ofSeconds(30));
        assertThat(release(api, lease)).isTrue();
        // release returns once a majority confirmed; the other nodes follow
        assertThat(nodesHolding("contract-plain", lease.token())).isLessThanOrEqualTo(nodes() - majority());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> nodesHolding("contract-plain", lease.token()) == 0);
        assertThat(lease.isHeld()).isFalse();
        assertThat(release(api, lease)).as("release is idempotent").isTrue();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void tryAcquireReturnsEmptyWhileAnotherOwnerHoldsIt(Api api) throws Exception {
        LockClient a = client();
        LockClient b = client();
        try (Lease held = acquire(api, a.lock("contract-try"), Duration.ofSeconds(5))) {
            assertThat(tryAcquire(api, b.lock("contract-try"))).isEmpty();
            assertThat(tryAcquire(api, a.lock("contract-try"))).as("a second acquisition by the same client").isEmpty();
            assertThat(held.isHeld()).isTrue();
        }
        Optional<Lease> after = tryAcquire(api, b.lock("contract-try"));
        assertThat(after).isPresent();
        after.get().close();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void waitingAcquirerTimesOutWithTypedException(Api api) throws Exception {
        LockClient a = client();
        LockClient b = client();
        try (Lease held = acquire(api, a.lock("contract-timeout"), Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> acquire(api, b.lock("contract-timeout"), Duration.ofMillis(300)))
                    .isInstanceOf(LockTimeoutException.class)
                    .hasMessageContaining("contract-timeout");
            assertThat(held.isHeld()).isTrue();
        }
    }

    @Test
    void mutualExclusionWithEightClientsKeepsACounterExact() throws Exception {
        int workers = 8;
        int perWorker = 25;
        RedisServer resource = servers.get(0);
        resource.command("SET", "resource:counter", "0");
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                LockClient c = client();
                DistributedLock lock = c.lock("contract-counter");
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < perWorker; i++) {
                        try (Lease lease = lock.acquire(TestTimeouts.scaled(Duration.ofSeconds(60)))) {
                            assertThat(lease.isHeld()).isTrue();
                            long v = Long.parseLong((String) resource.command("GET", "resource:counter"));
                            resource.command("SET", "resource:counter", Long.toString(v + 1));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(110, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(resource.command("GET", "resource:counter")).isEqualTo(Integer.toString(workers * perWorker));
    }

    @Test
    void fencingTokensStrictlyIncreaseAcrossHolders() throws Exception {
        LockClient a = client();
        LockClient b = client();
        long last = 0;
        for (int i = 0; i < 20; i++) {
            LockClient c = i % 2 == 0 ? a : b;
            try (Lease lease = c.lock("contract-fence").acquire(Duration.ofSeconds(5))) {
                assertThat(lease.fencingToken()).isGreaterThan(last);
                last = lease.fencingToken();
            }
        }
    }

    @Test
    void theFencingCounterIsKeptADayAfterTheLastGrantAndNeverLessThanTheLockItCounts() throws Exception {
        long day = Duration.ofDays(1).toMillis();
        long twoDays = 2 * day;
        LockClient c = client();
        String fence = "{fence-ttl}:fence";
        Lease first = c.lock("fence-ttl").acquire(Duration.ofSeconds(5));
        awaitFenceTtls(fence, t -> t > day - 60_000 && t <= day);

        for (RedisServer s : servers.all()) {
            s.command("PEXPIRE", fence, "5000");
        }
        first.extend(Duration.ofSeconds(10)); // a renewal keeps the counter as long as the lock, at least a day
        // (extend returns at a majority; the other nodes follow)
        awaitFenceTtls(fence, t -> t > day - 60_000);

        // handed over by the release to a waiter with a two-day lease: kept as long as that lease
        LockOptions long2d = LockOptions.builder().lease(Duration.ofDays(2)).autoRenew(false).build();
        CompletableFuture<Lease> waiting = client().lock("fence-ttl", long2d).acquireAsync(Duration.ofSeconds(30));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> servers.all().stream().filter(s -> s.isRunning())
                        .allMatch(s -> Long.valueOf(1).equals(s.command("ZCARD", "{fence-ttl}:waiters"))));
        assertThat(release(Api.SYNC, first)).isTrue();
        Lease second = waiting.get(30, TimeUnit.SECONDS);
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        awaitFenceTtls(fence, t -> t > twoDays - 60_000);
        assertThat(release(Api.SYNC, second)).isTrue();

        // a lock without expiry: the counter does not expire either ('list' finds held locks by it)
        Lease forever = c.lock("fence-ttl", LockOptions.builder().mode(AcquireMode.NO_EXPIRY).build())
                .acquire(Duration.ofSeconds(5));
        awaitFenceTtls(fence, t -> t == -1L);
        assertThat(c.list("fence-*", "")).extracting(LockInfo::name).containsExactly("fence-ttl");
        assertThat(release(Api.SYNC, forever)).isTrue();
        awaitFenceTtls(fence, t -> t > day - 60_000 && t <= day); // released: the counter gets its day back

        // a counter that expired is drawn afresh from the server clock: still above every earlier token
        for (RedisServer s : servers.all()) {
            s.command("DEL", fence);
        }
        try (Lease third = c.lock("fence-ttl").acquire(Duration.ofSeconds(5))) {
            assertThat(third.fencingToken()).isGreaterThan(forever.fencingToken());
            awaitFenceTtls(fence, t -> t > day - 60_000 && t <= day);
        }
    }

    @Test
    void aCounterLeftWithoutExpiryWhereTheLockKeyIsGoneGetsItsDayBackOnReleaseAndForcedRelease() throws Exception {
        long day = Duration.ofDays(1).toMillis();
        LockClient c = client();
        LockOptions forever = LockOptions.builder().mode(AcquireMode.NO_EXPIRY).build();
        String fence = "{fence-gone}:fence";
        RedisServer first = servers.all().get(0);
        for (boolean force : new boolean[] {false, true}) {
            Lease held = c.lock("fence-gone", forever).acquire(Duration.ofSeconds(5));
            awaitFenceTtls(fence, t -> t == -1L);
            // as on a node that took the Redlock write-back but never held the lock: a persistent counter, no key
            first.command("DEL", "fence-gone");
            first.command("SET", fence, "1");
            if (force) {
                assertThat(c.forceRelease("fence-gone", "")).isEqualTo(nodes() - 1);
            } else {
                assertThat(release(Api.SYNC, held)).isEqualTo(nodes() > 1);
            }
            awaitFenceTtls(fence, t -> t > day - 60_000 && t <= day);
            assertThat((Long) first.command("PTTL", fence)).isBetween(day - 60_000, day);
        }
    }

    /** Waits (bounded) until a majority of nodes have the counter and every one's PTTL matches. */
    private void awaitFenceTtls(String key, java.util.function.LongPredicate ok) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(fenceTtls(key))
                .hasSizeGreaterThanOrEqualTo(majority()).allMatch(ok::test));
    }

    /** The fencing counter's PTTL on every running node that has one (-1: no expiry). */
    private List<Long> fenceTtls(String key) {
        List<Long> ttls = new ArrayList<>();
        for (RedisServer s : servers.all()) {
            if (s.isRunning() && !s.isPaused()) {
                long ttl = (Long) s.command("PTTL", key);
                if (ttl != -2L) {
                    ttls.add(ttl);
                }
            }
        }
        return ttls;
    }

    @Test
    void releaseNeverDeletesAnotherOwnersLock() throws Exception {
        LockClient a = client();
        LockClient b = client();
        LockOptions shortLease = LockOptions.builder().lease(Duration.ofMillis(200)).autoRenew(false).build();
        Lease first = a.lock("contract-stale", shortLease).acquire(Duration.ofSeconds(5));
        Lease second = b.lock("contract-stale").acquire(TestTimeouts.scaled(Duration.ofSeconds(10)));
        assertThat(first.isHeld()).isFalse();
        assertThat(first.release()).as("releasing an expired lease reports it").isFalse();
        assertThat(nodesHolding("contract-stale", second.token())).isGreaterThanOrEqualTo(majority());
        assertThat(second.isHeld()).isTrue();
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        assertThatThrownBy(first::close).isInstanceOf(LockLostException.class).hasMessageContaining("contract-stale");
        assertThatThrownBy(() -> first.extend(Duration.ofSeconds(1))).isInstanceOf(LockLostException.class);
        second.close();
    }

    @Test
    void autoRenewalKeepsTheLockThreeLeasesLong() throws Exception {
        LockClient a = client();
        LockClient b = client();
        LockOptions opts = LockOptions.builder().lease(Duration.ofMillis(900)).build();
        try (Lease lease = a.lock("contract-renew", opts).acquire(Duration.ofSeconds(5))) {
            CompletableFuture<LeaseLostEvent> lost = lease.lost();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2700);
            int checks = 0;
            while (System.nanoTime() < end && checks < 200) {
                assertThat(b.lock("contract-renew", opts).tryAcquire()).isEmpty();
                Thread.sleep(100);
                checks++;
            }
            assertThat(lease.isHeld()).isTrue();
            assertThat(lost).isNotDone();
            assertThat(nodesHolding("contract-renew", lease.token())).isGreaterThanOrEqualTo(majority());
        }
    }

    @Test
    void lostLeaseIsSignalledWhenTheKeyIsDeletedBehindTheHoldersBack() throws Exception {
        LockClient a = client();
        LockOptions opts = LockOptions.builder().lease(Duration.ofMillis(600)).build();
        Lease lease = a.lock("contract-deleted", opts).acquire(Duration.ofSeconds(5));
        AtomicInteger listenerCalls = new AtomicInteger();
        lease.onLost(e -> listenerCalls.incrementAndGet());
        for (RedisServer s : servers.all()) {
            s.command("DEL", "contract-deleted");
        }
        LeaseLostEvent ev = lease.lost().get(TestTimeouts.scaled(Duration.ofSeconds(5)).toMillis(), TimeUnit.MILLISECONDS);
        assertThat(ev.reason()).isEqualTo(LeaseLostEvent.Reason.NOT_OWNER);
        assertThat(ev.name()).isEqualTo("contract-deleted");
        assertThat(lease.isHeld()).isFalse();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> listenerCalls.get() == 1);
        assertThat(lease.release()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void waiterWakesOnReleaseWithoutPolling(Api api) throws Exception {
        LockClient a = client();
        LockClient b = client();
        // a retry delay far longer than the test: only the release notification can wake the waiter in time
        LockOptions patient = LockOptions.builder()
                .retry(RetryPolicy.builder().initialDelay(Duration.ofSeconds(60)).maxDelay(Duration.ofSeconds(60)).build())
                .build();
        Lease held = a.lock("contract-wake").acquire(Duration.ofSeconds(5));
        for (RedisServer s : servers.all()) {
            s.resetStats();
        }
        CompletableFuture<Lease> waiter = b.lock("contract-wake", patient).acquireAsync(Duration.ofSeconds(100));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> servers.get(0).commandCalls().getOrDefault("evalsha", 0L)
                        + servers.get(0).commandCalls().getOrDefault("eval", 0L) >= 1);
        Thread.sleep(300); // a polling waiter would show more attempts here
        assertThat(release(api, held)).isTrue();
        Lease got = waiter.get(TestTimeouts.scaled(Duration.ofSeconds(20)).toMillis(), TimeUnit.MILLISECONDS);
        assertThat(got.isHeld()).isTrue();
        // per node: 1 failed attempt + 1 release + 1 successful attempt. Redlock retries once a majority
        // reported the release; under load a node may not have processed it yet, which costs at most one more
        // wake-driven round (attempt + cleanup). A polling waiter would show dozens here.
        java.util.Map<String, Long> calls = servers.get(0).commandCalls();
        assertThat(calls.getOrDefault("evalsha", 0L) + calls.getOrDefault("eval", 0L))
                .isLessThanOrEqualTo(nodes() == 1 ? 3L : 6L);
        got.close();
    }

    @Test
    void javaLockAdapterIsReentrantPerThreadAndExclusiveAcrossClients() throws Exception {
        LockClient a = client();
        LockClient b = client();
        java.util.concurrent.locks.Lock la = a.lock("contract-juc").asJavaLock();
        java.util.concurrent.locks.Lock lb = b.lock("contract-juc").asJavaLock();
        la.lock();
        la.lock();
        assertThat(lb.tryLock()).isFalse();
        CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
            try {
                la.unlock();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertThat(other.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalMonitorStateException.class);
        la.unlock();
        assertThat(lb.tryLock()).as("still held after one of two unlocks").isFalse();
        la.unlock();
        assertThat(lb.tryLock(5, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(la::newCondition).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(la::unlock).isInstanceOf(IllegalMonitorStateException.class);
        lb.unlock();
    }

    @Test
    void javaLockReentrancyHoldsAcrossHandlesOfOneNameOnOneClient() throws Exception {
        LockClient c = client();
        java.util.concurrent.locks.Lock first = c.lock("contract-juc-handles").asJavaLock();
        java.util.concurrent.locks.Lock second = c.lock("contract-juc-handles").asJavaLock();
        first.lock();
        // the same thread through another handle re-enters (it would otherwise wait for its own lease)
        assertThat(second.tryLock(300, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(second.tryLock()).isTrue();
        second.unlock();
        second.unlock();
        assertThat(((io.redislock.juc.RedisJavaLock) first).isHeldByCurrentThread()).isTrue();
        // other threads stay excluded, through either handle, until the last unlock
        assertThat(CompletableFuture.supplyAsync(second::tryLock).get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(CompletableFuture.supplyAsync(() -> {
            try {
                second.unlock();
                return "unlocked";
            } catch (IllegalMonitorStateException e) {
                return "refused";
            }
        }).get(10, TimeUnit.SECONDS)).isEqualTo("refused");
        first.unlock();
        assertThat(CompletableFuture.supplyAsync(() -> {
            boolean ok = second.tryLock();
            if (ok) {
                second.unlock();
            }
            return ok;
        }).get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void javaLockHoldsOfTwoThreadsOnOneNameStaySeparateAfterALostLease() throws Exception {
        LockClient c = client();
        java.util.concurrent.locks.Lock first = c.lock("contract-juc-lost").asJavaLock();
        java.util.concurrent.locks.Lock second = c.lock("contract-juc-lost").asJavaLock();
        first.lock(); // this thread
        c.forceRelease("contract-juc-lost", ""); // its lease is lost behind its back
        // another thread takes the free lock through the other handle, and keeps it a while
        java.util.concurrent.CountDownLatch taken = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread other = new Thread(() -> {
            second.lock();
            taken.countDown();
            try {
                done.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                second.unlock();
            }
        });
        other.start();
        assertThat(taken.await(20, TimeUnit.SECONDS)).isTrue();
        // this thread's unlock is its own: it learns that its lease was lost, and frees its handle
        assertThatThrownBy(first::unlock).isInstanceOf(LockLostException.class);
        done.countDown();
        other.join(20_000);
        assertThat(CompletableFuture.supplyAsync(() -> {
            try {
                boolean ok = first.tryLock(5, TimeUnit.SECONDS);
                if (ok) {
                    first.unlock();
                }
                return ok;
            } catch (InterruptedException e) {
                return false;
            }
        }).get(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void cancelledWaitLeavesNothingHeld() throws Exception {
        LockClient a = client();
        LockClient b = client();
        Lease held = a.lock("contract-cancel").acquire(Duration.ofSeconds(5));
        CompletableFuture<Lease> waiter = b.lock("contract-cancel").acquireAsync(Duration.ofSeconds(60));
        Thread.sleep(100);
        waiter.cancel(true);
        held.close();
        // a cancelled waiter may still have been woken (and the lock reserved for it for the hand-off time)
        try (Lease again = a.lock("contract-cancel").acquire(Duration.ofSeconds(5))) {
            assertThat(again.isHeld()).isTrue();
        }
    }

    @Test
    void anAutoRenewedLeaseCannotBeExtendedBelowTheRenewableMinimum() throws Exception {
        Lease lease = client().lock("contract-short-extend").acquire(Duration.ofSeconds(5));
        assertThatThrownBy(() -> lease.extend(Duration.ofMillis(20)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too short for auto-renewal");
        assertThat(lease.isHeld()).isTrue();
        assertThat(lease.release()).isTrue();
    }

    @Test
    void aWaitTheCallerEndsWithoutCancellingLeavesNothingHeld() throws Exception {
        LockClient a = client();
        LockClient b = client();
        for (String how : List.of("orTimeout", "completeExceptionally", "complete")) {
            String name = "contract-abandon-" + how;
            Lease held = a.lock(name).acquire(Duration.ofSeconds(5));
            CompletableFuture<Lease> waiter = b.lock(name).acquireAsync(Duration.ofSeconds(60));
            switch (how) {
                case "orTimeout" -> waiter.orTimeout(100, TimeUnit.MILLISECONDS);
                case "completeExceptionally" -> waiter.completeExceptionally(new IllegalStateException("gave up"));
                default -> waiter.complete(null);
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(waiter::isDone);
            held.close();
            // nobody can reach a lease granted to that wait: it is not kept (and renewed) for it
            try (Lease again = a.lock(name).acquire(TestTimeouts.scaled(Duration.ofSeconds(10)))) {
                assertThat(again.isHeld()).as(how).isTrue();
            }
        }
    }

    @Test
    void hugeWaitsWaitForTheLockInsteadOfOverflowing() throws Exception {
        LockClient a = client();
        LockClient b = client();
        Lease held = a.lock("contract-huge-wait").acquire(Duration.ofSeconds(5));
        CompletableFuture<Boolean> viaJavaLock = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            java.util.concurrent.locks.Lock l = b.lock("contract-huge-wait").asJavaLock();
            try {
                boolean ok = l.tryLock(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
                if (ok) {
                    l.unlock();
                }
                viaJavaLock.complete(ok);
            } catch (Throwable e) {
                viaJavaLock.completeExceptionally(e);
            }
        });
        t.start();
        CompletableFuture<Boolean> forever = b.lock("contract-huge-wait").acquireAsync(Duration.ofSeconds(Long.MAX_VALUE))
                .thenApply(l -> {
                    l.close(); // the other waiter gets its turn
                    return true;
                });
        // both keep waiting while the lock is held (they used to give up at once)
        org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> !viaJavaLock.isDone() && !forever.isDone());
        held.close();
        assertThat(viaJavaLock.get(20, TimeUnit.SECONDS)).isTrue();
        assertThat(forever.get(20, TimeUnit.SECONDS)).isTrue();
        t.join(5_000);
    }

    @Test
    void cancellingAfterTheGrantButBeforeTheCallerGotTheLeaseGivesTheLockBack() throws Exception {
        // callbacks wait behind a gate, so the lock is granted in Redis while the caller's future is pending
        java.util.concurrent.BlockingQueue<Runnable> gate = new java.util.concurrent.LinkedBlockingQueue<>();
        LockClient c = client(LockClientOptions.builder().uris(servers.uris()).callbackExecutor(gate::add));
        LockClient other = client();
        CompletableFuture<Lease> acquiring = c.lock("contract-late-cancel").acquireAsync(Duration.ofSeconds(5));
        CompletableFuture<Optional<Lease>> trying = c.lock("contract-late-cancel-try").tryAcquireAsync();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                other.status("contract-late-cancel", "").held() && other.status("contract-late-cancel-try", "").held());
        assertThat(acquiring.cancel(true)).isTrue();
        assertThat(trying.cancel(true)).isTrue();
        for (Runnable r = gate.poll(); r != null; r = gate.poll()) {
            r.run();
        }
        // nobody has a handle on those leases: they are released, not kept and renewed
        try (Lease a = other.lock("contract-late-cancel").acquire(Duration.ofSeconds(5));
                Lease b = other.lock("contract-late-cancel-try").acquire(Duration.ofSeconds(5))) {
            assertThat(a.isHeld()).isTrue();
            assertThat(b.isHeld()).isTrue();
        }
    }

    @Test
    void interruptedAcquireThrowsInterruptedExceptionAndHoldsNothing() throws Exception {
        LockClient a = client();
        LockClient b = client();
        Lease held = a.lock("contract-interrupt").acquire(Duration.ofSeconds(5));
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                b.lock("contract-interrupt").acquire(Duration.ofSeconds(60));
                result.complete(null);
            } catch (Throwable e) {
                result.complete(e);
            }
        });
        t.start();
        Thread.sleep(200);
        t.interrupt();
        assertThat(result.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        held.close();
        // a cancelled waiter may still have been woken (and the lock reserved for it for the hand-off time)
        try (Lease again = a.lock("contract-interrupt").acquire(Duration.ofSeconds(5))) {
            assertThat(again.isHeld()).isTrue();
        }
    }
}
