package io.redislock.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class StaleDirsTest {
    @Test
    void removesOnlyDirectoriesWhoseRecordedOwnerIsDead(@TempDir Path tmp) throws Exception {
        Path dead = Files.createDirectories(tmp.resolve("redislock-redis-1"));
        Files.writeString(dead.resolve(StaleDirs.OWNER_FILE), "111");
        Files.writeString(dead.resolve("redis.log"), "log");
        Path alive = Files.createDirectories(tmp.resolve("redislock-redis-2"));
        Files.writeString(alive.resolve(StaleDirs.OWNER_FILE), "222");
        Path unrecorded = Files.createDirectories(tmp.resolve("redislock-redis-3"));
        Path other = Files.createDirectories(tmp.resolve("something-else"));
        Files.writeString(other.resolve(StaleDirs.OWNER_FILE), "111");
        Path binary = Files.writeString(tmp.resolve("redislock-redis-server-x"), "binary");

        int removed = StaleDirs.sweep(tmp, "redislock-redis-", pid -> pid == 222);

        assertThat(removed).isEqualTo(1);
        assertThat(dead).doesNotExist();
        assertThat(alive).isDirectory();
        assertThat(unrecorded).isDirectory();
        assertThat(other).isDirectory();
        assertThat(binary).exists();
    }

    @Test
    void aServersDirectoryRecordsThisJvmAsItsOwner() {
        try (RedisServer server = RedisServer.start()) {
            assertThat(server.dir().resolve(StaleDirs.OWNER_FILE))
                    .hasContent(Long.toString(ProcessHandle.current().pid()));
        }
    }
}
