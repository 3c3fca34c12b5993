package io.redislock.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Tells whether a signal this process got was sent to its whole process group (a Ctrl-C at the terminal, a
 * shell's {@code kill %1}, a terminal hangup, {@code kill -- -PGID}) or to this process alone ({@code kill PID},
 * {@code timeout --foreground}, {@code docker kill}): a child of ours that shares the group and has every
 * signal's default action ({@code cat} reading a pipe from us) would have died of a group-wide one. The
 * command's processes in our group then got the signal already and must not get it a second time.
 *
 * <p>The witness exits when this JVM dies in any way (its stdin pipe closes). After it dies of a signal,
 * a new one is started, on a thread of its own that lives as long as this object.
 *
 * <p>Thread-safety: thread-safe.
 */
final class SignalWitness implements AutoCloseable {
    /** How long a signal sent to the group may take to show at the witness (the sender is still looping). */
    private static final long[] CHECKS_MILLIS = {0, 2, 10, 25};
    private static final int SIGKILL = 9;

    private final ExecutorService starter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "redislock-signal-witness");
        t.setDaemon(true);
        return t;
    });
    /** A signal handled this soon after a group-wide one "came just after it". */
    private static final long RECENT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * A witness started this recently may have started after the signal was sent (the JVM hands a signal to
     * its handler a few ms after it came, more under load): it cannot tell.
     */
    private static final long SETTLING_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private Process witness; // guarded by this
    private long witnessStarted; // guarded by this; System.nanoTime() before the witness was started
    private boolean closed; // guarded by this
    /** System.nanoTime() when a signal that reached the group was last seen; 0 = never. */
    private long lastGroupSignal; // guarded by this

    private SignalWitness() {}

    /**
     * Starts watching (the witness starts in the background).
     *
     * @return the witness
     */
    static SignalWitness start() {
        SignalWitness w = new SignalWitness();
        w.restart();
        return w;
    }

    /**
     * Whether a signal just received reached this process's whole group.
     *
     * @param number the signal's number
     * @return true if it did, false if it was sent to this process alone, empty if it cannot be told: no
     *     witness (yet, or being replaced after a signal), one started just now, or one that died of something
     *     else
     */
    Optional<Boolean> reachedGroup(int number) {
        Process w;
        boolean settled;
        synchronized (this) {
            w = witness;
            settled = System.nanoTime() - witnessStarted >= SETTLING_NANOS;
        }
        if (w == null) {
            return Optional.empty();
        }
        for (long pause : CHECKS_MILLIS) {
            sleep(pause);
            if (!w.isAlive()) {
                boolean group = w.exitValue() == 128 + number;
                replace(group);
                return group ? Optional.of(true) : Optional.empty();
            }
            if (pending(w.pid(), number)) {
                replace(true);
                return Optional.of(true);
            }
        }
        return settled ? Optional.of(false) : Optional.empty();
    }

    /** @return true if a signal that reached the group was seen less than a second ago */
    synchronized boolean groupSignalRecently() {
        return lastGroupSignal != 0 && System.nanoTime() - lastGroupSignal < RECENT_NANOS;
    }

    private void replace(boolean afterGroupSignal) {
        synchronized (this) {
            if (afterGroupSignal) {
                long now = System.nanoTime();
                lastGroupSignal = now == 0 ? 1 : now;
            }
        }
        restart();
    }

    /** @return the current witness's pid, if one runs (for tests) */
    synchronized java.util.OptionalLong pid() {
        return witness == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(witness.pid());
    }

    /**
     * @param pid a process
     * @param number a signal number
     * @return true if that signal (or the SIGKILL the kernel adds for a fatal one) is pending for it, or it is
     *     a zombie
     */
    static boolean pending(long pid, int number) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"),
                    StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.startsWith("State:") && (line.contains("zombie") || line.contains("dead"))) {
                    return true;
                }
                if (line.startsWith("SigPnd:") || line.startsWith("ShdPnd:")) {
                    long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    if ((mask & (1L << (number - 1) | 1L << (SIGKILL - 1))) != 0) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false; // gone (the caller checks isAlive) or not Linux
        }
    }

    /** Replaces a dead or missing witness with a new one, started on the long-lived thread. */
    private void restart() {
        synchronized (this) {
            if (closed) {
                return;
            }
            witness = null;
        }
        try {
            starter.execute(this::spawn);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closed meanwhile
        }
    }

    private void spawn() {
        Process p;
        long started = System.nanoTime();
        try {
            p = new ProcessBuilder("cat").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException | RuntimeException e) {
            System.err.println("DBG spawn failed " + e);
            return; // no cat: signals are told apart as without a witness
        }
        synchronized (this) {
            if (!closed) {
                witness = p;
                witnessStarted = started;
                return;
            }
        }
        p.destroyForcibly();
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
