package io.redislock.cli;

import io.redislock.cli.demo.CounterSteps;
import io.redislock.cli.demo.FencingScenario;
import io.redislock.cli.demo.Progress;
import io.redislock.cli.demo.Report;
import io.redislock.cli.demo.Resp;
import io.redislock.cli.demo.Workload;
import io.redislock.testing.RedisServer;
import io.redislock.testing.RedisServerBinary;
import io.redislock.testing.RedisServers;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code redislock demo}: on redis-server processes it starts itself, shows lost updates without a lock,
 * none with the single-instance lock and with Redlock while a node is killed, and a paused holder's late
 * write rejected by its fencing token.
 *
 * <p>Thread-safety: one invocation per instance.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = RedislockCommand.Version.class, sortOptions = false,
        header = "Show lost updates without a lock and none with one, on redis-servers it starts.",
        description = {"Show the lock at work on real redis-server processes this command starts on free "
                + "127.0.0.1 ports (redis-server from $REDISLOCK_REDIS_SERVER or the PATH, else the bundled one) "
                + "and stops at the end, also on Ctrl-C:",
            "  1. no lock: workers GET, then SET+1 a shared counter; updates are lost;",
            "  2. single-instance lock: none lost (throughput, acquire latency);",
            "  3. Redlock on 5 nodes, one killed halfway: none lost;",
            "  4. a holder paused past its lease: late write rejected by fencing token.",
            "Exits 0 if the locked runs lost nothing and the late write was rejected, else 1."})
public final class DemoCommand implements Callable<Integer> {
    private static final int REDLOCK_NODES = 5;
    private static final int MAX_WORKERS = 64;

