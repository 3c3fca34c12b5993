package io.redislock.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class SpawnerTest {
    @TempDir
    Path dir;

    @Test
    void locateTakesThePreferredPathFirst() throws IOException {
        Path preferred = executable(Files.createDirectory(dir.resolve("preferred")).resolve("setpriv"));
        Path onPath = executable(Files.createDirectory(dir.resolve("path")).resolve("setpriv"));
        assertThat(Spawner.locate(List.of(preferred), onPath.getParent().toString())).contains(preferred);
    }

    @Test
    void locateSkipsMissingNonExecutableAndDirectoryEntries() throws IOException {
        Path missing = dir.resolve("missing");
        Path plain = Files.createDirectory(dir.resolve("plain"));
        Files.writeString(plain.resolve("setpriv"), "#!/bin/sh\n");
        Path directory = Files.createDirectory(dir.resolve("directory"));
        Files.createDirectory(directory.resolve("setpriv"));
        Path runnable = executable(Files.createDirectory(dir.resolve("runnable")).resolve("setpriv"));
        String path = String.join(":", missing.toString(), plain.toString(), directory.toString(),
                runnable.getParent().toString());
        assertThat(Spawner.locate(List.of(missing.resolve("setpriv")), path)).contains(runnable);
        assertThat(Spawner.locate(List.of(), null)).isEmpty();
    }

    @Test
    void locateIgnoresRelativePathEntries() throws IOException {
        executable(Files.createDirectory(dir.resolve("relative")).resolve("setpriv"));
        Path cwd = Path.of("").toAbsolutePath();
        String relative = cwd.relativize(dir.resolve("relative")).toString();
        assertThat(Spawner.locate(List.of(), relative + "::.")).isEmpty();
    }

    @Test
    void commandIsPrefixedWithSetprivOnlyWhenItIsAvailable() {
        List<String> command = Spawner.command(List.of("redis-server", "--port", "1"));
        if (Spawner.setpriv().isPresent()) {
            assertThat(command).containsExactly(Spawner.setpriv().get().toString(), "--pdeathsig", "KILL", "--",
                    "redis-server", "--port", "1");
        } else {
            assertThat(command).containsExactly("redis-server", "--port", "1");
        }
    }

    @Test
    void startReportsAProgramThatCannotBeStarted() {
        ProcessBuilder builder = new ProcessBuilder(dir.resolve("no-such-program").toString());
        // through setpriv the start succeeds and setpriv exits 127; without it the JVM cannot start it
        try {
            Process p = Spawner.start(builder);
            assertThat(RedisServer.waitForExit(p, java.time.Duration.ofSeconds(5))).isTrue();
            assertThat(p.exitValue()).isEqualTo(127);
        } catch (IOException e) {
            assertThat(Spawner.setpriv()).isEmpty();
            assertThat(e).hasMessageContaining("error=2");
        }
        assertThat(builder.command()).containsExactly(dir.resolve("no-such-program").toString());
    }

    private static Path executable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\n");
        assertThat(file.toFile().setExecutable(true)).isTrue();
        return file;
    }
}
