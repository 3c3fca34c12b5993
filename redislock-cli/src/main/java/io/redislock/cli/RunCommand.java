package io.redislock.cli;

import io.redislock.DistributedLock;
import io.redislock.Lease;
import io.redislock.LeaseLostEvent;
import io.redislock.LockClient;
import io.redislock.LockOptions;
import io.redislock.LockTimeoutException;
import io.redislock.LockUnavailableException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code redislock run}: runs a command while holding a lock, like {@code flock(1)} for Redis. The lease
 * is renewed while the command runs; if it is lost the command is stopped and the exit code is 74, so
 * that the caller learns its work may have run unprotected.
 *
 * <p>Thread-safety: one invocation per instance.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = RedislockCommand.Version.class, sortOptions = false,
        header = "Run a command while holding a lock; exit with its exit code.",
        description = {"Acquire a lock, run CMD while holding it, release it when CMD ends, and exit with "
                + "CMD's exit code. CMD gets LOCK_NAME and LOCK_FENCING_TOKEN in its environment; pass the "
                + "fencing token to the resource you protect so it can reject writes from a stale holder.",
            "The lease is renewed every lease/3 while CMD runs. If it is lost (the key was deleted or taken "
                    + "over, or renewals failed until the lease's validity ended), CMD gets SIGTERM, SIGKILL "
                    + "after --kill-grace, and redislock exits 74. It also exits 74 if CMD finished after the "
                    + "lease had lapsed (e.g. this process was paused).",
            "SIGINT, SIGTERM and SIGHUP sent to redislock are passed on to CMD, once: a signal sent to the "
                    + "whole process group (a Ctrl-C at the terminal, kill %%1) reaches CMD by itself and is not "
                    + "passed on again; the lock is released after CMD exits. If redislock itself dies (SIGKILL, "
                    + "or another signal), CMD gets SIGTERM where "
                    + "util-linux setpriv is installed (CMD is started through setpriv --pdeathsig TERM). CMD "
                    + "starts with SIGQUIT unblocked where GNU env is installed (through env --default-signal=QUIT).",
            "Exits 127 if CMD is not found, 126 if it is not executable."},
        footer = {"", "Examples:",
            "  redislock run --name nightly-backup -- ./backup.sh /data",
            "  redislock run --redis redis://r1:6379,redis://r2:6379,redis://r3:6379 \\",
            "      --name deploy --wait 2m --lease 1m -- make deploy"})
public final class RunCommand implements Callable<Integer> {
    /** Environment variable carrying the lock name to CMD. */
    public static final String ENV_NAME = "LOCK_NAME";
    /** Environment variable carrying the fencing token to CMD. */
    public static final String ENV_FENCING_TOKEN = "LOCK_FENCING_TOKEN";
    /** The longest {@code --lease} (the library's limit). */
    private static final Duration MAX_LEASE = Duration.ofDays(36_500);
    /** How long the exit waits for the client's last cleanups after the lease was lost or Redis did not answer. */
    private static final Duration CLOSE_AFTER_LOSS = Duration.ofMillis(200);

    @Spec
    private CommandSpec spec;

    @Mixin
    private RedisOptions redis;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The lock name.")
    private String name;

