package io.redislock.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Tells whether a signal this process got was sent to its whole process group (a Ctrl-C at the terminal, a
 * shell's {@code kill %1}, a terminal hangup, {@code kill -- -PGID}) or to this process alone ({@code kill PID},
 * {@code timeout --foreground}, {@code docker kill}): a child of ours that shares the group and has every
 * signal's default action ({@code cat} reading a pipe from us) gets every group-wide signal, and dies of it.
 * The command's processes in our group then got the signal already and must not get it a second time.
 *
 * <p>The kernel marks a group-wide signal pending at the witness before this JVM's handler runs, so a
 * handler reads the witness when it starts (and twice more within 5 ms, as the witness may be exiting). A
 * dead witness is replaced, on a thread of its own; what it died of is remembered until its replacement has
 * settled (at most a second), so that the same signal handled meanwhile (a second Ctrl-C) still counts as
 * sent to the group.
 *
 * <p>The witness exits when this JVM dies in any way (its stdin pipe closes).
 *
 * <p>Thread-safety: thread-safe; signals are judged one at a time (see {@link SignalForwarder}).
 */
final class SignalWitness implements AutoCloseable {
    /** When a handler reads the witness: at once, then as it may be exiting (not reaped, not yet a zombie). */
    private static final long[] CHECKS_MILLIS = {0, 2, 3};
    /** The signals passed on: SIGHUP, SIGINT, SIGTERM. */
    private static final Set<Integer> WATCHED = Set.of(1, 2, 15);
    /** A signal handled this soon after the same signal reached the group "came just after it". */
    private static final long RECENT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * A witness started this recently may have started after the signal was sent (the JVM hands a signal to
     * its handler some ms after it came, more under load): if it shows nothing, that tells nothing.
     */
    private static final long SETTLING_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** {@code /proc/PID/stat} field after the command name: the kernel's flags word. */
    private static final int FLAGS = 6;
    private static final long PF_EXITING = 0x4;

