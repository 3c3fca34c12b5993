package io.redislock.internal;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import io.redislock.DistributedLock;
import io.redislock.LockClientOptions;
import io.redislock.LockException;
import io.redislock.LockOptions;
import io.redislock.LockUnavailableException;
import io.redislock.Ticker;
import io.redislock.redlock.QuorumNotReachedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one lock algorithm, over N ≥ 1 independent Redis nodes: N = 1 is the single-instance lease, N ≥ 3
 * is Redlock. Every operation is sent to all nodes in parallel and decided by a majority.
 */
public final class LockEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LockEngine.class);
    private static final long FIXED_DRIFT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    final List<RedisNode> nodes;
    final int quorum;
    /** Fencing floor mode for the scripts: always at TIME on one node; only for a lost counter under Redlock. */
    final String floorArg;
    final LockClientOptions options;
    final Ticker ticker;
    final Executor callbacks;
    private final java.util.concurrent.ExecutorService ownCallbacks;
    final Clockwork clock;
    final Tokens tokens = new Tokens();
    final String wakeChannel;
    final Map<String, AcquireOp> waiters = new ConcurrentHashMap<>();
    final Set<LeaseImpl> live = ConcurrentHashMap.newKeySet();
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** Per lock key, per node: this client's releases and cleanups still under way, which later rounds follow. */
    private final Map<String, List<CompletableFuture<?>>> releasing = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<?>> pendingCleanups = ConcurrentHashMap.newKeySet();
    private final AtomicLong maxLeaseNanos = new AtomicLong();
    private final ClientResources resources;
    private io.netty.util.HashedWheelTimer ownTimer;
    private volatile boolean closed;

    private LockEngine(LockClientOptions options, ClientResources resources, List<RedisClient> clients,
            List<RedisURI> uris, boolean ownsClients) {
        this.options = options;
        this.ticker = options.ticker();
        if (options.callbackExecutor() != null) {
            this.callbacks = options.callbackExecutor();
            this.ownCallbacks = null;
        } else {
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            this.ownCallbacks = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "redislock-callback-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.callbacks = ownCallbacks;
        }
        this.resources = resources;
        this.wakeChannel = "redislock:wake:" + tokens.clientId;
        this.clock = new Clockwork(ticker, "redislock-clock-" + tokens.clientId.substring(0, 6));
        List<RedisNode> list = new ArrayList<>();
        for (int i = 0; i < uris.size(); i++) {
            final int idx = i;
            list.add(new RedisNode(i, clients.get(i), ownsClients, uris.get(i), options.commandTimeout(), ticker,
                    wakeChannel, (channel, message) -> onMessage(idx, message)));
        }
        this.nodes = List.copyOf(list);
        this.quorum = nodes.size() / 2 + 1;
        this.floorArg = nodes.size() == 1 ? "1" : "0";
        if (nodes.size() > 1 && nodes.size() % 2 == 0) {
            LOG.warn("redislock: {} Redis nodes is an even number; a majority is {}, so an odd count tolerates the"
                    + " same failures with one node less", nodes.size(), quorum);
        }
        for (RedisNode n : nodes) {
            n.start();
        }
    }

    /**
     * Creates an engine that owns its Lettuce clients.
     *
     * @param options the client options
     * @return the engine
     */
    public static LockEngine create(LockClientOptions options) {
        // round and command timeouts: a 10 ms tick bounds their lateness and the idle wake-ups (100/s)
        io.netty.util.HashedWheelTimer timer = new io.netty.util.HashedWheelTimer(r -> {
            Thread t = new Thread(r, "redislock-timer");
            t.setDaemon(true);
            return t;
        }, 10, TimeUnit.MILLISECONDS);
        ClientResources res = DefaultClientResources.builder()
                .timer(timer)
                // one I/O thread per node up to 4, but no more than the cores: on 2 cores, 4 threads for 5
                // nodes measured 14% slower than 2 (context switches)
                .ioThreadPoolSize(Math.max(2, Math.min(Math.min(4, Runtime.getRuntime().availableProcessors()),
                        options.uris().size())))
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        ClientOptions co = ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(options.connectTimeout())
                        .keepAlive(true)
                        .tcpNoDelay(true)
                        .build())
                .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
                .build();
        List<RedisClient> clients = new ArrayList<>();
        List<RedisURI> uris = new ArrayList<>();
        for (String u : options.uris()) {
            RedisURI uri = Uris.toRedisUri(u);
            if (options.password() != null && !Uris.hasUserInfo(u)) {
                uri = RedisURI.builder(uri).withPassword(options.password().toCharArray()).build();
            }
            uri.setTimeout(options.commandTimeout());
            RedisClient c = RedisClient.create(res, uri);
            c.setOptions(co);
            clients.add(c);
            uris.add(uri);
        }
        LockEngine e = new LockEngine(options, res, clients, uris, true);
        e.ownTimer = timer;
        return e;
    }

    /**
     * Creates an engine on an existing Lettuce client (single node); the client is not shut down on close.
     *
     * @param client the client
     * @param uri the server to use
     * @param options the client options (its URIs are ignored)
     * @return the engine
     */
    public static LockEngine wrap(RedisClient client, RedisURI uri, LockClientOptions options) {
        return new LockEngine(options, null, List.of(client), List.of(uri), false);
    }

    /**
     * A handle for one lock.
     *
     * @param name the lock name
     * @param opts its options
     * @return the handle
     */
    public DistributedLock lock(String name, LockOptions opts) {
        ensureOpen();
        Keys.checkName(name);
        java.util.Objects.requireNonNull(opts, "options must not be null");
        maxLeaseNanos.accumulateAndGet(opts.lease().toNanos(), Math::max);
        return new LockImpl(this, name, opts);
    }

    /**
     * A copy of {@code f} completed on the callback executor.
     *
     * @param <T> the value type
     * @param f an internal future
     * @return the future for the caller
     */
    public <T> CompletableFuture<T> onCallbacks(CompletableFuture<T> f) {
        return Futures.on(f, callbacks);
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the LockClient is closed");
        }
    }

    /** @return how many nodes */
    public int nodeCount() {
        return nodes.size();
    }

    /** @return the majority */
    public int quorum() {
        return quorum;
    }

    /** @return the operator commands (status, list, forced release) on this engine's nodes */
    public Admin admin() {
        return new Admin(this);
    }

    /**
     * The validity deadline of a grant: {@code start + lease - drift}, drift = {@code lease × driftFactor +
     * 2 ms}, where {@code start} was read from the monotonic clock before the first request was sent.
     *
     * @param startNanos ticker reading before the first request
     * @param leaseNanos the lease
     * @param driftFactor the clock drift allowance per unit of lease
     * @return the deadline on the same ticker
     */
    public static long validUntil(long startNanos, long leaseNanos, double driftFactor) {
        return startNanos + leaseNanos - ((long) (leaseNanos * driftFactor) + FIXED_DRIFT_NANOS);
    }

    /** Per-node timeout of one round: the command timeout for one node, small relative to the lease for several. */
    long roundTimeoutNanos(long leaseNanos) {
        long cmd = options.commandTimeout().toNanos();
        if (nodes.size() == 1) {
            return cmd;
        }
        int ready = 0;
        boolean connecting = false;
        for (RedisNode n : nodes) {
            if (n.connected()) {
                ready++;
            } else {
                connecting |= n.connecting();
            }
        }
        if (ready < quorum && connecting) {
            // a fresh client's first round includes TCP connect, HELLO and script loading: without a
            // majority connected yet, give it the connect timeout rather than the short per-node one
            return Math.max(cmd, options.connectTimeout().toNanos());
        }
        return nodeTimeoutNanos(leaseNanos);
    }

    /** The per-node timeout of a round on connected nodes: {@code min(nodeTimeout, lease / 5)}, at least 5 ms. */
    private long nodeTimeoutNanos(long leaseNanos) {
        long t = Math.min(options.nodeTimeout().toNanos(), leaseNanos / 5);
        return Math.max(t, TimeUnit.MILLISECONDS.toNanos(5));
    }

    /** Whether a node's grant counts: always, or under the delayed-restart rule once it is up a lease. */
    boolean trusted(RedisNode n) {
        return !options.enforceDelayedRestart() || n.upAtLeast(maxLeaseNanos.get());
    }

    /**
     * A release message: {@code "<token>"} (woken) or {@code "<token> <fencing token> <lock key>"} (the
     * lock was handed to that waiter).
     */
    private void onMessage(int node, String message) {
        String[] parts = message.split(" ", 3);
        String token = parts[0];
        long fence = -1;
        if (parts.length >= 2) {
            try {
                fence = Long.parseLong(parts[1]);
            } catch (NumberFormatException e) {
                fence = -1;
            }
        }
        AcquireOp op = waiters.get(token);
        if (op != null) {
            op.wake(fence);
        } else if (fence >= 0 && parts.length == 3 && !closed && !holds(token)) {
            // (a granted acquisition enters `live` before it leaves `waiters`, so this is not one)
            handBack(nodes.get(node), parts[2], token);
        }
    }

    /**
     * A release handed the lock to a waiter of this client that is no longer waiting (its wait ended but
     * its queue entry stayed, e.g. because Redis was unreachable when it left): pass the lock on at once
     * rather than let it sit unused until its lease runs out. The script only acts while the key still
     * holds that token.
     */
    private void handBack(RedisNode n, String key, String token) {
        String[] keys = Keys.of("", key);
        String[] args = {token, "", "1", "0", floorArg};
        track(n.<Long>eval(Script.RELEASE, keys, args)).whenComplete((r, e) -> {
            if (e != null) {
                LOG.debug("redislock: passing on a lock handed to a finished wait on {} failed: {}", n.display,
                        e.toString());
            } else if (Long.valueOf(1L).equals(r)) {
                LOG.debug("redislock: passed on lock key '{}', handed to a wait that had already ended", key);
            }
        });
    }

    /** @return whether a live lease of this client has {@code token} */
    private boolean holds(String token) {
        for (LeaseImpl l : live) {
            if (l.token().equals(token)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Completes when every node's wake-up subscription has settled (or failed), at the latest after
     * {@code boundNanos}: a node whose subscription hangs must not slow every waiting acquisition, and a
     * wake-up it misses is covered by the backoff retries.
     */
    CompletableFuture<Void> subscriptionsSettled(long boundNanos) {
        CompletableFuture<?>[] fs = new CompletableFuture<?>[nodes.size()];
        boolean allDone = true;
        for (int i = 0; i < fs.length; i++) {
            fs[i] = nodes.get(i).ensureSubscribed();
            allDone &= fs[i].isDone();
        }
        if (allDone) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.allOf(fs)
                .handle((v, e) -> (Void) null)
                .completeOnTimeout(null, boundNanos, TimeUnit.NANOSECONDS);
    }

    // ---- acquisition ----

    /**
     * One acquisition round on all nodes.
     *
     * @param score the waiter's queue score, the same on every node ("" = the server's time: one node)
     * @param deadline the end of the caller's wait on the ticker ({@link Long#MAX_VALUE}: none); a round
     *     ends by then, or after the per-node timeout if that is later, so that unreachable nodes make the
     *     acquisition fail within its wait
     */
    CompletableFuture<Attempt> attempt(
            LockImpl l, String token, String member, String score, long keepMs, long deadline) {
        long leaseNanos = l.leaseNanos();
        long start = ticker.nanos();
        String[] args = {token, l.leaseArg(), member, Long.toString(keepMs), floorArg, score};
        long timeout = roundTimeoutNanos(leaseNanos);
        if (deadline != Long.MAX_VALUE) {
            timeout = Math.min(timeout, Math.max(nodeTimeoutNanos(leaseNanos), deadline - start));
        }
        // a fair hand-off waiter confirms a hand-over only once its current round is over: such a round
        // must not wait out a hung node once a majority refused. Waits without fair hand-off keep the old
        // rule on purpose: their waiters take free shares by racing (SET NX), not in queue order, and a
        // round that waits out a hung node keeps its waiter from racing meanwhile. Deciding their rounds
        // early, with one node at a time SIGSTOPped, doubled the rounds per grant (37 against 19 scripts),
        // left the nodes split between waiters in 60% instead of 25% of samples, and cut 150-180 to 50-70
        // grants/s (6 clients, 5 nodes).
        boolean fairWait = !member.isEmpty() && "1".equals(l.grantArg());
        return Fanout.<List<Object>>start(nodes, quorum, timeout, n -> n.evalRaw(Script.ACQUIRE, l.keys, args),
                        (n, r) -> isOne(r.get(0)) && trusted(n), releasing.get(l.keys[0]), fairWait)
                .done()
                .thenCompose(f -> decide(l, token, member, score, keepMs, f, start));
    }

    private CompletableFuture<Attempt> decide(
            LockImpl l, String token, String member, String score, long keepMs, Fanout<List<Object>> f, long start) {
        if (!f.reached()) {
            int ignored = ignoredGrants(f);
            if (ignored > 0) {
                // a grant that did not count (too young a node) is given back without handing it over
                cleanupWhereGranted(l, token, f, new String[] {token, "", "0", "0", floorArg});
            } else if (nodes.size() > 1) {
                // a split vote (a majority answered): a waiter keeps an expiring share unless an older
                // waiter is queued there (see release.lua), for at most two retry intervals unless its next
                // round renews it. A waiter that cannot reach a majority keeps nothing: it must not hold up
                // the waiters that can.
                long cap = Math.max(1000, 2 * l.options().retry().maxDelay().toMillis());
                cleanupWhereGranted(l, token, f, member.isEmpty() || !l.expiring() || f.answered() < quorum
                        ? new String[] {token, "", l.grantArg(), "0", floorArg}
                        : new String[] {token, "", l.grantArg(), "0", floorArg, member, score, Long.toString(keepMs),
                            Long.toString(cap)});
            }
            return CompletableFuture.completedFuture(failed(f, start));
        }
        long fence = 0;
        int atMax = 0;
        for (int i = 0; i < nodes.size(); i++) {
            if (f.state(i) == Fanout.State.YES) {
                long v = toLong(f.reply(i).get(1));
                if (v > fence) {
                    fence = v;
                    atMax = 1;
                } else if (v == fence) {
                    atMax++;
                }
            }
        }
        if (!member.isEmpty()) {
            leaveWhereRefused(l, member, f);
        }
        if (!stillValid(l, start)) {
            leave(l, token, "", f.raw());
            return CompletableFuture.completedFuture(
                    new Attempt(false, 0, start, false, 0, f.answered(), 0, List.of(), f.raw(), true));
        }
        if (atMax >= quorum) {
            return CompletableFuture.completedFuture(Attempt.granted(fence, start, f.answered(), f.raw()));
        }
        return writeBackFence(l, token, f, fence, atMax, start);
    }

    /**
     * Redlock fencing: raise the counter on enough nodes that a majority holds at least {@code fence}; any
     * later majority intersects it, so the next token is larger.
     */
    private CompletableFuture<Attempt> writeBackFence(
            LockImpl l, String token, Fanout<List<Object>> f, long fence, int atMax, long start) {
        List<RedisNode> others = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            boolean isMax = f.state(i) == Fanout.State.YES && toLong(f.reply(i).get(1)) == fence;
            if (!isMax) {
                others.add(nodes.get(i));
            }
        }
        String[] fenceKey = {l.keys[1]};
        String arg = Long.toString(fence);
        long timeout = roundTimeoutNanos(l.leaseNanos());
        return Fanout.<Long>run(others, quorum - atMax, timeout, n -> n.evalRaw(Script.FENCE, fenceKey, arg),
                        (n, r) -> r != null && r >= fence)
                .thenApply(w -> {
                    if (w.reached() && stillValid(l, start)) {
                        return Attempt.granted(fence, start, f.answered(), f.raw());
                    }
                    leave(l, token, "", f.raw());
                    if (w.reached()) { // written back, but too late
                        return new Attempt(false, 0, start, false, 0, f.answered(), 0, List.of(), f.raw(), true);
                    }
                    // too few nodes took the write-back: as good as too few answering (not "held elsewhere")
                    return new Attempt(false, 0, start, false, 0, atMax + w.yes(), 0, w.errorList(), f.raw(), false);
                });
    }

    private boolean stillValid(LockImpl l, long start) {
        if (!l.expiring()) {
            return true;
        }
        return ticker.nanos() < validUntil(l.leaseNanos(), start);
    }

    long validUntil(long leaseNanos, long start) {
        return validUntil(start, leaseNanos, options.driftFactor());
    }

    /** @return how many nodes granted but were not counted (restarted too recently: delayed-restart rule) */
    private int ignoredGrants(Fanout<List<Object>> f) {
        int n = 0;
        for (int i = 0; i < nodes.size(); i++) {
            if (f.state(i) == Fanout.State.NO && isOne(f.reply(i).get(0))) {
                n++;
            }
        }
        return n;
    }

    private Attempt failed(Fanout<List<Object>> f, long start) {
        boolean held = false;
        long ttl = Long.MAX_VALUE;
        List<Throwable> errors = new ArrayList<>(f.errorList());
        int ignored = 0;
        for (int i = 0; i < nodes.size(); i++) {
            Fanout.State s = f.state(i);
            if (s == Fanout.State.NO) {
                List<Object> r = f.reply(i);
                if (isOne(r.get(0))) {
                    // a grant that does not count: the node is too young (it was released again above)
                    ignored++;
                    errors.add(new LockUnavailableException(nodes.get(i).tooYoung(maxLeaseNanos.get()), null));
                } else {
                    held = true;
                    long t = toLong(r.get(1));
                    if (t == -2) {
                        t = 0;
                    }
                    if (t >= 0 && t < ttl) {
                        ttl = t;
                    }
                }
            }
        }
        return new Attempt(false, 0, start, held, ttl == Long.MAX_VALUE ? -1 : ttl, f.answered() - ignored, f.yes(), errors,
                f.raw(), false);
    }

    /**
     * Releases a failed round's partial grants: on every node that granted, timed out or failed (its
     * grant may have happened); nodes that answered "held by another owner" granted nothing. Like any
     * release, each hands its share to that node's oldest waiter (fair hand-off). After a split vote (a
     * majority answered), a waiter keeps its share where no older waiter is queued, and queues where it
     * gives its share away: the oldest waiter then gathers the shares of the split instead of each node
     * handing its share to a different waiter, round after round.
     *
     * @param args release.lua's arguments
     */
    private void cleanupWhereGranted(LockImpl l, String token, Fanout<List<Object>> f, String[] args) {
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Fanout.State s = f.state(i);
            if (s == Fanout.State.NO && !isOne(f.reply(i).get(0))) {
                calls.add(null);
                continue;
            }
            calls.add(releaseAfter(l, nodes.get(i), f.raw().get(i), args));
        }
        orderAfter(l.keys[0], calls);
    }

    /** A release script on one node, sent once {@code prev} (an earlier call there) completed. */
    private CompletableFuture<Long> releaseAfter(LockImpl l, RedisNode n, CompletableFuture<?> prev, String[] args) {
        // unbounded here (Lettuce's command timeout ends it): later calls are ordered after its reply
        CompletableFuture<Long> call = prev.handle((r, e) -> null).thenCompose(x -> n.<Long>evalRaw(Script.RELEASE, l.keys, args));
        track(call).whenComplete((r, e) -> {
            if (e != null) {
                LOG.debug("redislock: cleanup of lock '{}' on {} failed: {}", l.name(), n.display, e.toString());
            }
        });
        return call;
    }

    /**
     * Orders this client's later calls on a lock, per node, after {@code calls} (one per node; null where
     * nothing was sent). A release or cleanup that waits for an earlier call's reply on a slow node must not
     * be overtaken there by a later round: the round would be refused, or, with the same token, granted and
     * then undone by the cleanup behind it.
     */
    private void orderAfter(String key, List<CompletableFuture<?>> calls) {
        List<CompletableFuture<?>> merged = releasing.compute(key, (k, old) -> {
            List<CompletableFuture<?>> m = new ArrayList<>(nodes.size());
            for (int i = 0; i < nodes.size(); i++) {
                CompletableFuture<?> c = calls.get(i);
                CompletableFuture<?> o = old == null || old.get(i).isDone() ? null : old.get(i);
                if (c == null) {
                    m.add(o == null ? DONE : o);
                } else if (o == null) {
                    m.add(c);
                } else {
                    m.add(CompletableFuture.allOf(o.handle((r, e) -> null), c.handle((r, e) -> null)));
                }
            }
            return m;
        });
        CompletableFuture.allOf(merged.toArray(new CompletableFuture<?>[0]))
                .handle((v, e) -> releasing.remove(key, merged));
    }

    /**
     * After a grant by a majority: leave the waiter queue on every node that did not vote yes (a refusal
     * queued us; a late or timed-out call may still do so, hence the ordering after its raw call). The
     * token is not passed, so a late grant on such a node stays ours until release.
     */
    private void leaveWhereRefused(LockImpl l, String member, Fanout<List<Object>> f) {
        String[] args = {"", member, "0", "0", floorArg};
        for (int i = 0; i < nodes.size(); i++) {
            if (f.state(i) != Fanout.State.YES) {
                RedisNode n = nodes.get(i);
                track(f.raw().get(i).handle((r, e) -> null).thenCompose(x -> n.<Long>eval(Script.RELEASE, l.keys, args)));
            }
        }
    }

    /** Leaves the waiter queue on every node (passing on a reservation) and deletes the key if it holds our token. */
    void leave(LockImpl l, String token, String member, List<CompletableFuture<?>> after) {
        String[] args = {token, member, l.grantArg(), "0", floorArg};
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            calls.add(releaseAfter(l, nodes.get(i), after == null ? DONE : after.get(i), args));
        }
        orderAfter(l.keys[0], calls);
    }

    /** Remembers a fire-and-forget cleanup until it completes, so that {@link #close()} can wait for it. */
    private <T> CompletableFuture<T> track(CompletableFuture<T> cleanup) {
        pendingCleanups.add(cleanup);
        cleanup.whenComplete((r, e) -> pendingCleanups.remove(cleanup));
        return cleanup;
    }

    String waiterMember(String token, String leaseArg) {
        return wakeChannel + " " + token + " " + leaseArg;
    }

    RuntimeException unavailable(LockImpl l, Attempt a, String what) {
        if (a.late()) {
            return new LockUnavailableException(what + " lock '" + l.name() + "': Redis answered too slowly: the grant"
                    + " arrived after the lease's validity ended (lease " + TimeUnit.NANOSECONDS.toMillis(l.leaseNanos())
                    + " ms, less the clock-drift allowance), so it was given back; use a longer lease or check the"
                    + " latency of " + (nodes.size() == 1 ? "Redis at " + nodes.get(0).display : "the Redis nodes"), null);
        }
        if (nodes.size() == 1) {
            Throwable cause = nodes.get(0).explain(a.errors().isEmpty() ? null : a.errors().get(0));
            if (cause instanceof LockUnavailableException young) {
                return new LockUnavailableException(what + " lock '" + l.name() + "': " + young.getMessage(), young);
            }
            if (authenticationFailed(cause)) {
                return new LockUnavailableException(what + " lock '" + l.name() + "': Redis at " + nodes.get(0).display
                        + " refused the credentials (" + describe(rootCause(cause)) + "); check the password", cause);
            }
            return new LockUnavailableException(what + " lock '" + l.name() + "': Redis at " + nodes.get(0).display
                    + " did not answer" + (cause == null ? "" : " (" + describe(cause) + ")")
                    + "; check that it is running and reachable", cause);
        }
        long young = a.errors().stream().filter(e -> e instanceof LockUnavailableException).count();
        String why = young == 0 ? "" : " (" + young + " more restarted less than the longest lease ago, so their grants"
                + " do not count: enforceDelayedRestart)";
        long refused = a.errors().stream().filter(LockEngine::authenticationFailed).count();
        if (refused > 0) {
            why += " (" + refused + " refused the credentials; check the password)";
        }
        QuorumNotReachedException q = new QuorumNotReachedException(what + " lock '" + l.name() + "': only "
                + a.answered() + " of " + nodes.size() + " Redis nodes answered, a majority needs " + quorum + why,
                a.answered(), nodes.size());
        for (Throwable t : a.errors()) {
            q.addSuppressed(t);
        }
        return q;
    }

    /** @return whether Redis rejected the credentials (WRONGPASS, NOAUTH) somewhere in the cause chain */
    static boolean authenticationFailed(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && (m.contains("WRONGPASS") || m.contains("NOAUTH") || m.contains("invalid password"))) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    static String describe(Throwable t) {
        Throwable c = Futures.unwrap(t);
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + Uris.maskText(m));
    }

    // ---- holding ----

    /** Result of a renewal or release round. */
    enum Outcome {
        OK,
        NOT_OWNER,
        UNKNOWN
    }

    /**
     * Compare-and-expire on all nodes.
     *
     * @return OK with the round's start when a majority extended it, NOT_OWNER when a majority can no
     *     longer confirm it, UNKNOWN when too few answered
     */
    CompletableFuture<Outcome> extend(LockImpl l, String token, long leaseNanos, long start) {
        String[] key = {l.keys[0]};
        String[] args = {token, Long.toString(TimeUnit.NANOSECONDS.toMillis(leaseNanos))};
        long timeout = Math.min(roundTimeoutNanos(leaseNanos), Math.max(leaseNanos / 3, 1));
        return Fanout.<Long>run(nodes, quorum, timeout, n -> n.evalRaw(Script.EXTEND, key, args),
                        (n, r) -> r != null && r == 1L)
                .thenApply(f -> outcome(f));
    }

    private Outcome outcome(Fanout<Long> f) {
        if (f.reached()) {
            return Outcome.OK;
        }
        int no = f.answered() - f.yes();
        return no > nodes.size() - quorum ? Outcome.NOT_OWNER : Outcome.UNKNOWN;
    }

    /** Compare-and-delete on all nodes, waking one waiter. */
    CompletableFuture<Outcome> release(LockImpl l, String token, List<CompletableFuture<?>> after) {
        String[] args = {token, "", l.grantArg(), "0", floorArg};
        Fanout<Long> f = Fanout.<Long>start(nodes, quorum, options.commandTimeout().toNanos(),
                n -> n.evalRaw(Script.RELEASE, l.keys, args), (n, r) -> r != null && r == 1L, after, false);
        if (nodes.size() > 1) {
            // a release returns at a majority; on a slower node it may still wait for the grant's reply. This
            // client's next round on the lock is sent after it there, or it would find the old token and refuse
            orderAfter(l.keys[0], f.raw());
        }
        return f.done().thenApply(this::outcome);
    }

    // ---- inspection ----

    static boolean isOne(Object o) {
        return o instanceof Long l && l == 1L;
    }

    static long toLong(Object o) {
        if (o instanceof Long l) {
            return l;
        }
        if (o instanceof String s) {
            return Long.parseLong(s);
        }
        throw new LockException("unexpected reply from Redis: " + o);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (RedisNode n : nodes) {
            n.abandonConnecting();
        }
        List<CompletableFuture<?>> releases = new ArrayList<>();
        for (LeaseImpl lease : List.copyOf(live)) {
            releases.add(lease.closeByClient());
        }
        for (AcquireOp op : List.copyOf(waiters.values())) {
            op.abandon(new IllegalStateException("the LockClient was closed while waiting"));
        }
        releases.addAll(pendingCleanups); // cleanups of failed rounds and abandoned waits still under way
        try {
            CompletableFuture.allOf(releases.toArray(new CompletableFuture<?>[0]))
                    .get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("redislock: releasing leases on close did not finish: {}", e.toString());
        }
        clock.close();
        for (RedisNode n : nodes) {
            try {
                n.close();
            } catch (RuntimeException e) {
                LOG.debug("redislock: closing {} failed: {}", n.display, e.toString());
            }
        }
        if (resources != null) {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
        if (ownTimer != null) {
            ownTimer.stop();
        }
        if (ownCallbacks != null) {
            // let queued callbacks (lost-lease listeners of the released leases) run, then stop
            ownCallbacks.shutdown();
        }
    }
}
