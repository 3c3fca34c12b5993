package io.redislock.cli;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Error replies from Redis (WRONGTYPE, a failing Lua script, OOM, ...) found in a failure, described as
 * what they are instead of as Redis not answering. Found by class name, so that the command line does not
 * depend on the Redis client the library uses.
 *
 * <p>Thread-safety: stateless.
 */
final class RedisReplies {
    private static final String ERROR_REPLY = "io.lettuce.core.RedisCommandExecutionException";
    private static final Pattern CONTEXT = Pattern.compile("^(could not [a-z ]+?(?: lock '.*?')?): ");
    private static final Pattern SCRIPT_SUFFIX = Pattern.compile("\\s*script: [0-9a-f]{40}, on @user_script:\\d+\\.?$");
    /** Redis 6.2 puts the script's location first. */
    private static final Pattern SCRIPT_PREFIX = Pattern.compile(
            "^ERR Error running script \\(call to f_[0-9a-f]{40}\\): @user_script:\\d+: (?:@user_script: \\d+: -?)?");
    /** Redis echoes the arguments of an unknown command (script SHA, keys, owner token): not needed. */
    private static final Pattern ARGS_ECHO = Pattern.compile(", with args beginning with: .*$");
    private static final int MAX_CAUSES = 64;
    private static final Pattern COUNT =
            Pattern.compile("only \\d+ of \\d+ Redis nodes answered(?: with a vote that counts)?(?:, a majority needs \\d+)?");

    private RedisReplies() {}

    /**
     * Describes a failure caused by a Redis error reply, e.g. {@code could not read lock 'x': Redis at
     * 127.0.0.1:6379 replied with an error: WRONGTYPE Operation against a key holding the wrong kind of value}.
     *
     * @param failure the failure
     * @param uris the Redis URIs in use (one names the server; several give "a Redis node")
     * @return the description, or empty if no error reply caused it, it was a refused password (already
     *     explained), or the message says so already
     */
    static Optional<String> describe(Throwable failure, List<String> uris) {
        String message = String.valueOf(failure.getMessage());
        if (message.contains("replied with an error")) {
            return Optional.empty();
        }
        Optional<String> reply = find(failure);
        if (reply.isEmpty() || refusedCredentials(reply.get())) {
            return Optional.empty();
        }
        Matcher m = CONTEXT.matcher(message);
        String context = m.find() ? m.group(1) + ": " : "";
        // under Redlock, keep how many nodes answered: the reply is only the first node's failure
        Matcher count = COUNT.matcher(message);
        String answered = count.find() ? count.group() + "; " : "";
        return Optional.of(context + answered + where(uris) + " replied with an error: " + reply.get());
    }

    /**
     * The text of the first Redis error reply among a failure's causes and suppressed failures.
     *
     * @param failure the failure
     * @return the reply, without the script location Redis adds (after it on 7, before it on 6.2)
     */
    static Optional<String> find(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Deque<Throwable> todo = new ArrayDeque<>();
        todo.add(failure);
        while (!todo.isEmpty() && seen.size() < MAX_CAUSES) {
            Throwable t = todo.poll();
            if (seen.put(t, Boolean.TRUE) != null) {
                continue;
            }
            if (isErrorReply(t) && t.getMessage() != null) {
                String m = SCRIPT_SUFFIX.matcher(t.getMessage().strip()).replaceFirst("");
                m = SCRIPT_PREFIX.matcher(m).replaceFirst("");
                return Optional.of(ARGS_ECHO.matcher(m).replaceFirst(""));
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            todo.addAll(List.of(t.getSuppressed()));
        }
        return Optional.empty();
    }

    private static boolean isErrorReply(Throwable t) {
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(ERROR_REPLY)) {
                return true;
            }
        }
        return false;
    }

    private static boolean refusedCredentials(String reply) {
        String r = reply.toUpperCase(Locale.ROOT);
        return r.startsWith("WRONGPASS") || r.startsWith("NOAUTH") || r.contains("INVALID PASSWORD");
    }

    private static String where(List<String> uris) {
        if (uris.size() != 1) {
            return "a Redis node";
        }
        try {
            URI u = URI.create(uris.get(0));
            if (u.getHost() != null) {
                return "Redis at " + u.getHost() + ":" + (u.getPort() < 0 ? 6379 : u.getPort());
            }
        } catch (IllegalArgumentException e) {
            // not a URI this can read: no address
        }
        return "Redis";
    }
}