    private final ExecutorService starter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "redislock-signal-witness");
        t.setDaemon(true);
        return t;
    });
    private Process witness; // guarded by this
    private long witnessStarted; // guarded by this; System.nanoTime() once the witness runs
    private boolean replacing; // guarded by this
    private boolean closed; // guarded by this
    /** What the last witness found dead or dying died of: valid until its replacement has settled. */
    private Set<Integer> diedOf = Set.of(); // guarded by this
    private long diedAt; // guarded by this; System.nanoTime() when that was found

    private SignalWitness() {}

    /**
     * Starts watching (the witness starts in the background).
     *
     * @return the witness
     */
    static SignalWitness start() {
        SignalWitness w = new SignalWitness();
        w.replace(null);
        return w;
    }

    /**
     * Whether a signal reached this process's whole group.
     *
     * @param number the signal's number
     * @param arrived System.nanoTime() when its handler started: a witness started since cannot have seen it
     * @return true if it did, false if it was sent to this process alone, empty if it cannot be told: no
     *     witness (yet, or being replaced), or one that shows nothing but may have started after the signal
     *     was sent, or died of another signal; true also then if the witness being replaced died of this same
     *     signal, less than a second before
     */
    Optional<Boolean> reachedGroup(int number, long arrived) {
        Process w;
        boolean settled;
        synchronized (this) {
            w = witness;
            settled = w != null && arrived - witnessStarted >= SETTLING_NANOS;
        }
        Set<Integer> seen = Set.of();
        boolean dead = false;
        if (w != null) {
            for (long pause : CHECKS_MILLIS) {
                sleep(pause);
                seen = signalsAt(w);
                dead = !w.isAlive() || exiting(w.pid());
                if (dead && seen.isEmpty()) {
                    seen = signalsAt(w); // it began to exit just after the read: its exit status tells
                }
                if (!seen.isEmpty() || dead) {
                    break;
                }
            }
        }
        synchronized (this) {
            long now = System.nanoTime();
            if (!seen.isEmpty()) {
                diedOf = seen;
                diedAt = now;
            }
            if (seen.contains(number)) {
                replace(w);
                return Optional.of(true);
            }
            if (settled && seen.isEmpty() && !dead) {
                return Optional.of(false); // it would have got a signal sent to the group
            }
            if (w != null && (!seen.isEmpty() || dead)) {
                replace(w); // died of, or is dying of, something else: it could not have seen this signal
                return Optional.empty();
            }
            // no witness, or one that may postdate the signal: while the one found dead is being replaced, the
            // same signal again (a second Ctrl-C) most likely reached the group as well
            boolean replacing = w == null || witnessStarted - diedAt > 0;
            return replacing && diedOf.contains(number) && now - diedAt < RECENT_NANOS
                    ? Optional.of(true) : Optional.empty();
        }
    }

    /** @return the current witness's pid, if one runs (for tests) */
    synchronized OptionalLong pid() {
        return witness == null ? OptionalLong.empty() : OptionalLong.of(witness.pid());
    }

    /**
     * @param w the witness
     * @return the watched signals it died of or has pending
     */
    private static Set<Integer> signalsAt(Process w) {
        Set<Integer> seen = new TreeSet<>();
        if (w.isAlive()) {
            for (int s : WATCHED) {
                if (pending(w.pid(), s)) {
                    seen.add(s);
                }
            }
            if (!exiting(w.pid())) {
                return seen;
            }
        }
        // exiting, a zombie, or gone from /proc: its exit status says what it died of (and what is still
        // pending, read above, what reached it just after)
        try {
            w.waitFor(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!w.isAlive()) {
            int code = w.exitValue();
            if (code > 128 && WATCHED.contains(code - 128)) {
                seen.add(code - 128);
            }
        }
        return seen;
    }

    /**
     * @param pid a process
     * @return true if it is exiting (PF_EXITING), a zombie, or gone from {@code /proc}
     */
    static boolean exiting(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            int close = stat.lastIndexOf(')');
            if (close < 0 || stat.length() <= close + 2) {
                return false;
            }
            return "ZX".indexOf(stat.charAt(close + 2)) >= 0
                    || (ProcessGroups.parse(stat, FLAGS).orElse(0) & PF_EXITING) != 0;
        } catch (java.nio.file.NoSuchFileException e) {
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // not Linux
        }
    }

    /**
     * @param pid a process
     * @param number a signal number
     * @return true if that signal is pending for it (a fatal one stays in the shared set until it exits)
     */
    static boolean pending(long pid, int number) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"),
                    StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.startsWith("SigPnd:") || line.startsWith("ShdPnd:")) {
                    long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    if ((mask & 1L << (number - 1)) != 0) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false; // gone (the caller checks isAlive) or not Linux
        }
    }

    /**
     * Starts a new witness in place of {@code dead} (null: the first), unless another one already took its
     * place or is being started.
     */
    private synchronized void replace(Process dead) {
        if (closed || replacing || witness != dead) {
            return;
        }
        witness = null;
        replacing = true;
        try {
            starter.execute(this::spawn);
        } catch (RejectedExecutionException closing) {
            replacing = false;
        }
    }

    private void spawn() {
        Process p = null;
        for (int attempt = 0; attempt < 3 && p == null; attempt++) {
            try {
                p = new ProcessBuilder("cat").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException | RuntimeException e) {
                // no cat (signals are then told apart as without a witness), or a signal to the group killed
                // the JVM's spawn helper as it started: try again
                sleep(10);
            }
        }
        synchronized (this) {
            replacing = false;
            if (p != null && !closed) {
                Process started = p;
                witness = started;
                witnessStarted = System.nanoTime();
                started.onExit().thenRun(() -> exited(started));
                return;
            }
        }
        if (p != null) {
            p.destroyForcibly();
        }
    }

    /**
     * A witness exited: if it is still the current one, what it died of is recorded (as when a handler finds
     * it dead) and a new one is started at once, so that a witness killed by anything else is not taken, at
     * the next signal, for one that this signal reached.
     */
    private void exited(Process w) {
        synchronized (this) {
            if (witness != w) {
                return;
            }
            int code = w.exitValue();
            if (code > 128 && WATCHED.contains(code - 128)) {
                diedOf = Set.of(code - 128);
                diedAt = System.nanoTime();
            }
            replace(w);
        }
    }

    @Override
    public void close() {
        Process w;
        synchronized (this) {
            closed = true;
            w = witness;
            witness = null;
        }
        starter.shutdown();
        if (w != null) {
            w.destroyForcibly();
        }
        try {
            starter.awaitTermination(1, TimeUnit.SECONDS); // a start in progress destroys its own process
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
