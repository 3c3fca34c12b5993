package io.redislock.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisServerBinaryTest {

    @TempDir
    Path tmp;

    private Path executable(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\nexit 0\n");
        assertThat(file.toFile().setExecutable(true)).isTrue();
        return file;
    }

    private static boolean bundledSupported() {
        try {
            RedisServerBinary.bundledResource(System.getProperty("os.name"), System.getProperty("os.arch"));
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    @Test
    void envVariableComesFirst() throws IOException {
        Path fromEnv = executable(tmp.resolve("env"), "my-redis");
        Path onPath = executable(tmp.resolve("bin"), "redis-server");
        Path resolved = RedisServerBinary.resolve(
                Map.of(RedisServerBinary.ENV_VARIABLE, fromEnv.toString()), onPath.getParent().toString());
        assertThat(resolved).isEqualTo(fromEnv.toAbsolutePath());
    }

    @Test
    void envVariableMustNameAnExecutableFile() throws IOException {
        Path notExecutable = tmp.resolve("plain");
        Files.writeString(notExecutable, "x");
        assertThatThrownBy(() -> RedisServerBinary.resolve(
                Map.of(RedisServerBinary.ENV_VARIABLE, notExecutable.toString()), ""))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(RedisServerBinary.ENV_VARIABLE)
                .hasMessageContaining("executable");
        assertThatThrownBy(() -> RedisServerBinary.resolve(
                Map.of(RedisServerBinary.ENV_VARIABLE, tmp.resolve("missing").toString()), ""))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void pathComesSecond() throws IOException {
        Path onPath = executable(tmp.resolve("bin"), "redis-server");
        String pathVariable = tmp.resolve("nope") + File.pathSeparator + File.pathSeparator + onPath.getParent();
        assertThat(RedisServerBinary.resolve(Map.of(), pathVariable)).isEqualTo(onPath.toAbsolutePath());
        assertThat(RedisServerBinary.resolve(Map.of(RedisServerBinary.ENV_VARIABLE, " "), pathVariable))
                .isEqualTo(onPath.toAbsolutePath());
    }

    @Test
    void bundledComesLast() {
        assumeTrue(bundledSupported(), "no bundled binary for this platform");
        assertThat(RedisServerBinary.resolve(Map.of(), tmp.toString()))
                .isEqualTo(RedisServerBinary.extractBundled());
        assertThat(RedisServerBinary.resolveDescribed(Map.of(), null).description())
                .startsWith("bundled redis-server from the embedded-redis jar (")
                .doesNotContain("6.2."); // the version comes from INFO: the "6.2.6-v5" amd64 binary is 6.2.11
    }

    @Test
    void platformMapping() {
        assertThat(RedisServerBinary.bundledResource("Linux", "amd64")).isEqualTo("/redis-server-6.2.6-v5-linux-amd64");
        assertThat(RedisServerBinary.bundledResource("Linux", "x86_64")).isEqualTo("/redis-server-6.2.6-v5-linux-amd64");
        assertThat(RedisServerBinary.bundledResource("Linux", "aarch64")).isEqualTo("/redis-server-6.2.7-linux-arm64");
        assertThatThrownBy(() -> RedisServerBinary.bundledResource("Mac OS X", "aarch64"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(RedisServerBinary.ENV_VARIABLE);
        assertThatThrownBy(() -> RedisServerBinary.bundledResource("Windows 11", "amd64"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void bundledBinaryIsExtractedOnceAndRuns() throws Exception {
        assumeTrue(bundledSupported(), "no bundled binary for this platform");
        Path binary = RedisServerBinary.extractBundled();
        assertThat(RedisServerBinary.extractBundled()).isEqualTo(binary);
        assertThat(Files.isExecutable(binary)).isTrue();

        Process version = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
        assertThat(version.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String output = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // The embedded-redis "6.2.6-v5" amd64 build reports v=6.2.11 itself, the arm64 one v=6.2.7.
        assertThat(output).containsPattern("Redis server v=6\\.2\\.\\d+");
        assertThat(version.exitValue()).isZero();
    }

    @Test
    void bundledBinaryServesCommands() {
        assumeTrue(bundledSupported(), "no bundled binary for this platform");
        try (RedisServer server = RedisServer.start(RedisServerBinary.extractBundled())) {
            server.command("SET", "k", "v");
            assertThat(server.command("GET", "k")).isEqualTo("v");
            assertThat(server.info("server").get("redis_version")).startsWith("6.2.");
            server.pause();
            server.resume();
            assertThat(server.command("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void describeNamesTheSource() {
        assertThat(RedisServerBinary.describe()).contains("redis-server").contains(RedisServerBinary.resolve().toString());
    }
}
