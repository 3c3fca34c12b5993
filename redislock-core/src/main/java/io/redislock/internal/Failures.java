package io.redislock.internal;

import io.redislock.LockUnavailableException;
import io.redislock.redlock.QuorumNotReachedException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The typed failures of an acquisition, and how a Redis error is described (without secrets). */
final class Failures {
    private static final Pattern SCRIPT_SUFFIX = Pattern.compile("\\s*script: [0-9a-f]{40}, on @user_script:\\d+\\.?$");
    private static final Pattern SCRIPT_PREFIX = Pattern.compile(
            "^ERR Error running script \\(call to f_[0-9a-f]{40}\\): @user_script:\\d+: (?:@user_script: \\d+: -?)?");
    /** Redis echoes the arguments of an unknown command (script SHA, keys, owner token): not needed. */
    private static final Pattern ARGS_ECHO = Pattern.compile(", with args beginning with: .*$");

    private Failures() {
    }

    /**
     * The failure of an acquisition that could not reach enough nodes, or whose grant came too late.
     *
     * @param what what could not be done, e.g. "could not acquire"
     * @return a {@link LockUnavailableException} (one node) or a {@link QuorumNotReachedException}
     */
    static RuntimeException unavailable(List<RedisNode> nodes, int quorum, LockImpl l, Attempt a, String what) {
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
            if (errorReply(cause)) {
                return new LockUnavailableException(what + " lock '" + l.name() + "': Redis at " + nodes.get(0).display
                        + " replied with an error: " + replyText(cause), cause);
            }
            if (notSent(cause)) {
                return new LockUnavailableException(what + " lock '" + l.name() + "': the connection to Redis at "
                        + nodes.get(0).display + " was lost and is not back yet (it reconnects by itself); check that"
                        + " it is running and reachable", cause);
            }
            return new LockUnavailableException(what + " lock '" + l.name() + "': Redis at " + nodes.get(0).display
                    + " did not answer" + (cause == null ? "" : timeout(cause) ? " in time" : " (" + describe(cause) + ")")
                    + "; check that it is running and reachable", cause);
        }
        long young = a.errors().stream().filter(e -> e instanceof LockUnavailableException).count();
        String why = young == 0 ? "" : " (" + young + " more answered but restarted less than the longest lease ago, so"
                + " their grants do not count: enforceDelayedRestart)";
        long refused = a.errors().stream().filter(Failures::authenticationFailed).count();
        if (refused > 0) {
            why += " (" + refused + " more refused the credentials; check the password)";
        }
        List<Throwable> replies = a.errors().stream().filter(e -> errorReply(e) && !authenticationFailed(e)).toList();
        if (!replies.isEmpty()) {
            why += " (" + replies.size() + " more replied with an error: " + replyText(replies.get(0)) + ")";
        }
        // nodes that answered with a grant that does not count, refused credentials or an error reply are not
        // among those that "answered": say so, or "only 0 of 3 answered" reads as if none did
        String answered = why.isEmpty() ? " Redis nodes answered" : " Redis nodes answered with a vote that counts";
        QuorumNotReachedException q = new QuorumNotReachedException(what + " lock '" + l.name() + "': only "
                + a.answered() + " of " + nodes.size() + answered + ", a majority needs " + quorum + why,
                a.answered(), nodes.size());
        for (Throwable t : a.errors()) {
            q.addSuppressed(t);
        }
        return q;
    }

    /** @return whether Redis answered with an error reply (a server error, not a timeout or lost connection) */
    static boolean errorReply(Throwable t) {
        return t != null && Futures.unwrap(t) instanceof io.lettuce.core.RedisCommandExecutionException;
    }

    /**
     * The text of an error reply without the script's location: Redis 7 appends {@code script: <sha>, on
     * @user_script:N.}, Redis 6.2 puts {@code ERR Error running script (call to f_<sha>): @user_script:N:} first.
     */
    static String replyText(Throwable t) {
        String m = String.valueOf(Futures.unwrap(t).getMessage()).strip();
        m = SCRIPT_SUFFIX.matcher(m).replaceFirst("");
        m = SCRIPT_PREFIX.matcher(m).replaceFirst("");
        m = ARGS_ECHO.matcher(m).replaceFirst("");
        return Uris.maskText(m);
    }

    /**
     * Whether retrying cannot help: the credentials were refused, the ACL forbids the commands (NOPERM), a
     * lock key holds another type of value (WRONGTYPE, e.g. another application's data under that name) or
     * its fencing counter is not a number, or the server does not know a command the scripts need (renamed
     * or disabled: "unknown command").
     *
     * @param t a node's failure
     * @return whether it is permanent
     */
    static boolean permanent(Throwable t) {
        if (authenticationFailed(t)) {
            return true;
        }
        if (!errorReply(t)) {
            return false;
        }
        String m = Futures.unwrap(t).getMessage();
        return m != null && (m.startsWith("WRONGTYPE") || m.startsWith("NOPERM") || m.contains(" WRONGTYPE ")
                || m.contains("NOPERM ") || m.startsWith("ERR unknown command")
                || m.contains("Unknown Redis command called from")
                // Redis 6.2's ACL refusal inside a script has no NOPERM
                || m.contains("The user executing the script can't run this command")
                // a fencing counter another program overwrote with something that is not a number
                || m.contains("value is not an integer") || m.contains("is not a number: another program"));
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

    /**
     * Whether {@code t} says that the connection failed rather than what Redis answered: not connected
     * (Lettuce rejects commands while it reconnects), closed, or the connect itself failed. A timeout is not
     * one: Redis may be slow.
     *
     * @param t a node's failure
     * @return whether it is a connection failure
     */
    static boolean connectionLost(Throwable t) {
        Throwable c = Futures.unwrap(t);
        if (c instanceof java.io.IOException) {
            return true;
        }
        return c instanceof io.lettuce.core.RedisException
                && !(c instanceof io.lettuce.core.RedisCommandExecutionException)
                && !(c instanceof io.lettuce.core.RedisCommandTimeoutException);
    }

    /**
     * Whether {@code t} says that a connect failed (refused, timed out, handshake refused): no command was
     * written on it.
     *
     * @param t a node's failure
     * @return whether a connect failed
     */
    static boolean connectFailed(Throwable t) {
        return Futures.unwrap(t) instanceof io.lettuce.core.RedisConnectionException;
    }

    /**
     * Whether {@code t} says the client refused to send a command because its connection is down (Lettuce's
     * "Currently not connected. Commands are rejected." while it reconnects): nothing was written.
     *
     * @param t a node's failure
     * @return whether the command was never sent
     */
    static boolean notSent(Throwable t) {
        Throwable c = Futures.unwrap(t);
        String m = c.getMessage();
        return c instanceof io.lettuce.core.RedisException && m != null && m.contains("Commands are rejected");
    }

    /**
     * Whether {@code t} says that the server could not be reached at all (connection refused, connect timed
     * out, unknown host): nothing was said about the credentials.
     *
     * @param t a connect failure
     * @return whether the connection was never established
     */
    static boolean notReached(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.ConnectException || c instanceof java.net.UnknownHostException
                    || c instanceof java.net.NoRouteToHostException) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /**
     * A failure as a short text without secrets: a timeout or a failed connect by its message alone (with
     * the connect's root cause, e.g. "Unable to connect to h:1: Connection refused"), an error reply by its
     * text ("WRONGPASS invalid username-password pair ..."), anything else with its class name, which says
     * more than its message.
     */
    static String describe(Throwable t) {
        Throwable c = Futures.unwrap(t);
        String m = text(c);
        if (timeout(c)) {
            return m.isEmpty() ? "timed out" : m;
        }
        if (c instanceof io.lettuce.core.RedisCommandExecutionException && !m.isEmpty()) {
            return m;
        }
        if (c instanceof io.lettuce.core.RedisConnectionException) {
            String root = text(rootCause(c));
            return m.contains(root) ? m : m + ": " + root;
        }
        return c.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
    }

    /** @return whether {@code t} is a timeout: Redis (or the connect) did not answer in time */
    static boolean timeout(Throwable t) {
        Throwable c = Futures.unwrap(t);
        return c instanceof java.util.concurrent.TimeoutException
                || c instanceof io.lettuce.core.RedisCommandTimeoutException;
    }

    private static String text(Throwable t) {
        String m = t.getMessage();
        // Lettuce prints an address it has not resolved as "host/<unresolved>:port"
        return m == null ? "" : Uris.maskText(m.strip()).replace("/<unresolved>:", ":");
    }
}