    @Spec
    private CommandSpec spec;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "8",
            description = "Concurrent workers, each with its own connections (1-" + MAX_WORKERS
                    + "; default: ${DEFAULT-VALUE}).")
    private int workers;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "10",
            description = "Approximate total running time, split over the phases (2-3600; default: ${DEFAULT-VALUE}).")
    private int seconds;

    /** Creates the command (picocli does this). */
    public DemoCommand() {}

    @Override
    public Integer call() throws Exception {
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--workers must be between 1 and " + MAX_WORKERS + ", was " + workers);
        }
        if (seconds < 2 || seconds > 3600) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--seconds must be between 2 and 3600, was " + seconds);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.println("redislock demo: " + workers + " workers, about " + seconds + " s; starting "
                + (REDLOCK_NODES + 1) + " redis-server processes on 127.0.0.1 (" + RedisServerBinary.describe() + ")");
        err.flush();
        AtomicBoolean finished = new AtomicBoolean();
        RedisServers servers = RedisServers.start(REDLOCK_NODES + 1);
        Thread onCtrlC = new Thread(() -> {
            if (!finished.get()) {
                err.println("\nredislock demo: interrupted; stopping the redis-server processes");
                err.flush();
                servers.close();
            }
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            return runPhases(servers, out, err);
        } finally {
            finished.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // the hook does nothing once finished
            }
            servers.close();
        }
    }

    private int runPhases(RedisServers servers, PrintWriter out, PrintWriter err) throws Exception {
        RedisServer resource = servers.get(0);
        List<RedisServer> nodes = servers.all().subList(1, REDLOCK_NODES + 1);
        List<String> redlockUris = nodes.stream().map(RedisServer::uri).toList();
        Duration total = Duration.ofSeconds(seconds);
        Duration unlockedLength = total.multipliedBy(20).dividedBy(100);
        Duration lockedLength = total.multipliedBy(35).dividedBy(100);
        Progress progress = new Progress(err, System.console() != null);
        Report report = new Report();
        boolean ok = true;

        String p1 = "1. no lock (GET, then SET+1)";
        Workload.Result r1 = phase(progress, p1, unlockedLength,
                (ops, go) -> Workload.run(workers, unlockedLength, CounterSteps.unlocked(resource, "demo:stock:1"), ops,
                        go, null));
        long v1 = value(resource, "demo:stock:1");
        report.phase(p1, r1, v1, r1.increments() > v1 ? "LOST UPDATES (expected without a lock)" : "none lost (lucky)");
        ok &= r1.errors() == 0;
        note(report, r1);

        String p2 = "2. single-instance lock";
        Workload.Result r2 = phase(progress, p2, lockedLength, (ops, go) -> Workload.run(workers, lockedLength,
                CounterSteps.locked(List.of(resource.uri()), "demo-stock-2", resource, "demo:stock:2"), ops, go, null));
        long v2 = value(resource, "demo:stock:2");
        ok &= lockedVerdict(report, p2, r2, v2);

        String p3 = "3. Redlock, 5 nodes, 1 killed midway";
        RedisServer victim = nodes.get(REDLOCK_NODES - 1);
        Workload.Result r3 = phase(progress, p3, lockedLength, (ops, go) -> Workload.run(workers, lockedLength,
                CounterSteps.locked(redlockUris, "demo-stock-3", resource, "demo:stock:3"), ops, go, victim::kill));
        long v3 = value(resource, "demo:stock:3");
        ok &= lockedVerdict(report, p3, r3, v3);
        report.note("   phase 3: node " + victim.uri() + " was killed halfway; 4 of 5 nodes still form a majority");

        String p4 = "4. fencing: holder paused past lease";
        progress.begin(p4, Duration.ofMillis(500), null);
        FencingScenario.Result f = FencingScenario.run(resource.uri(), resource, "demo-fenced");
        progress.end(f.ok() ? "late write rejected" : "FAILED");
        report.row(p4, f.ok() ? "ok: late write rejected by fencing token" : "FAILED: late write not fenced off");
        report.note("   phase 4: holder A took token " + f.lateToken() + " with a " + FencingScenario.SHORT_LEASE.toMillis()
                + " ms lease and no renewal, then paused: it wrote "
                + f.pause().toMillis() + " ms after taking the lock;");
        report.note("   B took the lock with token " + f.newToken() + " and wrote "
                + (f.newWriteAccepted() ? "(accepted)" : "(REJECTED?)") + "; A woke up and wrote late: "
                + (f.lateWriteRejected() ? "late write rejected by fencing token (" + f.lateToken() + " < "
                        + f.newToken() + ")" : "LATE WRITE ACCEPTED") + ";");
        report.note("   A's release() returned " + !f.lateLeaseLapsed() + " (its lease had lapsed); stored value: "
                + f.finalValue());
        ok &= f.ok();

        out.println();
        out.print(report.render());
        out.println(ok ? "demo passed: the locked runs lost no update and the late write was fenced off"
                : "demo FAILED: see the table above");
        out.flush();
        return ok ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private interface PhaseBody {
        Workload.Result run(LongAdder ops, Runnable onStart) throws Exception;
    }

    private static Workload.Result phase(Progress progress, String label, Duration length, PhaseBody body)
            throws Exception {
        LongAdder ops = new LongAdder();
        Workload.Result r = body.run(ops, () -> progress.begin(label, length, ops));
        progress.end(r.errors() > 0 ? r.errors() + " worker errors" : "done");
        return r;
    }

    private static boolean lockedVerdict(Report report, String phase, Workload.Result r, long finalValue) {
        boolean ok = r.errors() == 0 && r.unprotected() == 0 && r.increments() > 0 && r.increments() == finalValue;
        String verdict = ok ? "ok: none lost" : r.increments() != finalValue
                ? "FAILED: " + (r.increments() - finalValue) + " lost"
                : r.increments() == 0 ? "FAILED: no increments" : "FAILED";
        report.phase(phase, r, finalValue, verdict);
        note(report, r);
        return ok;
    }

    private static void note(Report report, Workload.Result r) {
        if (r.timeouts() > 0) {
            report.note("   " + r.timeouts() + " acquisitions gave up waiting");
        }
        if (r.unconfirmed() > 0) {
            report.note("   " + r.unconfirmed() + " releases were not confirmed by a majority (those keys expired by"
                    + " themselves; the increments were made within the lease)");
        }
        if (r.unprotected() > 0) {
            report.note("   " + r.unprotected() + " increments were made under a lease that had lapsed");
        }
        if (r.firstError() != null) {
            report.note("   " + r.errors() + " worker errors, first: " + r.firstError());
        }
    }

    private static long value(RedisServer server, String key) throws java.io.IOException {
        try (Resp r = Resp.connect(server.host(), server.port())) {
            return r.getLong(key);
        }
    }
}
