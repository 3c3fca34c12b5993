package io.redislock.cli;

import io.redislock.LockLostException;
import io.redislock.LockTimeoutException;
import io.redislock.LockUnavailableException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * The exit codes of {@code redislock}, mapped from the exception hierarchy of the core library; printed
 * in the top-level {@code --help}. Codes follow {@code sysexits.h} where one fits and the shells' 127 for
 * a command that is not found, 126 for one that cannot be executed. {@code run} otherwise exits with its
 * command's own code, 128+N if the command was killed by signal N.
 *
 * <p>Thread-safety: stateless.
 */
public final class ExitCodes {
    /** Success (for {@code run}: the command exited 0). */
    public static final int OK = 0;
    /** The demo found a problem, or an unexpected error. */
    public static final int FAILURE = 1;
    /** Bad arguments (EX_USAGE). */
    public static final int USAGE = 64;
    /** Redis (or a majority of the Redlock nodes) could not be reached or replied with an error (EX_UNAVAILABLE). */
    public static final int UNAVAILABLE = 69;
    /** The lease was lost while the command ran, or had lapsed when it ended (EX_IOERR). */
    public static final int LEASE_LOST = 74;
    /** The results could not be written to stdout, e.g. a full device (EX_IOERR, as {@link #LEASE_LOST}). */
    public static final int OUTPUT_FAILED = 74;
    /** The lock was not acquired within {@code --wait} (EX_TEMPFAIL). */
    public static final int NOT_ACQUIRED = 75;
    /** {@code run}: the command was found but cannot be executed, e.g. not executable or a directory (as in shells). */
    public static final int CANNOT_EXECUTE = 126;
    /** {@code run}: the command was not found (as in shells). */
    public static final int COMMAND_NOT_FOUND = 127;

    private ExitCodes() {}

    /**
     * The documented table, code to meaning, in the order it is printed.
     *
     * @return an ordered, unmodifiable map
     */
    public static Map<String, String> table() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put(Integer.toString(OK), "ok (run: the command exited 0)");
        t.put(Integer.toString(USAGE), "usage error: bad or missing arguments");
        t.put(Integer.toString(UNAVAILABLE), "Redis unavailable or replied with an error (or no Redlock majority answered)");
        t.put(Integer.toString(LEASE_LOST), "lease lost while the command ran: its work may have run unprotected;"
                + " or the results could not be written to stdout");
        t.put(Integer.toString(NOT_ACQUIRED), "lock not acquired within --wait (held elsewhere)");
        t.put(Integer.toString(CANNOT_EXECUTE), "run: the command was found but is not executable (or a directory)");
        t.put(Integer.toString(COMMAND_NOT_FOUND), "run: the command was not found");
        t.put(Integer.toString(FAILURE), "demo failed, or an unexpected error");
        t.put("other", "run: the command's own exit code (128+N if it was killed by signal N)");
        return java.util.Collections.unmodifiableMap(t);
    }

    /**
     * The exit code for a failure.
     *
     * @param e the failure
     * @return 75, 74, 69, 64 or 1
     */
    public static int of(Throwable e) {
        if (e instanceof LockTimeoutException) {
            return NOT_ACQUIRED;
        }
        if (e instanceof LockLostException) {
            return LEASE_LOST;
        }
        if (e instanceof LockUnavailableException || RedisReplies.find(e).isPresent()) {
            return UNAVAILABLE;
        }
        if (e instanceof CommandLine.ParameterException || e instanceof IllegalArgumentException) {
            return USAGE;
        }
        return FAILURE;
    }
}
