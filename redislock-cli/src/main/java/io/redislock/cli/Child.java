package io.redislock.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The command {@code redislock run} supervises: started with inherited stdio and extra environment,
 * signalled, and stopped (SIGTERM to it and its descendants, SIGKILL after a grace period).
 *
 * <p>Thread-safety: thread-safe.
 */
final class Child {
    private static final long POLL_MILLIS = 20;
    private static final Duration REAP_TIMEOUT = Duration.ofSeconds(5);

    private final Process process;
    private final SignalWitness witness;

    private Child(Process process) {
        this.process = process;
        this.witness = SignalWitness.start();
    }

    /**
     * Starts the command, through {@code setpriv --pdeathsig TERM} where available: the command then gets
     * SIGTERM if this process dies without stopping it (SIGKILL, or a signal the JVM does not handle). The
     * kernel sends it when the <em>thread</em> that started the command ends, so the caller's thread must
     * live until the command has exited. It also goes through {@code env --default-signal=QUIT} where
     * available, so that it starts with SIGQUIT unblocked, as from a shell. Both exec the command: its pid,
     * stdio, environment and exit code are the command's own.
     *
     * @param command the program and its arguments
     * @param extraEnv variables added to the inherited environment
     * @return the running command
     * @throws Executables.CannotStart if it cannot be started: 127 not found, 126 not executable
     */
    static Child start(List<String> command, Map<String, String> extraEnv) throws Executables.CannotStart {
        Executables.resolve(command.get(0), System.getenv("PATH"));
        List<String> argv = new ArrayList<>(Executables.launchPrefix(command.get(0)));
        argv.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(argv).inheritIO();
        pb.environment().putAll(extraEnv);
        try {
            return new Child(pb.start());
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            int i = m.indexOf("error=");
            throw new Executables.CannotStart("cannot start '" + LockInfoFormat.printable(command.get(0)) + "': "
                    + (i >= 0 ? m.substring(i) : m), m.contains("error=2,") ? ExitCodes.COMMAND_NOT_FOUND
                            : ExitCodes.CANNOT_EXECUTE); // ENOENT: not found; anything else: found, not runnable
        }
    }

    /** @return the process id */
    long pid() {
        return process.pid();
    }

    /** @return a future completed when the command exits */
    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /**
     * Waits for the exit (uninterruptibly: signals are forwarded, not acted on here).
     *
     * @return the exit code, 128+N if killed by signal N
     */
    int awaitExit() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Passes a signal this process just received on to the command and its descendants, except to those in
     * this process's group when the signal was sent to the whole group (a Ctrl-C at the terminal, a shell's
     * {@code kill %1}, a hangup): they got it already, and many programs take a second SIGINT as "quit now".
     * Where that cannot be told (see {@link SignalWitness}), a SIGINT is taken to have reached the group when
     * this process is in its terminal's foreground group; any other signal is passed on (twice is better than
     * never for SIGTERM).
     *
     * @param signal the signal received
     */
    void forward(SignalForwarder.Received signal) {
        boolean reachedGroup = witness.reachedGroup(signal.number(), signal.at())
                .orElseGet(() -> signal.name().equals("INT") && ProcessGroups.foregroundGroupOfSelf().isPresent());
        List<ProcessHandle> tree = tree();
        if (reachedGroup) {
            tree = ProcessGroups.outsideGroupOfSelf(tree);
        }
        send(signal.name(), tree);
    }

    /**
     * Passes on a signal that came while the command was being started: to all of its processes. It may have
     * come before the command existed, and a command that got it twice this early has seldom set up a handler
     * yet (twice does no harm then; never would let it run on).
     *
     * @param signal a signal name such as {@code "INT"} or {@code "TERM"}
     */
    void forwardToAll(String signal) {
        send(signal, tree());
    }

    private static void send(String signal, List<ProcessHandle> tree) {
        if (tree.isEmpty()) {
            return;
        }
        if (signal.equals("TERM")) {
            tree.forEach(ProcessHandle::destroy);
            return;
        }
        List<String> kill = new ArrayList<>(List.of("kill", "-" + signal));
        for (ProcessHandle h : tree) {
            kill.add(Long.toString(h.pid()));
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Process k = new ProcessBuilder(kill).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                k.getOutputStream().close();
                if (!k.waitFor(5, TimeUnit.SECONDS)) {
                    k.destroyForcibly();
                }
                return;
            } catch (IOException e) {
                if (String.valueOf(e.getMessage()).contains("error=2,")) {
                    return; // no kill(1): a SIGINT or SIGHUP cannot be sent (SIGTERM, above, needs none)
                }
                // a signal to the group killed the JVM's spawn helper as it started kill(1): try again
                sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops watching for signals (once the command has exited). */
    void stopWatching() {
        witness.close();
    }

    /**
     * Stops the command: SIGTERM to it and its descendants, SIGKILL to whatever is left after the grace
     * period, then waits (bounded) for the command to be reaped.
     *
     * @param grace how long to wait after SIGTERM
     * @return true if SIGKILL was needed
     */
    boolean terminate(Duration grace) {
        List<ProcessHandle> tree = tree();
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        boolean interrupted = false;
        while (anyAlive(tree) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        boolean killed = false;
        if (process.isAlive()) {
            tree.addAll(process.descendants().toList());
        }
        for (ProcessHandle h : tree) {
            if (h.isAlive()) {
                h.destroyForcibly();
                killed = true;
            }
        }
        try {
            process.waitFor(REAP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return killed;
    }

    /** Kills the command and its descendants at once (JVM shutdown while it still runs). */
    void killNow() {
        tree().forEach(ProcessHandle::destroyForcibly);
    }

    private List<ProcessHandle> tree() {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        try {
            tree.addAll(process.descendants().toList());
        } catch (RuntimeException e) {
            // the process table could not be read; the command itself is still in the list
        }
        return tree;
    }

    private static boolean anyAlive(List<ProcessHandle> handles) {
        for (ProcessHandle h : handles) {
            if (h.isAlive()) {
                return true;
            }
        }
        return false;
    }
}
