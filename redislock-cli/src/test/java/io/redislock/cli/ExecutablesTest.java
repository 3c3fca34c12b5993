package io.redislock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ExecutablesTest {
    @TempDir
    Path dir;

    @Test
    void findsAProgramInTheFirstPathEntryWhereItIsExecutable() throws Exception {
        Path first = Files.createDirectory(dir.resolve("a"));
        Path second = Files.createDirectory(dir.resolve("b"));
        Files.writeString(first.resolve("tool"), "#!/bin/sh\n");
        Path runnable = Files.writeString(second.resolve("tool"), "#!/bin/sh\n");
        assertThat(runnable.toFile().setExecutable(true)).isTrue();
        assertThat(Executables.resolve("tool", first + ":" + second)).isEqualTo(runnable);
    }

    @Test
    void notFoundIs127AndFoundButNotExecutableIs126() throws IOException {
        Files.writeString(dir.resolve("tool"), "#!/bin/sh\n");
        Files.createDirectory(dir.resolve("sub"));
        assertThatThrownBy(() -> Executables.resolve("no-such-tool", dir.toString()))
                .isInstanceOfSatisfying(Executables.CannotStart.class, e -> assertThat(e.exitCode()).isEqualTo(127));
        assertThatThrownBy(() -> Executables.resolve("tool", dir.toString()))
                .isInstanceOfSatisfying(Executables.CannotStart.class, e -> assertThat(e.exitCode()).isEqualTo(126));
        assertThatThrownBy(() -> Executables.resolve("sub", dir.toString()))
                .isInstanceOfSatisfying(Executables.CannotStart.class, e -> assertThat(e.exitCode()).isEqualTo(126));
        assertThatThrownBy(() -> Executables.resolve(dir.resolve("missing").toString(), null))
                .isInstanceOfSatisfying(Executables.CannotStart.class, e -> assertThat(e.exitCode()).isEqualTo(127));
        assertThatThrownBy(() -> Executables.resolve(dir.toString(), null))
                .isInstanceOfSatisfying(Executables.CannotStart.class, e -> assertThat(e.exitCode()).isEqualTo(126))
                .hasMessageContaining("is a directory");
        assertThatThrownBy(() -> Executables.resolve("", null))
                .isInstanceOfSatisfying(Executables.CannotStart.class, e -> assertThat(e.exitCode()).isEqualTo(127));
    }
}
