package io.redislock.testing;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts the redis-server processes of {@link RedisServer} so that they die with this JVM, even when it is
 * killed with SIGKILL: through util-linux {@code setpriv --pdeathsig KILL} where it is installed, and always
 * from one daemon thread that lives as long as the JVM. The kernel sends the parent-death signal when the
 * <em>thread</em> that started the process ends, so a server started directly from a JUnit, pool or demo
 * thread would be killed as soon as that thread ends. SIGKILL also ends a server stopped by
 * {@link RedisServer#pause()}. setpriv execs the program: the process's pid, output and exit code are the
 * program's own. Without setpriv, processes are started as before and outlive a JVM that dies without
 * running its shutdown hooks.
 *
 * <p>Thread-safety: thread-safe.
 */
final class Spawner {

    private static final List<Path> SETPRIV = List.of(Path.of("/usr/bin/setpriv"), Path.of("/bin/setpriv"));
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    /** A start handed to the spawner thread, and its outcome. */
    private record Request(ProcessBuilder builder, CompletableFuture<Process> result) {

        void run() {
            if (result.isDone()) {
                return; // the caller gave up waiting
            }
            try {
                Process p = builder.start();
                if (!result.complete(p)) {
                    p.destroyForcibly(); // the caller gave up while it started: nobody would stop it
                }
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }
    }

    private Spawner() {
    }

    /**
     * Starts a process from the spawner thread, prefixed with {@code setpriv --pdeathsig KILL --} when
     * available, and waits (bounded) for the start. The builder itself is not changed.
     *
     * @param builder the command, directory, environment and redirects to start with
     * @return the started process; its pid is the program's own
     * @throws IOException if it cannot be started; {@link InterruptedIOException} if this thread is
     *     interrupted or the start does not finish within 30 s (scaled)
     */
    static Process start(ProcessBuilder builder) throws IOException {
        Request request = new Request(copy(builder, command(builder.command())), new CompletableFuture<>());
        Holder.QUEUE.add(request);
        Duration timeout = TestTimeouts.scaled(START_TIMEOUT);
        try {
            return request.result().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            giveUp(request);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while starting " + builder.command());
        } catch (TimeoutException e) {
            giveUp(request);
            throw new InterruptedIOException("starting " + builder.command() + " took more than " + timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException("cannot start " + builder.command(), cause);
        }
    }

    /** Gives up a start; a process that started just before is killed, since nobody would stop it. */
    private static void giveUp(Request request) {
        if (!request.result().cancel(false)) {
            Process late = request.result().getNow(null);
            if (late != null) {
                late.destroyForcibly();
            }
        }
    }

    /**
     * The command as it is started: behind {@code setpriv --pdeathsig KILL --} when setpriv is available.
     *
     * @param command the program and its arguments
     * @return a new list
     */
    static List<String> command(List<String> command) {
        List<String> argv = new ArrayList<>();
        setpriv().ifPresent(setpriv -> argv.addAll(List.of(setpriv.toString(), "--pdeathsig", "KILL", "--")));
        argv.addAll(command);
        return argv;
    }

    /**
     * The {@code setpriv} processes are started with, if one is installed and supports {@code --pdeathsig};
     * probed once (one short process).
     *
     * @return its path, or empty to start processes directly
     */
    static Optional<Path> setpriv() {
        return SetprivHolder.PATH;
    }

    /**
     * Finds setpriv: the first of {@code preferred}, else the first in an absolute entry of {@code
     * pathVariable} (never a relative one such as {@code .}), that is an executable regular file.
     *
     * @param preferred paths tried first
     * @param pathVariable a {@code PATH}-style list of directories, may be null
     * @return the file found, not yet known to support {@code --pdeathsig}
     */
    static Optional<Path> locate(List<Path> preferred, String pathVariable) {
        List<Path> candidates = new ArrayList<>(preferred);
        for (String dir : String.valueOf(pathVariable).split(":")) {
            if (dir.startsWith("/")) {
                try {
                    candidates.add(Path.of(dir + File.separator + "setpriv"));
                } catch (InvalidPathException e) {
                    // not a usable directory
                }
            }
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> probe() {
        Optional<Path> found = locate(SETPRIV, System.getenv("PATH"));
        if (found.isEmpty()) {
            return found;
        }
        String s = found.get().toString();
        try {
            Process p = new ProcessBuilder(s, "--pdeathsig", "KILL", "--", s, "--version")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            p.getOutputStream().close();
            // the answer is kept for the JVM's lifetime: an interrupt of the first caller must not decide it
            long deadline = System.nanoTime() + TestTimeouts.scaled(PROBE_TIMEOUT).toNanos();
            boolean interrupted = false;
            while (p.isAlive() && System.nanoTime() < deadline) {
                try {
                    p.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (p.isAlive()) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? found : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static ProcessBuilder copy(ProcessBuilder builder, List<String> command) {
        ProcessBuilder copy = new ProcessBuilder(command)
                .directory(builder.directory())
                .redirectInput(builder.redirectInput())
                .redirectOutput(builder.redirectOutput())
                .redirectError(builder.redirectError())
                .redirectErrorStream(builder.redirectErrorStream());
        copy.environment().clear();
        copy.environment().putAll(builder.environment());
        return copy;
    }

    /** Takes requests forever; nothing a request does can end this thread. */
    private static void serve(BlockingQueue<Request> queue) {
        while (true) {
            try {
                queue.take().run();
            } catch (InterruptedException e) {
                // Not ending: every process started here would get its parent-death signal.
            } catch (Throwable t) {
                // Request.run reports its failures to the caller; keep serving regardless.
            }
        }
    }

    private static final class SetprivHolder {
        static final Optional<Path> PATH = probe();
    }

    private static final class Holder {
        static final BlockingQueue<Request> QUEUE = new LinkedBlockingQueue<>();

        static {
            Thread thread = new Thread(() -> serve(QUEUE), "redislock-redis-spawner");
            thread.setDaemon(true);
            thread.setContextClassLoader(Spawner.class.getClassLoader());
            thread.start();
        }
    }
}
