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
import io.redislock.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
    /** No-wait attempts under way (closing the client waits for their rounds). */
    final Set<AcquireOp> tries = ConcurrentHashMap.newKeySet();
    final Set<LeaseImpl> live = ConcurrentHashMap.newKeySet();
    /** Which thread holds which lock through the {@link java.util.concurrent.locks.Lock} adapters. */
    final io.redislock.juc.RedisJavaLock.Holds javaLockHolds = new io.redislock.juc.RedisJavaLock.Holds();
    final CallOrder order;
    final Rounds rounds;
    private final AtomicLong maxLeaseNanos = new AtomicLong();
    private final ClientResources resources;
    private io.netty.util.HashedWheelTimer ownTimer;
    private volatile boolean closed;

    private LockEngine(LockClientOptions options, ClientResources resources, List<RedisClient> clients,
            List<RedisURI> uris, boolean ownsClients) {
        this.options = options;
        this.ticker = options.ticker();
        if (options.callbackExecutor() != null) {
            this.callbacks = Futures.inlineIfRejected(options.callbackExecutor());
            this.ownCallbacks = null;
        } else {
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            this.ownCallbacks = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "redislock-callback-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.callbacks = Futures.inlineIfRejected(ownCallbacks);
        }
        this.resources = resources;
        this.wakeChannel = "redislock:wake:" + tokens.clientId;
        this.clock = new Clockwork(ticker, "redislock-clock-" + tokens.clientId.substring(0, 6));
        List<RedisNode> list = new ArrayList<>();
        for (int i = 0; i < uris.size(); i++) {
            final int idx = i;
            list.add(new RedisNode(i, clients.get(i), ownsClients, uris.get(i), options.commandTimeout(), ticker,
                    wakeChannel, (channel, message) -> onMessage(idx, message), this::retryWaits));
        }
        this.nodes = List.copyOf(list);
        this.quorum = nodes.size() / 2 + 1;
        this.floorArg = nodes.size() == 1 ? "1" : "0";
        this.order = new CallOrder(nodes.size());
        this.rounds = new Rounds(this, order);
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
            String user = options.password() == null ? null : Uris.userWithoutPassword(u);
            if (user != null) {
                // a URI without a password: none at all, or an ACL user with an empty one (redis://user:@host)
                uri = user.isEmpty()
                        ? RedisURI.builder(uri).withPassword(options.password().toCharArray()).build()
                        : RedisURI.builder(uri).withAuthentication(user, options.password().toCharArray()).build();
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

    /** @return whether {@link #close()} has begun */
    boolean isClosed() {
        return closed;
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
    long nodeTimeoutNanos(long leaseNanos) {
        long t = Math.min(options.nodeTimeout().toNanos(), leaseNanos / 5);
        return Math.max(t, TimeUnit.MILLISECONDS.toNanos(5));
    }

    /** Whether a node's grant counts: always, or under the delayed-restart rule once it is up a lease. */
    boolean trusted(RedisNode n) {
        return !options.enforceDelayedRestart() || n.upAtLeast(maxLeaseNanos.get());
    }

    /** Runs a round of every wait now (their node's pub/sub connection is back: release messages may be lost). */
    private void retryWaits() {
        long now = ticker.nanos();
        for (AcquireOp op : List.copyOf(waiters.values())) {
            op.fire(now);
        }
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
            op.wake(node, fence);
            return;
        }
        if (fence < 0 || parts.length != 3 || closed) {
            return;
        }
        LeaseImpl held = liveLease(token);
        if (held == null) {
            // (a granted acquisition enters `live` before it leaves `waiters`, so this is not one)
            handBack(nodes.get(node), parts[2], token);
        } else if (nodes.size() == 1) {
            // a late message of the hand-off that granted it carries its own fencing token; a newer one means
            // a stale queue entry got the lock again after the key was lost (see LeaseImpl#regranted)
            held.regranted(fence);
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
        String[] args = {token, "", "1", "n", floorArg}; // the handed lock may have had no expiry
        order.track(n.<Long>eval(Script.RELEASE, keys, args)).whenComplete((r, e) -> {
            if (e != null) {
                LOG.debug("redislock: passing on a lock handed to a finished wait on {} failed: {}", n.display,
                        e.toString());
            } else if (Long.valueOf(1L).equals(r)) {
                LOG.debug("redislock: passed on lock key '{}', handed to a wait that had already ended", key);
            }
        });
    }

    /** @return whether a live lease of this client has {@code token} */
    private LeaseImpl liveLease(String token) {
        for (LeaseImpl l : live) {
            if (l.token().equals(token)) {
                return l;
            }
        }
        return null;
    }

    /**
     * Completes when every node's wake-up subscription has settled (or failed), or once a majority has and
     * the rest had the per-node timeout more, at the latest after {@code boundNanos}: a node whose
     * subscription hangs must not slow every waiting acquisition (a wake-up needs a majority of the nodes'
     * messages), and a wake-up it misses is covered by the backoff retries.
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
        CompletableFuture<Void> settled = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        long rest = Math.min(boundNanos, options.nodeTimeout().toNanos());
        for (CompletableFuture<?> f : fs) {
            f.whenComplete((v, e) -> {
                int n = done.incrementAndGet();
                if (n == fs.length) {
                    settled.complete(null);
                } else if (n == quorum) {
                    settled.completeOnTimeout(null, rest, TimeUnit.NANOSECONDS);
                }
            });
        }
        return settled.completeOnTimeout(null, boundNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Why renewals and releases cannot get through, when retrying cannot help: the nodes whose connections
     * are down and whose last (re)connect Redis refused for credentials (e.g. the password was changed).
     *
     * @return e.g. "Redis at host:port refused the credentials (...); check the password", or "" if none
     */
    String refusedCredentials() {
        List<RedisNode> refused = nodes.stream().filter(RedisNode::refusingCredentials).toList();
        if (refused.isEmpty()) {
            return "";
        }
        if (nodes.size() == 1) {
            return "Redis at " + nodes.get(0).display + " refused the credentials when reconnecting; check the password";
        }
        return refused.size() + " of the " + nodes.size() + " Redis nodes refused the credentials when reconnecting;"
                + " check the password";
    }

    /** @return the longest lease of any lock handle made by this client (for the delayed-restart rule) */
    /** Counts a lease length an extend sets towards the delayed-restart rule's longest lease in use. */
    void noteLease(long leaseNanos) {
        maxLeaseNanos.accumulateAndGet(leaseNanos, Math::max);
    }

    long maxLeaseNanos() {
        return maxLeaseNanos.get();
    }

    /** @return the validity deadline of a grant of {@code leaseNanos} whose round started at {@code start} */
    long validUntil(long leaseNanos, long start) {
        return validUntil(start, leaseNanos, options.driftFactor());
    }

    /**
     * Called by waits only.
     *
     * @return whether a majority of nodes can deliver release messages to this client (subscribed)
     */
    boolean wakeUpsReachUs() {
        int n = 0;
        for (RedisNode node : nodes) {
            if (node.subscribedNow()) {
                n++;
            } else {
                node.warnIfSubscriptionRefused(); // a wait is falling back to retries: say why, once
            }
        }
        return n >= quorum;
    }

    String waiterMember(String token, String leaseArg) {
        return wakeChannel + " " + token + " " + leaseArg;
    }

    // ---- holding ----

    /** Result of a renewal or release round. */
    enum Outcome {
        OK,
        NOT_OWNER,
        UNKNOWN
    }

    /**
     * A renewal or release round's outcome, with the first error reply of a node (READONLY, OOM, MISCONF...)
     * when the outcome is UNKNOWN because nodes refused rather than failed to answer.
     *
     * @param outcome what the round decided
     * @param errorReply the text of a node's error reply (secrets masked), or null
     * @param regranted NOT_OWNER on one node whose key holds this token again after a newer grant (see extend.lua)
     * @param connectionLost UNKNOWN without an error reply, where a node's connection was lost or down (not
     *     merely slow)
     */
    record Round(Outcome outcome, String errorReply, boolean regranted, boolean connectionLost) {
        Round(Outcome outcome, String errorReply) {
            this(outcome, errorReply, false, false);
        }
    }

    /**
     * Compare-and-expire on all nodes.
     *
     * @return OK with the round's start when a majority extended it, NOT_OWNER when a majority can no
     *     longer confirm it, UNKNOWN when too few answered
     */
    CompletableFuture<Round> extend(LockImpl l, String token, long fence, long leaseNanos, long start) {
        String[] keys = {l.keys[0], l.keys[1]};
        // one node: the fencing token too (a Redlock lease's token is not any node's counter)
        String[] args = {token, Long.toString(TimeUnit.NANOSECONDS.toMillis(leaseNanos)),
            nodes.size() == 1 ? Long.toString(fence) : ""};
        long timeout = Math.min(roundTimeoutNanos(leaseNanos), Math.max(leaseNanos / 3, 1));
        // not re-sent while reconnecting (unlike a release): a lease's expiry-setting calls must reach Redis
        // in the order the ExpiryLedger numbered them, and a re-sent call could overtake a later one
        return Fanout.<Long>run(nodes, quorum, timeout, n -> n.evalRaw(Script.EXTEND, keys, args),
                        (n, r) -> r != null && r == 1L)
                .thenApply(f -> outcome(f));
    }

    private Round outcome(Fanout<Long> f) {
        if (f.reached()) {
            return new Round(Outcome.OK, null);
        }
        int no = f.answered() - f.yes();
        if (no > nodes.size() - quorum) {
            return new Round(Outcome.NOT_OWNER, null, nodes.size() == 1 && Long.valueOf(2L).equals(f.reply(0)), false);
        }
        boolean lost = false;
        for (Throwable t : f.errorList()) {
            if (Failures.errorReply(t)) {
                return new Round(Outcome.UNKNOWN, Failures.replyText(t));
            }
            lost |= Failures.connectionLost(t);
        }
        return new Round(Outcome.UNKNOWN, null, false, lost);
    }

    /**
     * Compare-and-delete on all nodes, waking one waiter. A node's call that waits for an earlier call there
     * (a grant not answered yet) counts as a cleanup under way until it is sent: closing the client waits for
     * that (a release returns at a majority), and for the answer of a node whose connection dropped after the
     * call was written (it is sent again once reconnected), but not for the answers of a hung node.
     */
    CompletableFuture<Round> release(LockImpl l, String token, long validUntil, String[] grantRunIds, boolean resent,
            List<CompletableFuture<?>> after) {
        String[] args = {token, "", l.grantArg(), l.releaseArg(), floorArg};
        // the per-node timeout of every operation (the command timeout on one node): a hung node must not
        // hold a release that needs its answer for seconds
        long timeout = roundTimeoutNanos(l.leaseNanos());
        AtomicBoolean[] lostAfterWrite = new AtomicBoolean[nodes.size()];
        for (int i = 0; i < lostAfterWrite.length; i++) {
            lostAfterWrite[i] = new AtomicBoolean();
        }
        Fanout<Long> f = Fanout.<Long>start(nodes, quorum, timeout, n -> {
            // a call sent again once its node reconnects counts as a cleanup under way until it is sent
            CompletableFuture<Void> sent = new CompletableFuture<>();
            CompletableFuture<Long> call = n.releaseOnceConnected(Script.RELEASE, l.keys, timeout, sent,
                    lostAfterWrite[n.index], args);
            if (!sent.isDone()) {
                order.track(sent);
            }
            return call;
            // after a send that Redis may have run before its connection dropped (sent again here), or an earlier
            // release that got no answer (resent): within the validity, and on the same server process that
            // granted (no restart or failover lost the key), only that send (or an operator's forced release) can
            // have removed our token, so "not held" means done
        }, (n, r) -> r != null && (r == 1L || r == 0L && (resent || lostAfterWrite[n.index].get())
                && ticker.nanos() < validUntil && sameServer(n, grantRunIds)), after, false);
        for (CompletableFuture<?> sending : f.sent()) {
            if (!sending.isDone()) {
                order.track(sending);
            }
        }
        if (nodes.size() > 1) {
            // a release returns at a majority; on a slower node it may still wait for the grant's reply. This
            // client's next round on the lock is sent after it there, or it would find the old token and refuse
            order.orderAfter(l.keys[0], f.raw());
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

    /** @return per node, the run_id of the server process it reaches now (null where not known) */
    String[] runIds() {
        String[] ids = new String[nodes.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = nodes.get(i).runIdNow();
        }
        return ids;
    }

    /** @return whether node {@code n} is known to reach the server process it reached at a grant */
    static boolean sameServer(RedisNode n, String[] grantRunIds) {
        String then = grantRunIds[n.index];
        return then != null && then.equals(n.runIdNow());
    }

    /** @return the releases waiting for a node's connection to come back (see RedisNode#releaseOnceConnected) */
    private List<CompletableFuture<?>> releasesAwaitingReconnect() {
        List<CompletableFuture<?>> out = new ArrayList<>();
        for (RedisNode n : nodes) {
            out.addAll(n.releasesAwaitingReconnect());
        }
        return out;
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
        // end the waits first: a release below must not hand the lock to a wait of this closing client (a
        // grant that still reaches one is given back by the wait itself, see AcquireOp)
        List<CompletableFuture<?>> releases = new ArrayList<>();
        for (AcquireOp op : List.copyOf(waiters.values())) {
            // a round under way may still be granted: its reply starts a cleanup, waited for below
            releases.add(op.roundInFlight().handle((r, e) -> null));
            op.abandon(new IllegalStateException("the LockClient was closed while waiting"));
        }
        for (AcquireOp op : List.copyOf(tries)) {
            // a grant that arrives now is given back (see AcquireOp), and that cleanup waited for below
            releases.add(op.roundInFlight().handle((r, e) -> null));
        }
        for (LeaseImpl lease : List.copyOf(live)) {
            releases.add(lease.closeByClient());
        }
        long deadline = System.nanoTime() + options.commandTimeout().toNanos(); // a real wait, whatever the ticker
        // then wait for those releases and for the cleanups under way, including any started meanwhile
        for (int pass = 0; pass < 3; pass++) {
            releases.addAll(order.pending());
            releases.addAll(releasesAwaitingReconnect());
            try {
                CompletableFuture.allOf(releases.toArray(new CompletableFuture<?>[0]))
                        .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                LOG.debug("redislock: releasing leases on close did not finish: {}", e.toString());
                break;
            }
            if (order.pending().isEmpty() && releasesAwaitingReconnect().isEmpty()) {
                break;
            }
        }
        clock.close();
        long settle = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RedisNode.SETTLE_MILLIS);
        for (RedisNode n : nodes) {
            try {
                n.close(settle);
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
