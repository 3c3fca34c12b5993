package io.redislock.internal;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.redislock.Ticker;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis server: a shared command connection, a pub/sub connection subscribed to this client's wake
 * channel, script calls by EVALSHA (NOSCRIPT handled), and the uptime used by the delayed-restart rule.
 * Connects lazily and never throws on an unreachable server: calls fail with the cause instead.
 */
final class RedisNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisNode.class);

    final int index;
    final String display;
    private final RedisClient client;
    private final boolean ownsClient;
    private final RedisURI uri;
    private final Duration timeout;
    private final Ticker ticker;
    private final String wakeChannel;
    private final BiConsumer<String, String> onMessage;

    private final Object mutex = new Object();
    private volatile StatefulRedisConnection<String, String> conn;
    private CompletableFuture<StatefulRedisConnection<String, String>> connecting;
    /** Written under the mutex; volatile for the connection listener, which must not wait for the mutex. */
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;
    private CompletableFuture<Void> subscribed;
    private Object subscribeAttempt; // guarded by mutex: the current subscription attempt
    private volatile String subscribeRefusal;
    private final AtomicBoolean subscribeRefusalWarned =
            new AtomicBoolean();
    private long lastSubscribeAttempt;
    private volatile boolean closed;
    /** Disconnects seen on this node's connections (a restart during a handshake makes its uptime stale). */
    private final java.util.concurrent.atomic.AtomicInteger disconnects = new java.util.concurrent.atomic.AtomicInteger();
    /**
     * The last connect or reconnect failure in which Redis refused the credentials; null after a successful
     * connect or reconnect, and after one that could not reach the server at all (it says nothing about the
     * credentials: Redis may come back with the old password).
     */
    private final AtomicReference<Throwable> authFailure = new AtomicReference<>();
    /** Where this node's connections were last connected to (matches Lettuce's reconnect events to this node). */
    private volatile SocketAddress connectedTo;
    /** Listens to this node's connections; removed on close (an application's Lettuce client outlives us). */
    private final RedisConnectionStateListener connectionListener;
    /** The subscription to the client's reconnect failures (see {@link #onReconnectFailed}). */
    private final reactor.core.Disposable reconnectFailures;
    /** Set when the client starts closing: no new connection attempts, pending ones abandoned. */
    private boolean closing; // guarded by mutex
    /** The latest connects (command, pub/sub), until they complete; guarded by mutex. See {@link #close()}. */
    private CompletableFuture<?> rawConnecting;
    private CompletableFuture<?> pubsubConnecting;
    /** Releases not answered yet, each with whether a send again is due (see {@link #releaseOnceConnected}). */
    private final java.util.Map<CompletableFuture<?>, ReleaseSends> releasesUnanswered =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * What the sends of one release went through: {@code resending} once it is to be sent again (from then on
     * closing the client waits for its answer), {@code lostAfterWrite} once a send was written and its
     * connection dropped before the answer (Redis may have run it).
     */
    private record ReleaseSends(AtomicBoolean resending,
            AtomicBoolean lostAfterWrite) {
        ReleaseSends(AtomicBoolean lostAfterWrite) {
            this(new AtomicBoolean(), lostAfterWrite);
        }
    }
    /** Closes of connections this node gave up, still under way (see {@link #discard}); guarded by mutex. */
    private final java.util.Set<CompletableFuture<Void>> discarding = new java.util.HashSet<>();

    /** Ticker reading at which the server started, estimated from INFO; valid when {@link #uptimeKnown}. */
    private volatile long bootNanos;

    private volatile boolean uptimeKnown;
    /** The server process's run_id (INFO server), read with the uptime; current when {@link #uptimeKnown}. */
    private volatile String runId;

    /** Ticker reading of the last error-reply warning; at most one per {@link #WARN_INTERVAL_NANOS}. */
    private final java.util.concurrent.atomic.AtomicLong lastWarn = new java.util.concurrent.atomic.AtomicLong();
    private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** How long closing waits for connects and closes under way before shutting Lettuce down (all nodes). */
    static final long SETTLE_MILLIS = 250;

    RedisNode(
            int index,
            RedisClient client,
            boolean ownsClient,
            RedisURI uri,
            Duration timeout,
            Ticker ticker,
            String wakeChannel,
            BiConsumer<String, String> onMessage,
            Runnable onResubscribed) {
        this.index = index;
        this.client = client;
        this.ownsClient = ownsClient;
        this.uri = uri;
        this.display = Uris.display(uri);
        this.timeout = timeout;
        this.ticker = ticker;
        this.wakeChannel = wakeChannel;
        this.onMessage = onMessage;
        this.connectionListener = new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
                StatefulRedisConnection<String, String> c = conn;
                if (ownsClient || connection == c || connection == pubsub) {
                    // (Lettuce calls this once the handshake succeeded: the credentials were accepted)
                    connectedTo = socketAddress;
                    authFailure.set(null);
                }
                if (connection == c) {
                    refreshUptime();
                    loadScripts(c);
                }
                if (connection == pubsub && !closed) {
                    // back after a drop (Lettuce subscribes again): a release meanwhile found no subscriber here
                    // and skipped our waits, which would otherwise learn it only from their safety-net retry
                    onResubscribed.run();
                }
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                disconnects.incrementAndGet();
                if (connection == conn) {
                    uptimeKnown = false;
                }
            }
        };
        client.addListener(connectionListener);
        this.reconnectFailures = client.getResources().eventBus().get()
                .filter(ev -> ev instanceof ReconnectFailedEvent)
                .subscribe(ev -> onReconnectFailed((ReconnectFailedEvent) ev), e -> LOG.debug(
                        "redislock: reconnect events of {} ended: {}", display, e.toString()));
    }

    /**
     * Lettuce reconnects a dropped connection by itself and only publishes why a reconnect failed; meanwhile
     * commands fail with "Commands are rejected" or "Connection closed". A reconnect to this server whose
     * credentials Redis refused (the password was changed, the ACL user disabled) is recorded as this node's
     * refusal, so that {@link #explain} reports those failures as what they are, which retrying cannot help.
     * (The event bus may be shared by several nodes, and by the caller's own clients: the event is matched by
     * the server's address.)
     */
    private void onReconnectFailed(ReconnectFailedEvent ev) {
        try {
            if (closed || !isThisServer(ev.remoteAddress())) {
                return;
            }
            Throwable cause = ev.getCause();
            if (Failures.notReached(cause)) {
                authFailure.set(null); // down or unreachable now: it may come back with the old password
                return;
            }
            if (!Failures.authenticationFailed(cause) || isUp()) {
                return; // (a late event: the connection is up again, so the credentials were accepted since)
            }
            if (authFailure.getAndSet(cause) == null) {
                LOG.debug("redislock: Redis at {} refused the credentials when reconnecting", display);
            }
            if (isUp()) {
                authFailure.compareAndSet(cause, null); // a reconnect succeeded meanwhile and cleared it first
            }
        } catch (RuntimeException e) {
            // never end the subscription: a later event may matter
            LOG.debug("redislock: a reconnect event of {} could not be read: {}", display, e.toString());
        }
    }

    /** @return whether {@code a}, from a Lettuce event, is this node's server (by host as given, or as connected) */
    private boolean isThisServer(SocketAddress a) {
        if (a == null) {
            return false;
        }
        if (a.equals(connectedTo)) {
            return true;
        }
        if (!(a instanceof InetSocketAddress i) || i.getPort() != uri.getPort() || uri.getHost() == null) {
            return false;
        }
        if (uri.getHost().equalsIgnoreCase(i.getHostString())) {
            return true;
        }
        return connectedTo instanceof InetSocketAddress s && s.getAddress() != null
                && s.getPort() == i.getPort() && s.getAddress().equals(i.getAddress());
    }

    /** @return whether this node's command connection is down and its last (re)connect was refused for credentials */
    boolean refusingCredentials() {
        return authFailure.get() != null && !isUp();
    }

    private boolean isUp() {
        StatefulRedisConnection<String, String> c = conn;
        return c != null && c.isOpen();
    }

    /** @return whether a command connection is established (it may be reconnecting) */
    boolean connected() {
        return conn != null;
    }

    /** @return whether the command connection is down now (Lettuce reconnects it by itself) */
    boolean disconnected() {
        StatefulRedisConnection<String, String> c = conn;
        return c != null && !c.isOpen();
    }

    /** @return whether the first connection to this node is being set up right now */
    boolean connecting() {
        if (conn != null) {
            return false;
        }
        synchronized (mutex) {
            return connecting != null;
        }
    }

    /** @return the wheel timer of this node's Lettuce resources */
    io.netty.util.Timer timer() {
        return client.getResources().timer();
    }

    /** Starts connecting (command and pub/sub) without waiting. */
    void start() {
        connection();
        ensureSubscribed();
    }

    private CompletableFuture<StatefulRedisConnection<String, String>> connection() {
        StatefulRedisConnection<String, String> c = conn;
        if (c != null) {
            return CompletableFuture.completedFuture(c);
        }
        synchronized (mutex) {
            if (conn != null && !closed) {
                return CompletableFuture.completedFuture(conn);
            }
            if (closed || closing) {
                return CompletableFuture.failedFuture(new IllegalStateException("client is closed"));
            }
            if (connecting == null) {
                CompletableFuture<StatefulRedisConnection<String, String>> f;
                CompletableFuture<StatefulRedisConnection<String, String>> raw;
                int disconnectsBefore = disconnects.get();
                AtomicBoolean given = new AtomicBoolean();
                try {
                    raw = connectOnce(2);
                    rawConnecting = raw;
                    // a connection that completes after the client started closing is closed, not kept
                    raw.thenAccept(c2 -> {
                        boolean late;
                        synchronized (mutex) {
                            late = closing || closed;
                        }
                        if (late) {
                            discard(c2, given);
                        }
                    });
                    // scripts and uptime (for the delayed-restart rule) are known before the first command
                    f = raw.thenCompose(c2 -> CompletableFuture.allOf(loadScripts(c2), readUptime(c2)).handle((v, e) -> c2));
                } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(e);
                }
                connecting = f;
                f.whenComplete((c2, e) -> {
                    noteConnect(e);
                    boolean keep = false;
                    synchronized (mutex) {
                        connecting = null;
                        if (e == null && !closing && !closed) {
                            conn = c2;
                            keep = true;
                        }
                    }
                    if (!keep) {
                        // abandoned while its handshake was under way (the connect itself may have succeeded)
                        raw.thenAccept(c3 -> discard(c3, given));
                    }
                    if (e == null && disconnects.get() != disconnectsBefore) {
                        // a disconnect during the handshake (a restart after INFO answered?): read it again
                        uptimeKnown = false;
                        refreshUptime();
                    }
                });
                return f;
            }
            return connecting;
        }
    }

    /**
     * Connects; a handshake cut short by the connection closing is tried again, up to {@code retries}
     * times. (Lettuce may report a refused password as "Connection closed prematurely" when the channel's
     * close overtakes the server's error; the next attempt then tells what really happened.)
     */
    private CompletableFuture<StatefulRedisConnection<String, String>> connectOnce(int retries) {
        CompletableFuture<StatefulRedisConnection<String, String>> f =
                client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
        if (retries <= 0) {
            return f;
        }
        return f.exceptionallyCompose(e -> {
            boolean cut = false;
            for (Throwable c = e; c != null; c = c.getCause()) {
                cut |= c.getMessage() != null && c.getMessage().contains("closed prematurely");
            }
            synchronized (mutex) {
                if (!cut || closing || closed) {
                    return CompletableFuture.failedFuture(e);
                }
            }
            return connectOnce(retries - 1);
        });
    }

    private void noteConnect(Throwable e) {
        if (e == null || Failures.notReached(e)) {
            authFailure.set(null);
        } else if (Failures.authenticationFailed(e)) {
            authFailure.set(e);
        }
    }

    /**
     * The failure to report for {@code e}. Once this node refused the credentials (at a connect, or at a
     * reconnect after its connections dropped), a failure of the connection while it is down is reported as
     * that refusal: Lettuce may see a handshake's close before the refusal, and while it keeps reconnecting
     * in vain it rejects commands ("Commands are rejected") or closes them ("Connection closed").
     */
    Throwable explain(Throwable e) {
        Throwable refused = authFailure.get();
        if (refused == null || e == null || Failures.authenticationFailed(e) || !Failures.connectionLost(e)) {
            return e;
        }
        return isUp() ? e : refused;
    }

    /** Loads every script into the server's cache so that EVALSHA does not meet NOSCRIPT. */
    private CompletableFuture<Void> loadScripts(StatefulRedisConnection<String, String> c) {
        Script[] all = Script.values();
        CompletableFuture<?>[] fs = new CompletableFuture<?>[all.length];
        for (int i = 0; i < all.length; i++) {
            fs[i] = c.async().scriptLoad(all[i].source).toCompletableFuture();
        }
        return CompletableFuture.allOf(fs).orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Runs a script, bounded by {@code timeoutNanos}; the future fails on timeout or connection failure,
     * never hangs.
     */
    <T> CompletableFuture<T> eval(Script script, String[] keys, long timeoutNanos, String... args) {
        return this.<T>evalRaw(script, keys, args).copy().orTimeout(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    <T> CompletableFuture<T> eval(Script script, String[] keys, String... args) {
        return eval(script, keys, timeout.toNanos(), args);
    }

    /**
     * Runs a script without a client-side bound: the future completes when Redis answered, the connection
     * failed, or Lettuce's own command timeout fired. Commands sent after it completes are written after
     * it on the connection (used to order a cleanup after a call that timed out on our side).
     */
    <T> CompletableFuture<T> evalRaw(Script script, String[] keys, String... args) {
        StatefulRedisConnection<String, String> c = conn;
        if (c != null) {
            return evalOn(c, script, keys, args);
        }
        return connection().thenCompose(c2 -> evalOn(c2, script, keys, args));
    }

    /**
     * As {@link #evalRaw}, but a call that the client refused to send because the connection is down
     * (Lettuce rejects commands while it reconnects, e.g. just after Redis or a proxy dropped it) is sent
     * again once reconnected, every 10-20 ms until shortly before {@code budgetNanos} from now (real time,
     * as the round's own bound, whatever the ticker): nothing was written, so sending it again is safe.
     * For calls that must not give up at the first hiccup and that no later call of the same owner can
     * overtake in a harmful way (an acquisition round; a release uses {@link #releaseOnceConnected}); not for a
     * lease's extends, whose order matters.
     */
    <T> CompletableFuture<T> evalRawOnceConnected(Script script, String[] keys, long budgetNanos, String... args) {
        CompletableFuture<T> out = new CompletableFuture<>();
        evalUntil(out, new CompletableFuture<>(), null, script, keys, args, System.nanoTime() + budgetNanos);
        return out;
    }

    /**
     * A release: as {@link #evalRawOnceConnected(Script, String[], long, String...)}, and also sent again when
     * the connection dropped after it was written (Redis may or may not have run it: a release is idempotent,
     * a second one finds the key gone or another owner's token; {@code lostAfterWrite} is set then, so that the
     * caller can count such an answer as this release's). {@code sent} completes once the call was
     * handed to the connection (or given up). Until it is answered, {@link #releasesAwaitingReconnect()} lists
     * it while the connection is down or once it was to be sent again: closing the client waits for those.
     */
    <T> CompletableFuture<T> releaseOnceConnected(Script script, String[] keys, long budgetNanos,
            CompletableFuture<Void> sent, AtomicBoolean lostAfterWrite, String... args) {
        CompletableFuture<T> out = new CompletableFuture<>();
        ReleaseSends again = new ReleaseSends(lostAfterWrite);
        out.whenComplete((r, e) -> {
            sent.complete(null);
            releasesUnanswered.remove(out);
        });
        releasesUnanswered.put(out, again);
        evalUntil(out, sent, again, script, keys, args, System.nanoTime() + budgetNanos);
        return out;
    }

    /** @return releases not answered yet while the connection is down, or that were to be sent again */
    java.util.List<CompletableFuture<?>> releasesAwaitingReconnect() {
        boolean down = disconnected();
        java.util.List<CompletableFuture<?>> out = new java.util.ArrayList<>();
        releasesUnanswered.forEach((call, again) -> {
            if (down || again.resending().get()) {
                out.add(call.handle((r, e) -> null));
            }
        });
        return out;
    }

    /** {@code again}: null unless the call is a release */
    private <T> void evalUntil(CompletableFuture<T> out, CompletableFuture<Void> sent, ReleaseSends again,
            Script script, String[] keys, String[] args, long deadline) {
        if (again != null && again.lostAfterWrite().get()) {
            // read on the same connection first: its answer says whether this is still the server that granted
            refreshUptime();
        }
        CompletableFuture<T> call = this.<T>evalRaw(script, keys, args);
        if (!call.isDone()) {
            sent.complete(null); // (a refusal to write fails the call at once)
        }
        call.whenComplete((r, e) -> {
            if (e == null) {
                out.complete(r);
                return;
            }
            long pause = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(15);
            // the last try ends a timer tick (10 ms) before the round's bound, so that the round reports
            // this failure rather than its own timeout
            long margin = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(10);
            // a release written on a connection that then dropped (not a connect that failed: nothing was
            // written) is sent again too
            boolean lost = again != null && Failures.connectionLost(e) && !Failures.connectFailed(e);
            if (!(Failures.notSent(e) || lost) || closed || System.nanoTime() + pause + margin >= deadline) {
                out.completeExceptionally(e);
                return;
            }
            if (again != null) {
                again.resending().set(true); // from here on, closing the client waits for its answer
                if (lost) {
                    again.lostAfterWrite().set(true);
                }
            }
            try {
                timer().newTimeout(t -> evalUntil(out, sent, again, script, keys, args, deadline), pause,
                        java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (RuntimeException stopped) {
                out.completeExceptionally(e); // the timer is stopped: the client is closing
            }
        });
    }

    private <T> CompletableFuture<T> evalOn(
            StatefulRedisConnection<String, String> c, Script script, String[] keys, String[] args) {
        CompletableFuture<T> f =
                c.async().<T>evalsha(script.sha, script.output, keys, args).toCompletableFuture();
        return f.exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RedisNoScriptException) {
                return c.async().<T>eval(script.source, script.output, keys, args).toCompletableFuture();
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    /**
     * Logs a warning that this node replied with an error (READONLY, OOM, MISCONF...) in a round that a
     * majority of the other nodes decided: the caller never sees it. At most once a minute.
     *
     * @param e the node's error reply
     */
    void warnHiddenErrorReply(Throwable e) {
        long now = ticker.nanos();
        long last = lastWarn.get();
        if (last != 0 && now - last < WARN_INTERVAL_NANOS || !lastWarn.compareAndSet(last, now == 0 ? 1 : now)) {
            return;
        }
        if (Failures.authenticationFailed(e)) {
            LOG.warn("redislock: Redis node {} refused the credentials ({}); a majority of the other nodes answered,"
                    + " but this node does not count until its password is fixed (this warning: at most once a minute"
                    + " per node)", display, Failures.describe(Failures.rootCause(e)));
            return;
        }
        LOG.warn("redislock: Redis node {} replied with an error ({}); a majority of the other nodes answered"
                + " (this warning: at most once a minute per node)", display, Failures.replyText(e));
    }

    /** Runs an arbitrary command set on the command connection (status, list), bounded by the timeout. */
    <T> CompletableFuture<T> call(
            java.util.function.Function<io.lettuce.core.api.async.RedisAsyncCommands<String, String>,
                            io.lettuce.core.RedisFuture<T>>
                    cmd) {
        return connection()
                .thenCompose(c -> cmd.apply(c.async()).toCompletableFuture())
                .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Warns, once, that this node refused the wake-up subscription, if it did: a wait falls back to retries. */
    void warnIfSubscriptionRefused() {
        String refusal = subscribeRefusal;
        if (refusal != null && subscribeRefusalWarned.compareAndSet(false, true)) {
            LOG.warn("redislock: Redis node {} refused the wake-up subscription ({}): waits on it retry with"
                    + " backoff instead of being woken (an ACL user needs the channels redislock:wake:*)",
                    display, refusal);
        }
    }

    /** @return whether this node's wake-up subscription is in place (release messages can reach this client) */
    boolean subscribedNow() {
        synchronized (mutex) {
            CompletableFuture<Void> s = subscribed;
            return s != null && s.isDone() && !s.isCompletedExceptionally();
        }
    }

    /** (Re)subscribes to the wake channel if not subscribed; at most one attempt per second. */
    CompletableFuture<Void> ensureSubscribed() {
        synchronized (mutex) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            if (subscribed != null && !subscribed.isCompletedExceptionally()) {
                return subscribed;
            }
            long now = ticker.nanos();
            if (subscribed != null && now - lastSubscribeAttempt < TimeUnit.SECONDS.toNanos(1)) {
                return subscribed;
            }
            lastSubscribeAttempt = now;
            // a connection of an earlier attempt that failed or timed out is given up, so that no two
            // connections deliver the same wake-ups (one vote counted twice) and none is left open
            StatefulRedisPubSubConnection<String, String> stale = pubsub;
            pubsub = null;
            if (stale != null) {
                discard(stale, null);
            }
            Object attempt = new Object();
            subscribeAttempt = attempt;
            CompletableFuture<StatefulRedisPubSubConnection<String, String>> connect =
                    client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture();
            pubsubConnecting = connect;
            CompletableFuture<Void> s = connect
                    .thenCompose(p -> {
                        synchronized (mutex) {
                            if (closed) {
                                discard(p, null);
                                return CompletableFuture.<Void>completedFuture(null);
                            }
                            if (subscribeAttempt != attempt) {
                                discard(p, null); // connected after its attempt timed out and a newer one began
                                return CompletableFuture.<Void>failedFuture(new java.util.concurrent.TimeoutException(
                                        "connected after the subscription attempt had timed out"));
                            }
                            pubsub = p;
                        }
                        p.addListener(new RedisPubSubAdapter<>() {
                            @Override
                            public void message(String channel, String message) {
                                onMessage.accept(channel, message);
                            }
                        });
                        return p.async().subscribe(wakeChannel).toCompletableFuture();
                    })
                    .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
            subscribed = s;
            s.whenComplete((v, e) -> {
                if (e != null && Failures.authenticationFailed(e)) {
                    authFailure.set(e);
                }
                if (e != null && Failures.errorReply(e)) {
                    subscribeRefusal = Failures.replyText(e); // told once a wait needs it: warnIfSubscriptionRefused
                } else if (e != null) {
                    LOG.debug("redislock: wake-up subscription to {} failed: {}", display, e.toString());
                }
            });
            return s;
        }
    }

    private void refreshUptime() {
        StatefulRedisConnection<String, String> c = conn;
        if (c != null) {
            readUptime(c);
        }
    }

    /** Reads the server's uptime (INFO server) on {@code c}; the future completes when it was read or failed. */
    private CompletableFuture<Void> readUptime(StatefulRedisConnection<String, String> c) {
        long before = ticker.nanos();
        return c.async().info("server").toCompletableFuture().handle((info, e) -> {
            if (e != null || info == null) {
                return null;
            }
            for (String line : info.split("\r?\n")) {
                if (line.startsWith("uptime_in_seconds:")) {
                    // uptime_in_seconds is a difference of wall-clock seconds: it may exceed the true
                    // uptime by up to one second, so count one second less
                    long up = Long.parseLong(line.substring("uptime_in_seconds:".length()).trim());
                    bootNanos = before - TimeUnit.SECONDS.toNanos(Math.max(0, up - 1));
                    uptimeKnown = true;
                } else if (line.startsWith("run_id:")) {
                    runId = line.substring("run_id:".length()).trim();
                }
            }
            return null;
        });
    }

    /**
     * @return the run_id of the server process this node's connection reaches, as read since the connection
     *     was last (re)established; null when not known (a different run_id is a restart or another server:
     *     keys may have been lost)
     */
    String runIdNow() {
        return uptimeKnown ? runId : null;
    }

    /**
     * Why this node's grant does not count yet under the delayed-restart rule.
     *
     * @param minUptimeNanos the longest lease in use
     * @return a message naming the node, its uptime and the rule
     */
    String tooYoung(long minUptimeNanos) {
        String up = uptimeKnown ? TimeUnit.NANOSECONDS.toSeconds(ticker.nanos() - bootNanos) + " s ago" : "at an unknown time";
        return "Redis at " + display + " restarted " + up + ", less than the longest lease in use ("
                + TimeUnit.NANOSECONDS.toSeconds(minUptimeNanos) + " s): with enforceDelayedRestart its grants count"
                + " only once it has been up that long (a node restarted without persistence may have lost locks)";
    }

    /**
     * Whether this node's vote counts under the delayed-restart rule: its uptime is known and at least
     * {@code minUptimeNanos}.
     */
    boolean upAtLeast(long minUptimeNanos) {
        if (!uptimeKnown) {
            refreshUptime();
            return false;
        }
        return ticker.nanos() - bootNanos >= minUptimeNanos;
    }

    /**
     * The client is closing: a connection that is still being set up is given up at once, so that the
     * releases and cleanups of {@link LockEngine#close()} towards a node that never answered fail fast
     * instead of waiting for the connect timeout. Reconnect events are no longer listened to: the events of
     * the connections that close next would otherwise reach a subscription while it is disposed (Reactor then
     * logs an error for an event it drops).
     */
    void abandonConnecting() {
        CompletableFuture<StatefulRedisConnection<String, String>> f;
        synchronized (mutex) {
            closing = true;
            f = connecting;
        }
        reconnectFailures.dispose();
        if (f != null) {
            f.completeExceptionally(new IllegalStateException("the client was closed before Redis at " + display
                    + " accepted a connection"));
        }
    }

    /**
     * Closes a connection this node will not use, once ({@code once} guards a connection that two paths may
     * give up; null when only one can). A client's own Lettuce client closes whatever is still open when it
     * shuts down, and warns about a connection closed twice: once the node is closed, its connections are left
     * to that shutdown, and {@link #close()} waits for the closes begun before it.
     */
    private void discard(io.lettuce.core.api.StatefulConnection<?, ?> c,
            AtomicBoolean once) {
        if (once != null && !once.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (mutex) {
            if (closed && ownsClient) {
                return;
            }
            discarding.add(done);
        }
        c.closeAsync().whenComplete((v, e) -> {
            synchronized (mutex) {
                discarding.remove(done);
            }
            done.complete(null);
        });
    }

    @Override
    public void close() {
        close(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS));
    }

    /**
     * Closes the connections, and shuts down a Lettuce client of its own once the connects and closes under way
     * finished or {@code settleDeadline} (on {@link System#nanoTime()}) passed: one deadline for all nodes.
     */
    void close(long settleDeadline) {
        StatefulRedisConnection<String, String> c;
        StatefulRedisPubSubConnection<String, String> p;
        CompletableFuture<?>[] closes;
        synchronized (mutex) {
            closed = true;
            reconnectFailures.dispose();
            c = conn;
            p = pubsub;
            conn = null;
            pubsub = null;
            java.util.List<CompletableFuture<?>> pending = new java.util.ArrayList<>(discarding);
            pending.add(rawConnecting == null ? CompletableFuture.completedFuture(null) : rawConnecting);
            pending.add(pubsubConnecting == null ? CompletableFuture.completedFuture(null) : pubsubConnecting);
            closes = pending.toArray(CompletableFuture<?>[]::new);
        }
        if (p != null) {
            p.close();
        }
        if (c != null) {
            c.close();
        }
        client.removeListener(connectionListener);
        if (ownsClient) {
            // Lettuce's shutdown while a connect is under way may leak its buffers (Netty then logs an ERROR
            // when the leak detector catches one): connects to a live server finish within milliseconds
            try {
                CompletableFuture.allOf(Arrays.stream(closes).map(f -> f.handle((v, e) -> v))
                        .toArray(CompletableFuture<?>[]::new)).get(Math.max(0, settleDeadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.debug("redislock: a connect or close towards {} did not finish: {}", display, e.toString());
            }
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
