package io.redislock.benchmarks;

import io.redislock.benchmarks.report.ChartBar;
import io.redislock.benchmarks.report.ChartWriter;
import io.redislock.benchmarks.report.Machine;
import io.redislock.benchmarks.report.ResultsWriter;
import io.redislock.benchmarks.report.Section;
import io.redislock.benchmarks.scenarios.AsyncScenario;
import io.redislock.benchmarks.scenarios.ContendedScenario;
import io.redislock.benchmarks.scenarios.RedlockContendedScenario;
import io.redislock.benchmarks.scenarios.RedlockScenario;
import io.redislock.benchmarks.scenarios.UncontendedScenario;
import io.redislock.testing.RedisServer;
import io.redislock.testing.RedisServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark harness: starts five redis-server processes, runs the scenarios of issue 5, prints a
 * markdown report and writes {@code results.md} and {@code chart.png}. Servers and clients are stopped at
 * the end, also on failure; a watchdog ends a run that overstays its time limit.
 *
 * <p>Usage: {@code BenchmarkMain [--quick] [--diagnose] [--seed N] [--out DIR] [--scenarios 1,2,3,4,5]}.
 *
 * <p>Thread-safety: a program entry point.
 */
public final class BenchmarkMain {
    private BenchmarkMain() {}

    /**
     * Runs the benchmarks.
     *
     * @param args command line options
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int code;
        try {
            code = run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("benchmark: " + e.getMessage());
            System.err.println(usage());
            code = 2;
        } catch (Exception e) {
            System.err.println("benchmark failed: " + e);
            e.printStackTrace(System.err);
            code = 1;
        }
        // Redisson and Spring may leave non-daemon threads behind; every server was stopped above.
        System.exit(code);
    }

    private static String usage() {
        return "usage: benchmark [--quick] [--diagnose] [--seed N] [--out DIR] [--scenarios 1,2,3,4,5]\n"
                + "  --quick      about 2 minutes (default: full run, at most about 10 minutes)\n"
                + "  --diagnose   also run non-default redislock variants that locate its costs\n"
                + "  --seed N     seed of the block shuffling (default: time-based)\n"
                + "  --out DIR    where results.md and chart.png go (default: docs/benchmarks for a full run of all\n"
                + "               scenarios, else target/benchmarks, so only that replaces the README's results)\n"
                + "  --scenarios  which scenarios to run (default: all)";
    }

    static int run(String[] args) throws Exception {
        BenchOptions opts = BenchOptions.parse(args, System.nanoTime());
        if (opts == null) {
            System.out.println(usage());
            return 0;
        }
        boolean quick = opts.quick();
        Path out = opts.out();
        prepareOut(out);
        BenchConfig cfg = quick ? BenchConfig.quick(opts.seed(), opts.diagnostics())
                : BenchConfig.full(opts.seed(), opts.diagnostics());
        startWatchdog(quick ? TimeUnit.MINUTES.toMillis(8) : TimeUnit.MINUTES.toMillis(25));
        List<Section> sections = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> machine;
        long started = System.nanoTime();
        try (RedisServers servers = RedisServers.start(5)) {
            RedisServer main = servers.get(0);
            machine = new ArrayList<>(Machine.describe(main));
            for (int n : opts.scenarios()) {
                long t0 = System.nanoTime();
                System.err.println("benchmark: scenario " + n + " ...");
                try {
                    Section s = switch (n) {
                        case 1 -> new UncontendedScenario(cfg, main).run();
                        case 2 -> new ContendedScenario(cfg, main).run();
                        case 3 -> new AsyncScenario(cfg, main).run();
                        case 4 -> new RedlockScenario(cfg, servers).run();
                        default -> new RedlockContendedScenario(cfg, servers).run();
                    };
                    sections.add(s);
                } catch (Exception | LinkageError e) {
                    failures.add("scenario " + n + ": " + e);
                    System.err.println("benchmark: scenario " + n + " failed: " + e);
                    e.printStackTrace(System.err);
                }
                for (RedisServer s : servers.all()) {
                    s.flushAll();
                }
                System.err.printf("benchmark: scenario %d took %d s%n", n,
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
            }
        }
        machine.add("load average at the end: " + Machine.loadAverage());
        List<String> header = List.of(header(opts, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)));
        List<ChartBar> bars = new ArrayList<>();
        for (Section s : sections) {
            bars.addAll(s.bars());
        }
        String chartName = bars.isEmpty() ? null : "chart.png";
        String md = ResultsWriter.markdown(header, machine, sections, failures, chartName);
        // on stdout first, so that the report survives whatever happens to the files
        System.out.println(md);
        System.out.flush();
        if (chartName != null) {
            try {
                ChartWriter.write(bars, "redislock vs the floor and its peers (" + (quick ? "quick" : "full")
                                + " run; 3: vs redis-benchmark; 4: floor latency / latency)",
                        out.resolve(chartName));
            } catch (IOException | RuntimeException e) {
                System.err.println("benchmark: could not draw " + out.resolve(chartName) + ": " + e);
                failures.add("chart: " + e);
                md = ResultsWriter.markdown(header, machine, sections, failures, null);
                chartName = null;
            }
        }
        try {
            Files.writeString(out.resolve("results.md"), md, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("benchmark: could not write " + out.resolve("results.md") + ": " + e
                    + " (the report is on stdout)");
            return 1;
        }
        System.err.println("benchmark: wrote " + out.resolve("results.md") + (chartName == null ? "" : " and "
                + out.resolve(chartName)));
        return failures.isEmpty() ? 0 : 1;
    }

    /**
     * The report's first line: the command as given, seed, duration and the machine's core count.
     *
     * @param opts the options
     * @param seconds how long the run took
     * @return markdown
     */
    static String header(BenchOptions opts, long seconds) {
        int cores = Machine.cores();
        return "Generated by `" + opts.command() + "` (seed " + opts.seed() + ", " + seconds + " s). Absolute"
                + " numbers on a shared " + cores + "-core machine are noise; compare the ratios, which are paired"
                + " within a round.";
    }

    /**
     * Creates the output directory and checks that a file can be written there, before anything runs.
     *
     * @param out the directory
     * @throws IllegalArgumentException if it cannot be created or written
     */
    static void prepareOut(Path out) {
        try {
            Files.createDirectories(out);
            Path probe = Files.createTempFile(out, ".benchmark-write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--out " + out + ": cannot write results there (" + e + ")");
        }
    }

    private static void startWatchdog(long millis) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("benchmark: still running after " + millis / 1000 + " s; giving up (servers are"
                    + " killed by the shutdown hook)");
            System.exit(3);
        }, "bench-watchdog");
        t.setDaemon(true);
        t.start();
    }
}
