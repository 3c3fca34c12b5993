package io.redislock.testing;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One real {@code redis-server} process on a free 127.0.0.1 port, with its own temporary
 * directory, no persistence, a tiny built-in RESP2 client and fault tools (kill, restart,
 * pause, resume).
 *
 * <p>Every server is stopped by its PID in {@link #stop()}; servers still running when the JVM
 * exits are killed by a shutdown hook. Where util-linux {@code setpriv} is installed, each server
 * also gets SIGKILL from the kernel when the JVM dies without running its hooks (SIGKILL, a
 * crash); {@link #pid()} is still redis-server's own PID.
 */
public final class RedisServer implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final int START_ATTEMPTS = 5;
    private static final int EXEC_ATTEMPTS = 5;
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration TERM_GRACE = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 20;
    private static final int LOG_TAIL_LINES = 40;
    private static final int SCAN_MAX_ROUNDS = 100_000;
    private static final Set<String> RESERVED_ARGS =
            Set.of("--port", "--bind", "--dir", "--logfile", "--daemonize");

    private static final Set<RedisServer> LIVE = ConcurrentHashMap.newKeySet();
    /** Prefix of the servers' temp directories; those of dead JVMs are removed at the first start. */
    static final String TEMP_DIR_PREFIX = "redislock-redis-";

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(RedisServer::killAllForShutdown, "redislock-redis-reaper"));
        } catch (IllegalStateException alreadyShuttingDown) {
            // Nothing to register; servers started now are stopped by their owners.
        }
    }

    /** An error reply ({@code -ERR ...}) from Redis; the message is the reply text. */
    public static final class RedisErrorReply extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates an error reply.
         *
         * @param message the reply text without the leading {@code -}
         */
        public RedisErrorReply(String message) {
            super(message);
        }
    }

    /** Startup failed because the port was taken. */
    private static final class PortBusyException extends Exception {
        private static final long serialVersionUID = 1L;

        PortBusyException(String message) {
            super(message);
        }
    }

    /** The binary could not be executed because it is still open for writing somewhere (ETXTBSY). */
    private static final class TextFileBusyException extends Exception {
        private static final long serialVersionUID = 1L;

        TextFileBusyException(String message) {
            super(message);
        }
    }

    private final Path binary;
    private final List<String> extraArgs;
    private final String password;
    private final Path dir;
    private final Path logFile;
    private final Path outputFile;
    private final Object connectionLock = new Object();

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private volatile int port;
    private volatile Process process;
    private volatile boolean paused;
    private volatile boolean closed;
    private RespConnection connection; // guarded by connectionLock

    private RedisServer(Path binary, List<String> extraArgs, Path dir) {
        this.binary = binary;
        this.extraArgs = extraArgs;
        this.password = passwordFrom(extraArgs);
        this.dir = dir;
        this.logFile = dir.resolve("redis.log");
        this.outputFile = dir.resolve("stdout.log");
    }

    /**
     * Starts a server with the default configuration.
     *
     * @return a running server that answers PING
     * @throws IllegalStateException if it does not start (the message holds the log tail)
     */
    public static RedisServer start() {
        return start(new String[0]);
    }

    /**
     * Starts a server with extra configuration arguments, e.g. {@code "--requirepass", "secret"}
     * (the built-in client then authenticates automatically). {@code --port}, {@code --bind},
     * {@code --dir}, {@code --logfile} and {@code --daemonize} are managed here and rejected.
     *
     * @param extraArgs redis-server command line arguments appended after the defaults
     * @return a running server that answers PING
     * @throws IllegalStateException if it does not start (the message holds the log tail)
     */
    public static RedisServer start(String... extraArgs) {
        return start(RedisServerBinary.resolve(), extraArgs);
    }

    /** Starts a server from a specific binary. */
    static RedisServer start(Path binary, String... extraArgs) {
        List<String> extra = List.copyOf(Arrays.asList(extraArgs));
        for (String arg : extra) {
            if (RESERVED_ARGS.contains(arg.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(arg + " is managed by RedisServer and cannot be overridden");
            }
        }
        Path dir;
        try {
            dir = Files.createTempDirectory(TEMP_DIR_PREFIX);
            StaleDirs.markOwner(dir);
            StaleDirs.sweepOnce(dir, TEMP_DIR_PREFIX);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temp dir for redis-server", e);
        }
        RedisServer server = new RedisServer(binary, extra, dir);
        LIVE.add(server);
        try {
            List<String> busy = new ArrayList<>();
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                server.port = freePort();
                try {
                    server.launch();
                    return server;
                } catch (PortBusyException e) {
                    busy.add(e.getMessage());
                }
            }
            throw new IllegalStateException("redis-server could not bind a free port in " + START_ATTEMPTS
                    + " attempts: " + busy);
        } catch (RuntimeException | Error e) {
            try {
                server.stop();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** @return the TCP port, on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return always {@code "127.0.0.1"} */
    public String host() {
        return HOST;
    }

    /** @return {@code "redis://127.0.0.1:PORT"} */
    public String uri() {
        return "redis://" + HOST + ":" + port;
    }

    /**
     * Returns the PID of the current process (it changes on {@link #restart()}).
     *
     * @return the PID
     */
    public long pid() {
        Process p = process;
        if (p == null) {
            throw new IllegalStateException("redis-server was never started");
        }
        return p.pid();
    }

    /** @return whether the current process is alive (a paused process is alive) */
    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** @return the temporary working directory (deleted by {@link #stop()}) */
    public Path dir() {
        return dir;
    }

    /** @return the redis log file inside {@link #dir()} */
    public Path logFile() {
        return logFile;
    }

    /** @return whether the process is currently stopped by {@link #pause()} */
    public boolean isPaused() {
        return paused;
    }

    /** Kills the process with SIGKILL and waits for it to exit; no-op if not running. */
    public synchronized void kill() {
        closeConnection();
        Process p = process;
        paused = false;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroyForcibly();
        if (!waitForExit(p, TestTimeouts.scaled(EXIT_TIMEOUT))) {
            throw new IllegalStateException("redis-server pid " + p.pid() + " did not exit after SIGKILL");
        }
    }

    /**
     * Starts a new process on the same port with empty data (there is no persistence) and
     * waits until it answers PING. A still running process is killed first. If the port is
     * briefly busy, retries for up to 10 s (scaled).
     */
    public synchronized void restart() {
        ensureNotClosed();
        kill();
        long deadline = System.nanoTime() + TestTimeouts.scaled(STARTUP_TIMEOUT).toNanos();
        PortBusyException last = null;
        for (int attempt = 1; attempt <= 100; attempt++) {
            try {
                launch();
                return;
            } catch (PortBusyException e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                break;
            }
            sleep(100);
        }
        throw new IllegalStateException("redis-server could not restart on port " + port + ": "
                + (last == null ? "" : last.getMessage()));
    }

    /** Freezes the process with SIGSTOP (connections stay open but nothing is answered). */
    public synchronized void pause() {
        ensureNotClosed();
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("redis-server is not running");
        }
        if (paused) {
            return;
        }
        signal(p.pid(), "STOP");
        paused = true;
        awaitStopped(p.pid(), true);
    }

    /** Continues a paused process with SIGCONT; no-op if not paused. */
    public synchronized void resume() {
        Process p = process;
        if (!paused || p == null || !p.isAlive()) {
            paused = false;
            return;
        }
        signal(p.pid(), "CONT");
        paused = false;
        awaitStopped(p.pid(), false);
    }

    /**
     * Stops the server: resumes it if paused, sends SIGTERM, SIGKILL after 5 s, waits for the
     * exit and deletes the temporary directory. Idempotent.
     */
    public synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        closeConnection();
        Process p = process;
        try {
            if (p != null && p.isAlive()) {
                if (paused) {
                    try {
                        signal(p.pid(), "CONT");
                    } catch (RuntimeException ignored) {
                        // SIGKILL below still works on a stopped process.
                    }
                    paused = false;
                }
                p.destroy();
                if (!waitForExit(p, TERM_GRACE)) {
                    p.destroyForcibly();
                    if (!waitForExit(p, TestTimeouts.scaled(EXIT_TIMEOUT))) {
                        throw new IllegalStateException("redis-server pid " + p.pid() + " did not exit");
                    }
                }
            }
        } finally {
            if (p == null || !p.isAlive()) {
                LIVE.remove(this);
            }
            deleteRecursively(dir);
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Sends one command over a cached connection (5 s socket timeout, scaled). Not for
     * SUBSCRIBE, MONITOR or blocking commands longer than the timeout.
     *
     * @param args the command and its arguments
     * @return String (simple/bulk), Long (integer), List (array) or null (nil)
     * @throws RedisErrorReply on an error reply
     * @throws UncheckedIOException on connection failures and timeouts (the connection is dropped)
     */
    public Object command(String... args) {
        synchronized (connectionLock) {
            try {
                if (connection == null) {
                    connection = RespConnection.open(HOST, port, TestTimeouts.scaled(SOCKET_TIMEOUT), password);
                }
                return connection.call(args);
            } catch (IOException e) {
                closeConnection();
                throw failure(args, e);
            }
        }
    }

    /**
     * Sends one command over a fresh connection with the given connect and read timeout (not
     * scaled), e.g. to observe that a paused server does not answer.
     *
     * @param timeout connect and read timeout
     * @param args the command and its arguments
     * @return the reply, as for {@link #command(String...)}
     * @throws RedisErrorReply on an error reply
     * @throws UncheckedIOException on connection failures and timeouts
     */
    public Object command(Duration timeout, String... args) {
        try (RespConnection fresh = RespConnection.open(HOST, port, timeout, password)) {
            return fresh.call(args);
        } catch (IOException e) {
            throw failure(args, e);
        }
    }

    private UncheckedIOException failure(String[] args, IOException e) {
        String name = args.length == 0 ? "" : args[0];
        return new UncheckedIOException("Command " + name + " to " + this + " failed: " + e, e);
    }

    /** @return the number of keys in the current database (DBSIZE) */
    public long dbSize() {
        return (Long) command("DBSIZE");
    }

    /**
     * Parses {@code INFO section} into key/value pairs.
     *
     * @param section e.g. {@code "server"}, {@code "commandstats"}
     * @return the fields in reply order
     */
    public Map<String, String> info(String section) {
        String text = (String) command("INFO", section);
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (line.isEmpty() || line.startsWith("#") || colon < 0) {
                continue;
            }
            fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
        }
        return fields;
    }

    /**
     * Returns calls per command since start or {@link #resetStats()}, from
     * {@code INFO commandstats}. Keys are lowercase command names such as {@code "set"},
     * {@code "evalsha"}, {@code "publish"}; subcommands look like {@code "config|get"} on Redis 7.
     *
     * @return command name to number of calls
     */
    public Map<String, Long> commandCalls() {
        Map<String, Long> calls = new TreeMap<>();
        for (Map.Entry<String, String> field : info("commandstats").entrySet()) {
            if (!field.getKey().startsWith("cmdstat_")) {
                continue;
            }
            String name = field.getKey().substring("cmdstat_".length()).toLowerCase(Locale.ROOT);
            for (String part : field.getValue().split(",")) {
                if (part.startsWith("calls=")) {
                    calls.put(name, Long.parseLong(part.substring("calls=".length())));
                }
            }
        }
        return calls;
    }

    /**
     * Drops every client's command connection (CLIENT KILL TYPE normal; this server's own connection for
     * {@link #command} stays) and refuses new connections (maxclients 1) until the returned handle is
     * closed: clients stay disconnected and reconnecting meanwhile, as after a network blip or a proxy
     * that dropped them. Closing the handle restores the previous maxclients.
     *
     * @return the handle that accepts connections again
     */
    public Reconnects dropConnections() {
        Object previous = command("CONFIG", "GET", "maxclients");
        String max = previous instanceof List<?> l && l.size() == 2 ? String.valueOf(l.get(1)) : "10000";
        command("CONFIG", "SET", "maxclients", "1");
        try {
            command("CLIENT", "KILL", "TYPE", "normal");
        } catch (RuntimeException e) {
            command("CONFIG", "SET", "maxclients", max);
            throw e;
        }
        return () -> command("CONFIG", "SET", "maxclients", max);
    }

    /** Ends {@link #dropConnections()}: new connections are accepted again. */
    @FunctionalInterface
    public interface Reconnects extends AutoCloseable {
        /** Accepts new connections again. */
        @Override
        void close();
    }

    /** Resets INFO statistics such as command calls (CONFIG RESETSTAT). */
    public void resetStats() {
        command("CONFIG", "RESETSTAT");
    }

    /** Deletes all keys in all databases (FLUSHALL). */
    public void flushAll() {
        command("FLUSHALL");
    }

    /**
     * Lists keys matching a glob pattern with SCAN (COUNT 1000) in the current database.
     *
     * @param pattern a Redis glob pattern, e.g. {@code "lock:*"}
     * @return distinct matching keys, sorted
     */
    public List<String> scanKeys(String pattern) {
        Set<String> keys = new TreeSet<>();
        long deadline = System.nanoTime() + TestTimeouts.scaled(Duration.ofSeconds(30)).toNanos();
        String cursor = "0";
        for (int round = 0; round < SCAN_MAX_ROUNDS; round++) {
            List<?> reply = (List<?>) command("SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
            cursor = (String) reply.get(0);
            for (Object key : (List<?>) reply.get(1)) {
                keys.add((String) key);
            }
            if (cursor.equals("0")) {
                return new ArrayList<>(keys);
            }
            if (System.nanoTime() - deadline > 0) {
                break;
            }
        }
        throw new IllegalStateException("SCAN " + pattern + " did not finish in time/rounds");
    }

    /** @return {@code uptime_in_seconds} from {@code INFO server} */
    public long uptimeSeconds() {
        return Long.parseLong(info("server").get("uptime_in_seconds"));
    }

    @Override
    public String toString() {
        Process p = process;
        return "RedisServer[" + HOST + ":" + port + (p == null ? "" : " pid=" + p.pid())
                + (closed ? " stopped" : paused ? " paused" : "") + "]";
    }

    // ---------------------------------------------------------------- process handling

    /**
     * Starts a process on {@link #port} and waits until it answers PING, retrying a few times while
     * the binary is busy (a just-extracted binary can still be open for writing in a forked child).
     */
    private void launch() throws PortBusyException {
        for (int attempt = 1; ; attempt++) {
            try {
                launchOnce();
                return;
            } catch (TextFileBusyException e) {
                if (attempt >= EXEC_ATTEMPTS) {
                    throw new IllegalStateException(e.getMessage() + " (" + attempt + " attempts)", e);
                }
                sleep(50);
            }
        }
    }

    private void launchOnce() throws PortBusyException, TextFileBusyException {
        long logOffset = size(logFile);
        long outputOffset = size(outputFile);
        Process p = spawn();
        process = p;
        Duration timeout = TestTimeouts.scaled(STARTUP_TIMEOUT);
        long deadline = System.nanoTime() + timeout.toNanos();
        long maxPolls = timeout.toMillis() / POLL_MILLIS + 10;
        for (long poll = 0; poll < maxPolls; poll++) {
            if (!p.isAlive()) {
                waitForExit(p, Duration.ofSeconds(1));
                String output = tail(outputFile, outputOffset) + tail(logFile, logOffset);
                if (output.contains("Address already in use") || output.contains("Failed listening on port")) {
                    throw new PortBusyException("port " + port + " busy");
                }
                if (output.contains("Text file busy")) { // setpriv could not exec it
                    throw new TextFileBusyException("Cannot start " + binary + ": text file busy");
                }
                throw new IllegalStateException("redis-server exited with code " + exitCode(p)
                        + " during startup on port " + port + ". Output:\n" + output);
            }
            // the PING must come from this process: another server may hold the port (a port picked twice),
            // and this one is still alive for a moment before it notices that it could not bind
            if (answersPing() && p.isAlive() && tail(logFile, logOffset).contains("Ready to accept connections")) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                break;
            }
            sleep(POLL_MILLIS);
        }
        p.destroyForcibly();
        waitForExit(p, TestTimeouts.scaled(EXIT_TIMEOUT));
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within " + timeout
                + ". Output:\n" + tail(outputFile, outputOffset) + tail(logFile, logOffset));
    }

    /** Starts redis-server through the {@link Spawner}, so that it dies with this JVM where possible. */
    private Process spawn() throws TextFileBusyException {
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--port", Integer.toString(port),
                "--bind", HOST,
                "--save", "",
                "--appendonly", "no",
                "--dir", dir.toString(),
                "--daemonize", "no",
                "--protected-mode", "no",
                "--logfile", logFile.toString()));
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()));
        try {
            Process p = Spawner.start(builder);
            p.getOutputStream().close();
            return p;
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("error=26") || message.contains("Text file busy")) {
                throw new TextFileBusyException("Cannot start " + binary + ": " + message);
            }
            throw new UncheckedIOException("Cannot start " + command, e);
        }
    }

    private boolean answersPing() {
        try (RespConnection probe = RespConnection.open(HOST, port, Duration.ofMillis(500), null)) {
            probe.call("PING");
            return true;
        } catch (RedisErrorReply e) {
            return !String.valueOf(e.getMessage()).startsWith("LOADING"); // e.g. NOAUTH: it is up
        } catch (IOException e) {
            return false;
        }
    }

    private void closeConnection() {
        synchronized (connectionLock) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (IOException ignored) {
                    // Dropping it anyway.
                }
                connection = null;
            }
        }
    }

    private void ensureNotClosed() {
        if (closed) {
            throw new IllegalStateException(this + " is stopped");
        }
    }

    private static String passwordFrom(List<String> args) {
        String password = null;
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equalsIgnoreCase("--requirepass")) {
                password = args.get(i + 1);
            }
        }
        return password == null || password.isEmpty() ? null : password;
    }

    /** A free loopback port, never one handed out before in this JVM (servers start in parallel). */
    private static int freePort() {
        for (int i = 0; i < 100; i++) {
            try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot find a free loopback port", e);
            }
        }
        throw new IllegalStateException("no loopback port that was not handed out before in 100 tries");
    }

    /** Sends a signal with the {@code kill} command, bounded in time. */
    private void signal(long pid, String signal) {
        Path out = dir.resolve("signal.out");
        Process kill;
        try {
            kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            kill.getOutputStream().close();
        } catch (IOException e) {
            throw new UnsupportedOperationException("Cannot run 'kill -" + signal + "' (needs a POSIX system)", e);
        }
        if (!waitForExit(kill, TestTimeouts.scaled(SOCKET_TIMEOUT))) {
            kill.destroyForcibly();
            waitForExit(kill, Duration.ofSeconds(1));
            throw new IllegalStateException("'kill -" + signal + " " + pid + "' did not finish");
        }
        if (kill.exitValue() != 0) {
            throw new IllegalStateException("'kill -" + signal + " " + pid + "' failed with code "
                    + kill.exitValue() + ": " + tail(out, 0));
        }
    }

    /** Waits (bounded, best effort) until /proc reports the process as stopped or not. */
    private static void awaitStopped(long pid, boolean stopped) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        for (int i = 0; i < 200 && Files.exists(stat); i++) {
            try {
                String text = Files.readString(stat, StandardCharsets.US_ASCII);
                int close = text.lastIndexOf(')');
                if (close < 0 || close + 2 >= text.length()) {
                    return;
                }
                boolean isStopped = text.charAt(close + 2) == 'T';
                if (isStopped == stopped) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                return;
            }
            sleep(5);
        }
    }

    static boolean waitForExit(Process p, Duration timeout) {
        try {
            return p.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    private static String exitCode(Process p) {
        try {
            return Integer.toString(p.exitValue());
        } catch (IllegalThreadStateException e) {
            return "?";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Returns the last lines of a file written after {@code offset}, or "" if unreadable. */
    private static String tail(Path file, long offset) {
        if (!Files.exists(file)) {
            return "";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(offset, raf.length() - 64 * 1024);
            if (start >= raf.length()) {
                return "";
            }
            byte[] data = new byte[(int) (raf.length() - start)];
            raf.seek(start);
            raf.readFully(data);
            String[] lines = new String(data, StandardCharsets.UTF_8).split("\n");
            int from = Math.max(0, lines.length - LOG_TAIL_LINES);
            return String.join("\n", Arrays.asList(lines).subList(from, lines.length)) + "\n";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")\n";
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).limit(10_000).map(Path::toFile).forEach(File::delete);
        } catch (IOException | UncheckedIOException ignored) {
            // Best effort: it is a temp dir.
        }
    }

    private static void killAllForShutdown() {
        for (RedisServer server : List.copyOf(LIVE)) {
            Process p = server.process;
            if (p != null && p.isAlive()) {
                ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
                waitForExit(p, Duration.ofSeconds(2));
            }
            deleteRecursively(server.dir);
        }
    }
}
