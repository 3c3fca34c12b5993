package io.redislock.internal;

import java.util.Map;
import java.util.TreeMap;

/**
 * A lease's validity deadline while calls that set the key's expiry (renewals, user extends) may be in
 * flight or unanswered. Redis applies the calls of one connection in the order they were sent, so the key's
 * expiry is set by the last one applied: the latest-sent call confirmed by a majority gives its own bound
 * (start + lease − drift), and every call sent after it that may still be applied could move the expiry to
 * its bound, earlier (a shorter lease) or later. The deadline is the smallest of these, so a shorter extend
 * lowers it from the moment it is sent, and an extend whose answer is lost never leaves the longer one.
 *
 * <p>Thread-safety: thread-safe; {@link #validUntil()} is a volatile read.
 */
final class ExpiryLedger {
    private final TreeMap<Long, Long> open = new TreeMap<>(); // seq -> bound; sent after `confirmed`
    private long nextSeq = 1;
    private long confirmedSeq;
    private long confirmedBound;
    private volatile long validUntil;

    /** @param grantBound the grant's deadline (the first call that set the expiry) */
    ExpiryLedger(long grantBound) {
        this.confirmedBound = grantBound;
        this.validUntil = grantBound;
    }

    /** @return the deadline until which a majority certainly keeps the key */
    long validUntil() {
        return validUntil;
    }

    /**
     * Records a call that is about to be sent.
     *
     * @param bound its deadline if it is applied: start (read before sending) + lease − drift
     * @return its sequence number, for {@link #confirmed}
     */
    synchronized long sending(long bound) {
        long seq = nextSeq++;
        open.put(seq, bound);
        recompute();
        return seq;
    }

    /**
     * Records that a majority applied call {@code seq}; earlier calls can no longer set the expiry.
     *
     * @param seq the call
     * @return true if it is the latest-sent call (its lease now sets when to renew)
     */
    synchronized boolean confirmed(long seq) {
        Long bound = open.get(seq);
        if (bound == null) {
            return false; // a later call was confirmed first
        }
        confirmedSeq = seq;
        confirmedBound = bound;
        open.headMap(seq, true).clear();
        recompute();
        return seq == nextSeq - 1;
    }

    private void recompute() {
        long v = confirmedBound;
        for (Map.Entry<Long, Long> e : open.entrySet()) {
            v = Math.min(v, e.getValue());
        }
        validUntil = v;
    }

    @Override
    public synchronized String toString() {
        return "ExpiryLedger{confirmed=" + confirmedSeq + ", open=" + open.size() + '}';
    }
}