    @Option(names = "--lease", paramLabel = "DURATION", defaultValue = "30s", converter = Durations.Positive.class,
            description = "Lease length: how long the lock outlives this process if it dies "
                    + "(500ms, 30s, 1.5s, 5m, 1h, 1m30s or seconds; default: ${DEFAULT-VALUE}).")
    private Duration lease;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "0s", converter = Durations.NonNegative.class,
            description = "How long to wait for the lock if it is held elsewhere; 0s tries once "
                    + "(default: ${DEFAULT-VALUE}). Exit 75 if not acquired.")
    private Duration wait;

    @Option(names = "--kill-grace", paramLabel = "DURATION", defaultValue = "5s",
            converter = Durations.Positive.class,
            description = "After the lease is lost: time between SIGTERM and SIGKILL (default: ${DEFAULT-VALUE}).")
    private Duration killGrace;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments (after --).")
    private List<String> command;

    /** Set when the lease was lost or lapsed, or its release went unanswered: the client is then closed briefly. */
    private boolean closeBriefly;

    /** Creates the command (picocli does this). */
    public RunCommand() {}

    @Override
    public Integer call() throws Exception {
        String prefix = redis.keyPrefix();
        if (lease.compareTo(LockOptions.MIN_RENEWABLE_LEASE) < 0) {
            throw redis.usage("--lease must be at least " + LockOptions.MIN_RENEWABLE_LEASE.toMillis()
                    + "ms (it is renewed every lease/3), was " + Durations.format(lease));
        }
        if (lease.compareTo(MAX_LEASE) > 0) {
            throw redis.usage("--lease must be at most " + MAX_LEASE.toDays() + " days (100 years), was "
                    + Durations.format(lease) + "; it is renewed while CMD runs, so it only needs to cover how long "
                    + "the lock may outlive redislock if redislock dies");
        }
        LockOptions options;
        try {
            options = LockOptions.builder().lease(lease).keyPrefix(prefix).build();
        } catch (IllegalArgumentException e) {
            throw redis.usage("--lease: " + e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        SignalForwarder signals = SignalForwarder.install(Thread.currentThread());
        // probe setpriv and env now (they run once per JVM), so that the command starts as soon as the lock is
        // held, and a Ctrl-C during the probes ends this run before the command instead of racing its start
        Executables.launchPrefix(command.get(0));
        LockClient client = redis.connect();
        try {
            redis.checkName(client, name);
            DistributedLock lock = client.lock(name, options);
            Lease held;
            try {
                held = acquire(lock, Bounded.callBound(client.options()));
            } catch (InterruptedException e) {
                return signalledBeforeStart(err, signals.received(), null);
            }
            if (held == null) {
                err.println("redislock run: lock '" + name + "' is held elsewhere"
                        + (wait.isZero() ? " (use --wait to wait for it)" : "; not acquired within " + Durations.format(wait)));
                err.flush();
                return ExitCodes.NOT_ACQUIRED;
            }
            return supervise(held, signals, err, Bounded.callBound(client.options()));
        } finally {
            close(client);
        }
    }

    /**
     * Closes the client. After a lost or lapsed lease, or a release Redis did not answer, only briefly: close()
     * would wait up to the command timeout for compare-and-deletes that an unreachable Redis cannot answer,
     * delaying the exit code the caller waits for, while the key expires by itself. (A failed acquisition gets
     * the full close: its cleanups leave the waiter queue, and an entry left behind would be handed the lock.)
     */
    private void close(LockClient client) {
        if (!closeBriefly) {
            client.close();
            return;
        }
        try {
            client.closeAsync().get(CLOSE_AFTER_LOSS.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the keys expire by themselves; the JVM exits next
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Lease acquire(DistributedLock lock, Duration callBound) throws InterruptedException {
        String what = "acquiring lock '" + name + "'";
        if (wait.isZero()) {
            Optional<Lease> got = Bounded.get(Bounded.start(lock::tryAcquireAsync, what), callBound, what,
                    late -> late.ifPresent(RunCommand::releaseQuietly));
            if (Thread.interrupted()) {
                got.ifPresent(RunCommand::releaseQuietly);
                throw new InterruptedException("signal while acquiring");
            }
            return got.orElse(null);
        }
        try {
            // a lease granted just as a signal or the bound ended the wait is given back (cancel comes too late)
            return Bounded.get(Bounded.start(() -> lock.acquireAsync(wait), what), wait.plus(callBound), what,
                    RunCommand::releaseQuietly);
        } catch (LockTimeoutException e) {
            return null;
        }
    }

    private int supervise(Lease held, SignalForwarder signals, PrintWriter err, Duration callBound) {
        if (signals.received() != null) {
            return signalledBeforeStart(err, signals.received(), held);
        }
        Child child;
        try {
            // started on this thread, which then waits for the command in every path: the command's
            // parent-death signal fires when this thread ends (see Child.start)
            child = Child.start(command, Map.of(ENV_NAME, name, ENV_FENCING_TOKEN, Long.toString(held.fencingToken())));
        } catch (Executables.CannotStart e) {
            if (signals.received() != null) {
                // a signal to the group as the command started (it can kill the JVM's spawn helper): the
                // command did not start because of it
                return signalledBeforeStart(err, signals.received(), held);
            }
            releaseQuietly(held);
            err.println("redislock run: " + e.getMessage());
            err.flush();
            return e.exitCode();
        }
        Thread reaper = new Thread(child::killNow, "redislock-run-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            if (!signals.attach(child)) {
                child.forwardToAll(signals.received().name()); // came while the command was being started
            }
            CompletableFuture<LeaseLostEvent> lost = held.lost();
            awaitEither(child.onExit(), lost);
            if (lost.isDone() && !child.onExit().isDone()) {
                return stopAfterLoss(child, lost.join(), err);
            }
            int code = child.awaitExit();
            return finish(held, lost, code, err, callBound);
        } finally {
            child.stopWatching();
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    private int stopAfterLoss(Child child, LeaseLostEvent event, PrintWriter err) {
        closeBriefly = true;
        err.println("redislock run: lost lock '" + name + "' while the command was running (" + describe(event)
                + "); sending SIGTERM to the command (pid " + child.pid() + ")");
        err.flush();
        boolean killed = child.terminate(killGrace);
        if (killed) {
            err.println("redislock run: the command did not exit within " + Durations.format(killGrace)
                    + " of SIGTERM; sent SIGKILL");
        }
        err.println("redislock run: exit " + ExitCodes.LEASE_LOST + ": the command's work may have run without the lock");
        err.flush();
        return ExitCodes.LEASE_LOST;
    }

    private int finish(Lease held, CompletableFuture<LeaseLostEvent> lost, int code, PrintWriter err,
            Duration callBound) {
        if (lost.isDone()) {
            closeBriefly = true;
            err.println("redislock run: lost lock '" + name + "' while the command was running (" + describe(lost.join())
                    + "); the command exited with " + code);
            err.println("redislock run: exit " + ExitCodes.LEASE_LOST + ": the command's work may have run without the lock");
            err.flush();
            return ExitCodes.LEASE_LOST;
        }
        boolean heldUntilEnd;
        boolean validBefore = held.isHeld();
        try {
            heldUntilEnd = Bounded.getUninterruptibly(held.releaseAsync(), callBound, "releasing lock '" + name + "'");
        } catch (LockUnavailableException e) {
            closeBriefly = true;
            err.println("redislock run: " + RedisReplies.describe(e, redis.uris())
                    .map(d -> "could not release lock '" + name + "' (" + d + ")").orElse(e.getMessage()));
            err.println("redislock run: the lock expires by itself at the latest " + Durations.format(lease)
                    + " (--lease) after its last renewal");
            heldUntilEnd = validBefore;
        }
        if (!heldUntilEnd) {
            closeBriefly = true; // a lapsed lease's release is sent, maybe to a Redis that cannot answer
            err.println("redislock run: the lease on '" + name + "' had lapsed before the command finished (was this "
                    + "process paused or Redis unreachable?); the command exited with " + code);
            err.println("redislock run: exit " + ExitCodes.LEASE_LOST + ": the command's work may have run without the lock");
            err.flush();
            return ExitCodes.LEASE_LOST;
        }
        err.flush();
        return code;
    }

    private int signalledBeforeStart(PrintWriter err, SignalForwarder.Received signal, Lease held) {
        if (held != null) {
            releaseQuietly(held);
        }
        String what = signal == null ? "interrupted" : "SIG" + signal.name();
        err.println("redislock run: " + what + " before the command was started; not running it");
        err.flush();
        return signal == null ? ExitCodes.FAILURE : 128 + signal.number();
    }

    private static void awaitEither(CompletableFuture<?> a, CompletableFuture<?> b) {
        CompletableFuture<Object> either = CompletableFuture.anyOf(a, b);
        boolean interrupted = false;
        while (!either.isDone()) {
            try {
                either.get();
            } catch (InterruptedException e) {
                interrupted = true; // a signal: it has been forwarded; keep waiting for the command
            } catch (ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.interrupted();
        }
    }

    private static String describe(LeaseLostEvent event) {
        return event.reason() + ": " + event.detail();
    }

    private static void releaseQuietly(Lease lease) {
        try {
            lease.release();
        } catch (RuntimeException e) {
            // it expires by itself
        }
    }
}
