package io.redislock.benchmarks.report;

import io.redislock.testing.RedisServer;
import io.redislock.testing.RedisServerBinary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A description of the machine a run was measured on: cores, CPU model, memory, OS, JDK, redis-server,
 * load average.
 *
 * <p>Thread-safety: stateless.
 */
public final class Machine {
    private Machine() {}

    /**
     * Describes the machine.
     *
     * @param server a running server, asked for its version
     * @return markdown bullet lines
     */
    public static List<String> describe(RedisServer server) {
        List<String> out = new ArrayList<>();
        out.add("date: " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")));
        out.add("cores: " + cores() + " (" + cpuModel() + ")");
        out.add("memory: " + memory());
        out.add("OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        out.add("JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        String version = "?";
        try {
            version = server.info("server").getOrDefault("redis_version", "?");
        } catch (RuntimeException e) {
            // keep "?"
        }
        out.add("redis-server: " + version + " — " + RedisServerBinary.describe()
                + ", no persistence, on 127.0.0.1 (same machine as the clients)");
        out.add("load average at the start: " + loadAverage());
        return out;
    }

    /** @return the processors available to this JVM */
    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * The system load average (other processes on a shared machine included).
     *
     * @return "1, 5 and 15 min" averages from /proc/loadavg, or "unknown"
     */
    public static String loadAverage() {
        List<String> l = lines(Path.of("/proc/loadavg"));
        if (l.isEmpty()) {
            return "unknown";
        }
        String[] f = l.get(0).trim().split("\\s+");
        return f.length < 3 ? "unknown" : f[0] + " / " + f[1] + " / " + f[2] + " (1 / 5 / 15 min)";
    }

    private static String cpuModel() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                int c = line.indexOf(':');
                return c < 0 ? line : line.substring(c + 1).trim();
            }
        }
        return "CPU model unknown";
    }

    private static String memory() {
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 2) {
                    try {
                        return String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(f[1]) / 1024.0 / 1024.0);
                    } catch (NumberFormatException e) {
                        break;
                    }
                }
            }
        }
        return "unknown";
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
