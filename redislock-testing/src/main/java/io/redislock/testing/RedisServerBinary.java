package io.redislock.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Finds the {@code redis-server} executable used by {@link RedisServer}.
 *
 * <p>Order: the environment variable {@value #ENV_VARIABLE} (must name an executable file),
 * then {@code redis-server} on the {@code PATH}, then the real binary bundled in the
 * embedded-redis jar (Linux amd64 and aarch64 only), extracted once per JVM to a temporary
 * file that is deleted on exit.
 */
public final class RedisServerBinary {

    /** Environment variable that names the redis-server binary to use. */
    public static final String ENV_VARIABLE = "REDISLOCK_REDIS_SERVER";

    static final String BUNDLED_AMD64 = "/redis-server-6.2.6-v5-linux-amd64";
    static final String BUNDLED_ARM64 = "/redis-server-6.2.7-linux-arm64";

    private static final String EXECUTABLE_NAME = "redis-server";

    /** A resolved binary and where it came from. */
    record Resolved(Path path, String description) {
    }

    private static Resolved cached;
    private static Path extracted;

    private RedisServerBinary() {
    }

    /**
     * Resolves the binary from this process's environment; the result is cached for the JVM.
     *
     * @return absolute path of an executable redis-server
     * @throws IllegalStateException if {@value #ENV_VARIABLE} is set but not executable, or no
     *     binary is available on this platform
     */
    public static Path resolve() {
        return resolveCached().path();
    }

    /**
     * Resolves the binary from explicit inputs (no caching of the env/PATH lookup).
     *
     * @param env environment variables to consult (only {@value #ENV_VARIABLE} is read)
     * @param pathVariable a {@code PATH}-style list of directories, may be null or empty
     * @return absolute path of an executable redis-server
     * @throws IllegalStateException if {@value #ENV_VARIABLE} is set but not executable, or no
     *     binary is available on this platform
     */
    public static Path resolve(Map<String, String> env, String pathVariable) {
        return resolveDescribed(env, pathVariable).path();
    }

    /**
     * Describes the binary {@link #resolve()} picks, e.g.
     * {@code "redis-server from PATH (/usr/bin/redis-server)"} or
     * {@code "bundled redis-server from the embedded-redis jar (/tmp/...)"}; the version is not named here
     * (the embedded-redis resource names do not match what the binaries report: the amd64
     * "6.2.6-v5" build is 6.2.11), ask the running server ({@code INFO server}) for it.
     *
     * @return a human readable description
     */
    public static String describe() {
        return resolveCached().description();
    }

    private static synchronized Resolved resolveCached() {
        if (cached == null || !Files.isExecutable(cached.path())) {
            cached = resolveDescribed(System.getenv(), System.getenv("PATH"));
        }
        return cached;
    }

    static Resolved resolveDescribed(Map<String, String> env, String pathVariable) {
        Objects.requireNonNull(env, "env");
        String fromEnv = env.get(ENV_VARIABLE);
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path path = Path.of(fromEnv.trim()).toAbsolutePath();
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                throw new IllegalStateException(ENV_VARIABLE + "=" + fromEnv
                        + " does not name an executable file; fix or unset it");
            }
            return new Resolved(path, "redis-server from " + ENV_VARIABLE + " (" + path + ")");
        }
        Path onPath = findOnPath(pathVariable);
        if (onPath != null) {
            return new Resolved(onPath, "redis-server from PATH (" + onPath + ")");
        }
        Path bundled = extractBundled();
        return new Resolved(bundled, "bundled redis-server from the embedded-redis jar (" + bundled + ")");
    }

    private static Path findOnPath(String pathVariable) {
        if (pathVariable == null || pathVariable.isEmpty()) {
            return null;
        }
        for (String entry : pathVariable.split(java.util.regex.Pattern.quote(File.pathSeparator))) {
            if (entry.isBlank()) {
                continue;
            }
            Path candidate;
            try {
                candidate = Path.of(entry).resolve(EXECUTABLE_NAME);
            } catch (RuntimeException invalidPath) {
                continue;
            }
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        return null;
    }

    /**
     * Maps a platform to the classpath resource of the bundled binary.
     *
     * @throws IllegalStateException for platforms without a usable bundled binary
     */
    static String bundledResource(String osName, String osArch) {
        String os = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
        String arch = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) {
            if (arch.equals("amd64") || arch.equals("x86_64")) {
                return BUNDLED_AMD64;
            }
            if (arch.equals("aarch64") || arch.equals("arm64")) {
                return BUNDLED_ARM64;
            }
        }
        throw new IllegalStateException("No redis-server found: " + ENV_VARIABLE + " is unset, there is no "
                + "redis-server on the PATH, and the bundled binary only supports Linux amd64/aarch64 (this is "
                + osName + "/" + osArch + "). Install Redis or set " + ENV_VARIABLE + ".");
    }

    /**
     * Extracts the bundled binary for this platform (once per JVM), regardless of PATH.
     *
     * @return the executable temporary file
     */
    static synchronized Path extractBundled() {
        if (extracted != null && Files.isExecutable(extracted)) {
            return extracted;
        }
        String resource = bundledResource(System.getProperty("os.name"), System.getProperty("os.arch"));
        try (InputStream in = RedisServerBinary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Classpath resource " + resource
                        + " not found: is com.github.codemonstur:embedded-redis on the classpath?");
            }
            Path file = Files.createTempFile("redislock-redis-server-", "");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            if (!file.toFile().setExecutable(true, true) || !Files.isExecutable(file)) {
                throw new IllegalStateException("Cannot make " + file + " executable (is the temp dir noexec? "
                        + "set " + ENV_VARIABLE + " or java.io.tmpdir)");
            }
            extracted = file.toAbsolutePath();
            return extracted;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract bundled redis-server " + resource, e);
        }
    }
}
