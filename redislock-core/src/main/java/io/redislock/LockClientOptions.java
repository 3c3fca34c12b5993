package io.redislock;

import io.redislock.internal.Checks;
import io.redislock.internal.Uris;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * How a {@link LockClient} reaches Redis: one URI for the single-instance lock, several independent
 * masters for Redlock, and the timeouts that bound every call.
 *
 * <p>{@link #toString()} masks passwords. Thread-safety: immutable.
 */
public final class LockClientOptions {
    private final List<String> uris;
    private final String password;
    private final Duration commandTimeout;
    private final Duration connectTimeout;
    private final Duration nodeTimeout;
    private final double driftFactor;
    private final boolean enforceDelayedRestart;
    private final Ticker ticker;
    private final Executor callbackExecutor;

    private LockClientOptions(Builder b) {
        this.uris = List.copyOf(b.uris);
        this.password = b.password;
        this.commandTimeout = b.commandTimeout;
        this.connectTimeout = b.connectTimeout;
        this.nodeTimeout = b.nodeTimeout;
        this.driftFactor = b.driftFactor;
        this.enforceDelayedRestart = b.enforceDelayedRestart;
        this.ticker = b.ticker;
        this.callbackExecutor = b.callbackExecutor;
    }

    /**
     * A builder with the defaults: 2 s command and connect timeouts, 200 ms per-node timeout, drift
     * factor 0.01, delayed-restart enforcement off, the system ticker.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from these options.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.uris.addAll(uris);
        b.password = password;
        b.commandTimeout = commandTimeout;
        b.connectTimeout = connectTimeout;
        b.nodeTimeout = nodeTimeout;
        b.driftFactor = driftFactor;
        b.enforceDelayedRestart = enforceDelayedRestart;
        b.ticker = ticker;
        b.callbackExecutor = callbackExecutor;
        return b;
    }

    /** @return the Redis URIs: one for the single-instance lock, several independent masters for Redlock */
    public List<String> uris() {
        return uris;
    }

    /** @return the password applied to URIs that carry none, or null */
    public String password() {
        return password;
    }

    /** @return the longest any single Redis call may take before it fails with {@link LockUnavailableException} */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** @return the longest a TCP connect may take */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The per-node timeout of a Redlock attempt (several URIs): a node that does not answer within
     * {@code min(nodeTimeout, lease / 5)} is counted as a "no" for that attempt.
     *
     * @return the per-node timeout
     */
    public Duration nodeTimeout() {
        return nodeTimeout;
    }

    /** @return the clock drift allowance per unit of lease (default 0.01; 2 ms are always added) */
    public double driftFactor() {
        return driftFactor;
    }

    /**
     * Whether a node's vote is ignored while its {@code uptime_in_seconds} is below the longest lease this
     * client has used (the delayed-restart rule, enforced client-side, checked once per connection).
     *
     * @return true when enforced
     */
    public boolean enforceDelayedRestart() {
        return enforceDelayedRestart;
    }

    /** @return the monotonic clock deadlines are measured on */
    public Ticker ticker() {
        return ticker;
    }

    /**
     * The executor that completes async results and runs lost-lease listeners; null means the client's
     * own small pool of daemon threads (not the common pool, which on two CPUs starts a thread per task).
     *
     * @return the executor, or null for the client's own
     */
    public Executor callbackExecutor() {
        return callbackExecutor;
    }

    @Override
    public String toString() {
        List<String> masked = new ArrayList<>();
        for (String u : uris) {
            masked.add(Uris.mask(u));
        }
        return "LockClientOptions{uris=" + masked + ", password=" + (password == null ? "none" : "***")
                + ", commandTimeout=" + commandTimeout + ", connectTimeout=" + connectTimeout + ", nodeTimeout="
                + nodeTimeout + ", driftFactor=" + driftFactor + ", enforceDelayedRestart=" + enforceDelayedRestart
                + '}';
    }

    /**
     * Builds {@link LockClientOptions}; each setter validates its argument, {@link #build()} checks the
     * URI list.
     *
     * <p>Thread-safety: not thread-safe; use from one thread.
     */
    public static final class Builder {
        private final List<String> uris = new ArrayList<>();
        private String password;
        private Duration commandTimeout = Duration.ofSeconds(2);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration nodeTimeout = Duration.ofMillis(200);
        private double driftFactor = 0.01;
        private boolean enforceDelayedRestart;
        private Ticker ticker = Ticker.system();
        private Executor callbackExecutor;

        private Builder() {}

        /**
         * Replaces the Redis URIs ({@code redis://[:password@]host[:port][/db]} or {@code rediss://...}).
         * One URI: single-instance lock. Several: Redlock over independent masters.
         *
         * @param redisUris one or more URIs
         * @return this builder
         * @throws IllegalArgumentException if a URI is malformed (the message masks its password)
         */
        public Builder uris(String... redisUris) {
            Objects.requireNonNull(redisUris, "uris must not be null");
            return uris(Arrays.asList(redisUris));
        }

        /**
         * Replaces the Redis URIs.
         *
         * @param redisUris one or more URIs
         * @return this builder
         * @throws IllegalArgumentException if a URI is malformed (the message masks its password)
         */
        public Builder uris(List<String> redisUris) {
            Objects.requireNonNull(redisUris, "uris must not be null");
            List<String> checked = new ArrayList<>();
            for (String u : redisUris) {
                checked.add(Uris.check(u));
            }
            uris.clear();
            uris.addAll(checked);
            return this;
        }

        /**
         * A password for URIs that carry none (e.g. from {@code REDISLOCK_PASSWORD}); never printed.
         *
         * @param pw the password, or null for none
         * @return this builder
         */
        public Builder password(String pw) {
            this.password = (pw == null || pw.isEmpty()) ? null : pw;
            return this;
        }

        /**
         * The longest any single Redis call may take.
         *
         * @param d positive
         * @return this builder
         * @throws IllegalArgumentException if not positive or longer than 100 years
         */
        public Builder commandTimeout(Duration d) {
            this.commandTimeout = Checks.positive(d, "commandTimeout");
            return this;
        }

        /**
         * The longest a TCP connect may take.
         *
         * @param d positive
         * @return this builder
         * @throws IllegalArgumentException if not positive or longer than {@code Integer.MAX_VALUE} ms (24.8 days)
         */
        public Builder connectTimeout(Duration d) {
            Checks.positive(d, "connectTimeout");
            if (d.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("connectTimeout must be at most " + Integer.MAX_VALUE + " ms, was " + d);
            }
            this.connectTimeout = d;
            return this;
        }

        /**
         * The per-node timeout of a Redlock attempt.
         *
         * @param d positive
         * @return this builder
         * @throws IllegalArgumentException if not positive or longer than 100 years
         */
        public Builder nodeTimeout(Duration d) {
            this.nodeTimeout = Checks.positive(d, "nodeTimeout");
            return this;
        }

        /**
         * The clock drift allowance per unit of lease.
         *
         * @param f in [0, 0.5)
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder driftFactor(double f) {
            if (!(f >= 0.0 && f < 0.5)) {
                throw new IllegalArgumentException("driftFactor must be in [0, 0.5), was " + f);
            }
            this.driftFactor = f;
            return this;
        }

        /**
         * Enforces the delayed-restart rule client-side: ignore a node's vote while its uptime is below
         * the longest lease in use.
         *
         * @param on true to enforce
         * @return this builder
         */
        public Builder enforceDelayedRestart(boolean on) {
            this.enforceDelayedRestart = on;
            return this;
        }

        /**
         * The monotonic clock (tests inject a fake one).
         *
         * @param t the ticker
         * @return this builder
         */
        public Builder ticker(Ticker t) {
            this.ticker = Objects.requireNonNull(t, "ticker must not be null");
            return this;
        }

        /**
         * The executor that completes async results and runs lost-lease listeners.
         *
         * @param e the executor
         * @return this builder
         */
        public Builder callbackExecutor(Executor e) {
            this.callbackExecutor = Objects.requireNonNull(e, "callbackExecutor must not be null");
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if no URI was given or a URI is given twice
         */
        public LockClientOptions build() {
            if (uris.isEmpty()) {
                throw new IllegalArgumentException("at least one Redis URI is required");
            }
            Set<String> seen = new HashSet<>();
            for (String u : uris) {
                if (!seen.add(Uris.identity(u))) {
                    throw new IllegalArgumentException("duplicate Redis server " + Uris.identity(u) + " in "
                            + Uris.mask(u) + ": Redlock needs independent nodes, each given once");
                }
            }
            return new LockClientOptions(this);
        }
    }
}
