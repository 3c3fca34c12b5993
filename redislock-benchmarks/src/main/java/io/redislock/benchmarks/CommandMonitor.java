package io.redislock.benchmarks;

import io.redislock.testing.RedisServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the commands that clients send to one Redis, by name, through {@code MONITOR} — commands that
 * scripts run inside Redis ({@code [0 lua]}) are not client-sent and are left out, and so are the
 * {@linkplain #isHousekeeping housekeeping commands} (idle clients' PING keep-alives, e.g. Redisson's, would
 * be counted against whichever library runs; INFO, ECHO, CONFIG and MONITOR are the harness's own). Used in
 * separate counting windows only: MONITOR slows Redis down.
 *
 * <p>Thread-safety: thread-safe; a daemon thread reads the stream.
 */
public final class CommandMonitor implements AutoCloseable {
    private static final String MARK_PREFIX = "redislock-bench-mark-";
    private static final AtomicLong MARKS = new AtomicLong();
    private static final Set<String> HOUSEKEEPING = Set.of("ping", "info", "echo", "config", "monitor");

    private final RedisServer server;
    private final Socket socket;
    private final Map<String, Long> counts = new TreeMap<>();
    private final Thread reader;
    private volatile String lastMark = "";

    private CommandMonitor(RedisServer server) throws IOException {
        this.server = server;
        this.socket = new Socket();
        socket.connect(new InetSocketAddress(server.host(), server.port()), 2000);
        socket.setSoTimeout(0);
        OutputStream out = socket.getOutputStream();
        out.write("*1\r\n$7\r\nMONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.reader = new Thread(() -> read(in), "bench-monitor-" + server.port());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts monitoring a server.
     *
     * @param server the server
     * @return the monitor; close it
     * @throws IOException if it cannot connect
     */
    public static CommandMonitor start(RedisServer server) throws IOException {
        CommandMonitor m = new CommandMonitor(server);
        m.sync();
        return m;
    }

    /**
     * Waits (at most 10 s) until every command sent before this call has been read, then returns the
     * counts so far.
     *
     * @return client-sent commands by upper-case name since the start
     */
    public Map<String, Long> sync() {
        String mark = MARK_PREFIX + MARKS.incrementAndGet();
        server.command("ECHO", mark);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!mark.equals(lastMark) && System.nanoTime() - deadline < 0 && reader.isAlive()) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        synchronized (counts) {
            return new TreeMap<>(counts);
        }
    }

    /**
     * Whether a command is connection or harness housekeeping, left out of every command count (here and in
     * {@link RedisLoad}): PING, INFO, ECHO, CONFIG and MONITOR.
     *
     * @param name a command name in any case, optionally with a subcommand as in {@code INFO commandstats}
     *     ({@code config|resetstat})
     * @return whether it is left out
     */
    public static boolean isHousekeeping(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        int bar = n.indexOf('|');
        return HOUSEKEEPING.contains(bar < 0 ? n : n.substring(0, bar));
    }

    /**
     * The difference of two count snapshots.
     *
     * @param before the earlier snapshot
     * @param after the later snapshot
     * @return per-command deltas (zeros left out)
     */
    public static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long v = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (v != 0) {
                d.put(e.getKey(), v);
            }
        }
        return d;
    }

    private void read(InputStream in) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        try {
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    handle(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else if (b != '\r' && line.size() < 4096) {
                    line.write(b);
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void handle(String l) {
        // +1700000000.123456 [0 127.0.0.1:5555] "EVALSHA" "..." ; script-internal: [0 lua]
        int open = l.indexOf('[');
        int close = l.indexOf(']', open + 1);
        if (!l.startsWith("+") || open < 0 || close < 0) {
            return;
        }
        String source = l.substring(open + 1, close);
        if (source.endsWith(" lua") || source.contains(" lua")) {
            return;
        }
        int q1 = l.indexOf('"', close);
        int q2 = q1 < 0 ? -1 : l.indexOf('"', q1 + 1);
        if (q2 < 0) {
            return;
        }
        String name = l.substring(q1 + 1, q2).toUpperCase(Locale.ROOT);
        if (name.equals("ECHO") && l.contains(MARK_PREFIX)) {
            int m = l.indexOf(MARK_PREFIX);
            int end = l.indexOf('"', m);
            lastMark = end > m ? l.substring(m, end) : "";
            return;
        }
        if (isHousekeeping(name)) {
            return;
        }
        synchronized (counts) {
            counts.merge(name, 1L, Long::sum);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // ignore
        }
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Formats per-operation command counts, e.g. {@code EVALSHA 2.00, PUBLISH 0.50}.
     *
     * @param delta counts in a window
     * @param ops operations in the window
     * @return the text
     */
    public static String perOp(Map<String, Long> delta, long ops) {
        if (ops <= 0) {
            return "–";
        }
        StringBuilder sb = new StringBuilder();
        delta.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .filter(e -> e.getValue() * 100 >= ops) // at least 0.01 per operation
                .forEach(e -> {
                    if (sb.length() > 0) {
                        sb.append(", ");
                    }
                    sb.append(e.getKey()).append(' ').append(Fmt.plain((double) e.getValue() / ops));
                });
        return sb.length() == 0 ? "none" : sb.toString();
    }

    /**
     * The total of a count map.
     *
     * @param counts the counts
     * @return the sum
     */
    public static long total(Map<String, Long> counts) {
        long t = 0;
        for (long v : counts.values()) {
            t += v;
        }
        return t;
    }
}
