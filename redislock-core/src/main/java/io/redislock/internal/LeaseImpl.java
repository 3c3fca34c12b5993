package io.redislock.internal;

import io.redislock.Lease;
import io.redislock.LeaseLostEvent;
import io.redislock.LockLostException;
import io.redislock.LockOptions;
import io.redislock.LockUnavailableException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A granted lease: validity on the monotonic clock, the watchdog (renewal at lease/3 and the validity
 * deadline, driven by the client's {@link Clockwork}), release and loss reporting.
 */
final class LeaseImpl implements Lease, Clockwork.Item {
    private static final int HELD = 0;
    private static final int RELEASED = 1;
    private static final int LOST = 2;

    private final LockImpl lock;
    private final LockEngine engine;
    private final String token;
    private final long fence;
    private final boolean expiring;
    private final boolean autoRenew;
    private final AtomicInteger state = new AtomicInteger(HELD);
    /** The grant's per-node calls: a release to a node is written after its (possibly late) grant. */
    private final java.util.List<CompletableFuture<?>> grantCalls;
    private final CompletableFuture<LeaseLostEvent> lost = new CompletableFuture<>();
    private volatile long leaseNanos;
    /** The validity deadline, kept as the smallest one any expiry-setting call in flight could leave. */
    private final ExpiryLedger expiry;
    /** Held while an expiry-setting call is numbered and handed to the connections (see send). */
    private final Object sendOrder = new Object();
    private volatile long renewAt;
    private volatile boolean renewing;
    private volatile LeaseLostEvent lostEvent;
    /** The error reply of the last renewal that Redis refused (READONLY, OOM...), null after one that worked. */
    private volatile String renewalRefused;
    private CompletableFuture<Boolean> releasing; // guarded by this
    private boolean closeReported; // guarded by this
    private Boolean validAtRelease; // guarded by this; set by the first release

    /** Per node, the server process (run_id) that granted; null where not known (see {@link LockEngine#sameServer}). */
    private final String[] grantRunIds;

    LeaseImpl(LockImpl lock, String token, long fence, long startNanos, java.util.List<CompletableFuture<?>> grantCalls) {
        this.grantCalls = grantCalls;
        this.lock = lock;
        this.engine = lock.engine;
        this.token = token;
        this.fence = fence;
        this.expiring = lock.expiring();
        this.autoRenew = lock.options().autoRenew();
        this.leaseNanos = lock.leaseNanos();
        this.expiry = new ExpiryLedger(expiring ? engine.validUntil(leaseNanos, startNanos) : Long.MAX_VALUE);
        this.renewAt = startNanos + leaseNanos / 3;
        this.grantRunIds = engine.runIds();
    }

    /** Starts watching the deadline (and renewing); called once the lease is handed out. */
    void start() {
        engine.live.add(this);
        if (expiring) {
            engine.clock.schedule(this);
        }
    }

    @Override
    public String name() {
        return lock.name();
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public long fencingToken() {
        return fence;
    }

    @Override
    public boolean isHeld() {
        return state.get() == HELD && (!expiring || engine.ticker.nanos() < expiry.validUntil());
    }

    @Override
    public Duration remainingValidity() {
        if (state.get() != HELD) {
            return Duration.ZERO;
        }
        if (!expiring) {
            return Duration.ofNanos(Long.MAX_VALUE);
        }
        long left = expiry.validUntil() - engine.ticker.nanos();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    // ---- watchdog ----

    @Override
    public long dueNanos() {
        if (state.get() != HELD) {
            return Long.MAX_VALUE;
        }
        long v = expiry.validUntil();
        return autoRenew && !renewing ? Math.min(renewAt, v) : v;
    }

    @Override
    public void fire(long now) {
        if (state.get() != HELD) {
            engine.clock.cancel(this);
            return;
        }
        if (lostAtDeadline(now)) {
            return;
        }
        if (autoRenew && !renewing && now >= renewAt) {
            renew(now);
        }
    }

    /**
     * Reports the lease lost if it is still held and its validity deadline has passed (the clockwork fires
     * at the deadline; a release or a client close can come first and must not hide the loss).
     *
     * @return whether the deadline has passed (the lease is no longer held)
     */
    private boolean lostAtDeadline(long now) {
        if (now < expiry.validUntil()) {
            return false;
        }
        markLost(autoRenew ? LeaseLostEvent.Reason.RENEWAL_FAILED : LeaseLostEvent.Reason.EXPIRED,
                autoRenew
                        ? "renewals did not succeed before the validity deadline (" + whyNoRenewal(now) + ")"
                        : "the lease expired (auto-renewal is off)");
        return true;
    }

    /**
     * One node: a release handed this lease's token the lock again, with a newer fencing token. No grant
     * can happen while this lease holds the key, so the key was lost in between (Redis restarted from an
     * older snapshot that still had this owner's queue entry, or failed over to a replica that had it) and
     * another owner may have held the lock: the lease is lost, and the lock handed to it is passed on.
     *
     * @param newFence the fencing token of the new grant
     */
    void regranted(long newFence) {
        if (newFence > fence && state.get() == HELD) {
            markLost(LeaseLostEvent.Reason.NOT_OWNER, REGRANTED + " (a release handed it back with fencing token "
                    + newFence + ", this lease's is " + fence + ")");
        }
    }

    /** An expiry-setting call: its number in the {@link ExpiryLedger}, the lease it sets, and its round. */
    private record Sent(long seq, long lease, CompletableFuture<LockEngine.Round> round) {}

    /**
     * Numbers an expiry-setting call and hands it to the connections in one step, so that every node gets
     * these calls in the order of their numbers, which the ledger relies on (two threads extending at once,
     * or an extend and a renewal, could otherwise be numbered in one order and written in the other).
     *
     * @param lease the lease to set, or 0 for the current one (a renewal)
     * @param start the ticker reading before the call
     * @param setLease whether this call changes the lease length that later renewals use
     */
    private Sent send(long lease, long start, boolean setLease) {
        synchronized (sendOrder) {
            long l = lease;
            if (setLease) {
                leaseNanos = lease;
            } else {
                l = leaseNanos;
            }
            long seq = expiry.sending(engine.validUntil(l, start));
            return new Sent(seq, l, engine.extend(lock, token, fence, l, start));
        }
    }

    private void renew(long now) {
        renewing = true;
        Sent sent = send(0, now, false);
        long seq = sent.seq();
        long lease = sent.lease();
        sent.round().whenComplete((round, e) -> {
            if (state.get() != HELD) {
                return;
            }
            if (e == null && round.outcome() == LockEngine.Outcome.OK) {
                renewalRefused = null;
                expiry.confirmed(seq);
                renewAt = now + lease / 3;
                renewBeforeDeadline();
            } else if (e == null && round.outcome() == LockEngine.Outcome.NOT_OWNER) {
                markLost(LeaseLostEvent.Reason.NOT_OWNER, notOwner(engine.ticker.nanos(), round.regranted()));
                return;
            } else {
                // unknown: retry soon, but the deadline stays where it is
                renewalRefused = e == null ? round.errorReply() : null;
                renewAt = engine.ticker.nanos() + Math.max(lease / 10, TimeUnit.MILLISECONDS.toNanos(5));
            }
            renewing = false;
            engine.clock.schedule(this);
            if (state.get() != HELD) {
                engine.clock.cancel(this); // released meanwhile: its release's cancel may have come first
            }
        });
    }

    /**
     * Keeps the next renewal at least half the current lease before the deadline, which an extend to a
     * shorter lease (or a renewal answered before a later call) can move earlier.
     */
    private void renewBeforeDeadline() {
        long latest = expiry.validUntil() - leaseNanos / 2;
        if (latest < renewAt) {
            renewAt = latest;
        }
    }

    private void markLost(LeaseLostEvent.Reason reason, String detail) {
        if (!state.compareAndSet(HELD, LOST)) {
            return;
        }
        engine.clock.cancel(this);
        engine.live.remove(this);
        LeaseLostEvent ev = new LeaseLostEvent(lock.name(), token, fence, reason, detail);
        lostEvent = ev;
        // free what is left of the lock (a Redlock minority, or a key a paused client could not renew):
        // compare-and-delete never touches another owner's token
        releaseInternal();
        try {
            CompletableFuture.runAsync(() -> lost.complete(ev), engine.callbacks);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            lost.complete(ev); // an executor that refuses (shut down, saturated): tell the holder here
        }
    }

    // ---- extend / release ----

    @Override
    public void extend(Duration lease) {
        Futures.join(extendInternal(lease));
    }

    @Override
    public CompletableFuture<Void> extendAsync(Duration lease) {
        return Futures.copyOn(extendInternal(lease), engine.callbacks);
    }

    private CompletableFuture<Void> extendInternal(Duration lease) {
        Checks.positive(lease, "lease");
        if (lease.compareTo(LockOptions.MIN_LEASE) < 0) {
            throw new IllegalArgumentException("lease must be >= " + LockOptions.MIN_LEASE.toMillis() + " ms, was " + lease);
        }
        if (autoRenew && lease.compareTo(LockOptions.MIN_RENEWABLE_LEASE) < 0) {
            throw new IllegalArgumentException("lease " + lease.toMillis() + " ms is too short for auto-renewal: use >= "
                    + LockOptions.MIN_RENEWABLE_LEASE.toMillis() + " ms, or a lock with autoRenew(false)");
        }
        if (!expiring) {
            throw new IllegalStateException("lock '" + lock.name() + "' was taken without expiry (NO_EXPIRY)");
        }
        if (!isHeld()) {
            return CompletableFuture.failedFuture(notHeld("extend"));
        }
        long nanos = lease.toNanos();
        // the delayed-restart rule must count this lease: a node restarted empty votes only once it has been
        // up longer than the longest lease in use
        engine.noteLease(nanos);
        long start = engine.ticker.nanos();
        // from here on Redis may apply it (even if no answer comes): a shorter lease lowers the deadline now,
        // and later renewals use the new length
        Sent sent = send(nanos, start, true);
        long seq = sent.seq();
        renewBeforeDeadline();
        engine.clock.schedule(this);
        return sent.round().thenApply(round -> {
            LockEngine.Outcome outcome = round.outcome();
            if (outcome == LockEngine.Outcome.OK && state.get() == HELD) {
                if (expiry.confirmed(seq)) {
                    renewAt = start + nanos / 3;
                }
                renewBeforeDeadline();
                engine.clock.schedule(this);
                return null;
            }
            if (outcome == LockEngine.Outcome.NOT_OWNER) {
                markLost(LeaseLostEvent.Reason.NOT_OWNER, notOwner(engine.ticker.nanos(), round.regranted()));
                throw notHeld("extend");
            }
            if (state.get() != HELD) {
                throw notHeld("extend");
            }
            throw new LockUnavailableException("could not extend lock '" + lock.name() + "': "
                    + noAnswer(round) + "; the lease stays valid until its deadline", null);
        });
    }

    /**
     * @param answered the ticker reading when the refusal came back
     * @param regranted whether the key holds this token again after a newer grant (one node, see extend.lua)
     * @return why Redis no longer holds this owner's token: an answer after the validity deadline means the
     *     key most likely expired first (a pause here, or Redis or the network stalled), not that someone
     *     deleted it
     */
    private String notOwner(long answered, boolean regranted) {
        if (regranted) {
            return REGRANTED;
        }
        String gone = engine.nodes.size() == 1 ? "the lock key was deleted or now holds another owner's token"
                : "a majority of the nodes no longer hold this owner's token (deleted, or another owner's)";
        long late = answered - expiry.validUntil();
        if (late <= 0) {
            return gone;
        }
        return gone + "; the answer came " + java.time.Duration.ofNanos(late).toMillis() + " ms after the lease's"
                + " validity deadline, so the key most likely expired first: this process did not run ("
                + PAUSES + "), or Redis or the network stalled, for longer than the lease";
    }

    /** Why a lease whose key holds its token again after a newer grant was lost (one node). */
    static final String REGRANTED = "the lock was granted again since this lease's grant (the fencing counter moved"
            + " on), though the key now holds this owner's token again: the key was lost in between, e.g. Redis"
            + " restarted from an older snapshot or failed over to a replica that had missed writes, and another"
            + " owner may have held the lock meanwhile";

    private static final String PAUSES = "stopped with Ctrl-Z or SIGSTOP, or paused by a long GC or its host";

    /**
     * @param now the ticker reading at the deadline
     * @return why renewals kept failing: none was sent (this process was not running), else the refused
     *     credentials if that is known, else the last renewal's error reply, else "unreachable or slow"
     */
    private String whyNoRenewal(long now) {
        long late = now - renewAt;
        long tooLate = Math.max(leaseNanos / 3, TimeUnit.MILLISECONDS.toNanos(100));
        if (!renewing && late > tooLate) {
            // a renewal is due every lease/3 and retried every lease/10: none was even sent for this long
            return "none was sent for " + java.time.Duration.ofNanos(late).toMillis() + " ms after it was due: this"
                    + " process did not run (" + PAUSES + ")";
        }
        long checkedLate = now - expiry.validUntil();
        if (renewing && checkedLate > tooLate) {
            // the one in flight may have been held up here too: this check itself ran that late
            return "one was under way, and this check ran " + java.time.Duration.ofNanos(checkedLate).toMillis()
                    + " ms after the deadline: this process did not run (" + PAUSES + ")";
        }
        String reply = renewalRefused;
        if (reply == null) {
            return withRefusal("Redis unreachable or slow");
        }
        return withRefusal(engine.nodes.size() == 1 ? "Redis replied with an error: " + clause(reply)
                : "too few Redis nodes renewed it: unreachable, slow or refusing; one replied with an error: "
                        + clause(reply));
    }

    /**
     * @param round a release or extend round that was not decided (UNKNOWN)
     * @return why a release or extend got too few answers
     */
    private String noAnswer(LockEngine.Round round) {
        int n = engine.nodes.size();
        String errorReply = round.errorReply();
        if (errorReply == null && round.connectionLost()) {
            return withRefusal(n == 1 ? "the connection to Redis was lost or is down (it reconnects by itself)"
                    : "fewer than a majority of the " + n + " Redis nodes answered in time (connections lost or down,"
                            + " or nodes slow)");
        }
        if (errorReply != null) {
            return withRefusal(n == 1 ? "Redis replied with an error: " + clause(errorReply)
                    : "fewer than a majority of the " + n + " Redis nodes did it in time (unreachable, slow or"
                            + " refusing; one replied with an error: " + clause(errorReply) + ")");
        }
        return withRefusal(n == 1 ? "Redis did not answer in time"
                : "fewer than a majority of the " + n + " Redis nodes answered in time");
    }

    /** @return an error reply as a clause inside a sentence: without its closing period */
    private static String clause(String reply) {
        return reply.endsWith(".") ? reply.substring(0, reply.length() - 1) : reply;
    }

    /** @return {@code plain}, or the nodes' refusal of the credentials where that is known (added to it on Redlock) */
    private String withRefusal(String plain) {
        String refused = engine.refusedCredentials();
        if (refused.isEmpty()) {
            return plain;
        }
        return engine.nodes.size() == 1 ? refused : plain + " (" + refused + ")";
    }

    private LockLostException notHeld(String what) {
        LeaseLostEvent ev = lostEvent;
        return new LockLostException("cannot " + what + " lock '" + lock.name() + "': the lease is no longer held"
                + (ev == null ? "" : " (" + ev.reason() + ": " + ev.detail() + ")"));
    }

    @Override
    public boolean release() {
        return Futures.join(releaseInternal());
    }

    @Override
    public CompletableFuture<Boolean> releaseAsync() {
        return Futures.copyOn(releaseInternal(), engine.callbacks);
    }

    private synchronized CompletableFuture<Boolean> releaseInternal() {
        if (releasing != null && !releasing.isCompletedExceptionally()) {
            return releasing;
        }
        boolean resent = releasing != null; // the last one got no answer: Redis may have applied it
        CompletableFuture<Void> leaving = null;
        if (validAtRelease == null && expiring && state.get() == HELD && lostAtDeadline(engine.ticker.nanos())
                && releasing != null) {
            // expired before this release, and the clockwork had not fired yet: the holder's listeners and
            // lost() learn it as they would have a moment later (markLost sent the release, re-entering here;
            // if the clockwork marked it lost first, it waits for this monitor and the release goes on below)
            return releasing;
        }
        if (validAtRelease == null) {
            boolean wasHeld = state.compareAndSet(HELD, RELEASED);
            validAtRelease = wasHeld && (!expiring || engine.ticker.nanos() < expiry.validUntil());
            if (wasHeld) {
                engine.clock.cancel(this);
                // a client that closes meanwhile finds this lease in `live` or this release among its cleanups,
                // and waits for it (seen: a lease handed over just as a signal ended its wait, given back
                // from the callback thread while the CLI closed the client, was never sent)
                leaving = engine.order.track(new CompletableFuture<>());
                engine.live.remove(this);
            }
        }
        boolean valid = validAtRelease;
        CompletableFuture<LockEngine.Round> call;
        try {
            // sent, or tracked until sent, from here on
            call = engine.release(lock, token, expiring ? expiry.validUntil() : Long.MAX_VALUE, grantRunIds, resent,
                    grantCalls);
        } finally {
            if (leaving != null) {
                leaving.complete(null);
            }
        }
        if (!valid) {
            // lost or expired, as known here: the answer is false whatever Redis says (or whether it answers)
            releasing = CompletableFuture.completedFuture(false);
            return releasing;
        }
        releasing = call.thenApply(round -> {
            if (round.outcome() == LockEngine.Outcome.UNKNOWN) {
                throw new LockUnavailableException("could not release lock '" + lock.name() + "': "
                        + noAnswer(round) + "; it will expire by itself after its lease", null);
            }
            if (round.outcome() == LockEngine.Outcome.OK) {
                return true;
            }
            // gone (a node's "not held" after an earlier release that got no answer counted there already, see
            // LockEngine.release): expired, taken over, or lost with a restart
            return false;
        });
        return releasing;
    }

    @Override
    public void close() {
        boolean ok;
        boolean report;
        ok = release();
        synchronized (this) {
            report = !ok && !closeReported;
            closeReported = true;
        }
        if (report) {
            LeaseLostEvent ev = lostEvent;
            throw new LockLostException("lock '" + lock.name() + "' was no longer held when it was released"
                    + (ev == null ? " (it expired or was taken over)" : " (" + ev.reason() + ": " + ev.detail() + ")")
                    + ": the work since then was not protected by the lock");
        }
    }

    /** Client shutdown: release in Redis and tell the holder. */
    CompletableFuture<Boolean> closeByClient() {
        CompletableFuture<Boolean> f;
        boolean endedHere;
        synchronized (this) {
            boolean first = validAtRelease == null;
            f = releaseInternal().exceptionally(e -> false);
            endedHere = first && state.get() == RELEASED; // not released by its holder, nor lost, before
        }
        if (endedHere) {
            LeaseLostEvent ev = new LeaseLostEvent(lock.name(), token, fence, LeaseLostEvent.Reason.CLIENT_CLOSED,
                    "the LockClient was closed while the lease was held");
            lostEvent = ev;
            lost.complete(ev);
        }
        return f;
    }

    @Override
    public void onLost(Consumer<LeaseLostEvent> listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        lost.thenAcceptAsync(listener, engine.callbacks);
    }

    @Override
    public CompletableFuture<LeaseLostEvent> lost() {
        return lost.thenApply(e -> e);
    }

    @Override
    public String toString() {
        return "Lease{name='" + lock.name() + "', fencingToken=" + fence + ", held=" + isHeld() + '}';
    }
}
