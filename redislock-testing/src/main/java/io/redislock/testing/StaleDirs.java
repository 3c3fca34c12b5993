package io.redislock.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongPredicate;
import java.util.stream.Stream;

/**
 * The temp directories of {@link RedisServer}s: each records the PID of the JVM that owns it, so that the
 * directories a killed JVM (SIGKILL skips its shutdown hooks) left behind can be removed by a later one.
 * Only directories whose recorded owner is no longer alive are removed; directories without a record are
 * left alone.
 *
 * <p>Thread-safety: thread-safe.
 */
final class StaleDirs {
    static final String OWNER_FILE = "owner.pid";

    private static final AtomicBoolean SWEPT = new AtomicBoolean();

    private StaleDirs() {
    }

    /** Records this JVM as the owner of {@code dir}; best effort. */
    static void markOwner(Path dir) {
        try {
            Files.writeString(dir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()),
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            // without a record the directory is simply never swept
        }
    }

    /** Once per JVM: removes the stale directories named {@code prefix*} next to {@code sibling}. */
    static void sweepOnce(Path sibling, String prefix) {
        Path parent = sibling.toAbsolutePath().getParent();
        if (parent != null && SWEPT.compareAndSet(false, true)) {
            sweep(parent, prefix, pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    /**
     * Removes the directories in {@code parent} named {@code prefix*} whose recorded owner is not alive.
     *
     * @param parent where to look
     * @param prefix the name prefix
     * @param alive whether a PID is a live process
     * @return how many were removed
     */
    static int sweep(Path parent, String prefix, LongPredicate alive) {
        int removed = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path dir : dirs) {
                Long owner = owner(dir);
                if (owner != null && owner != ProcessHandle.current().pid() && !alive.test(owner)) {
                    deleteRecursively(dir);
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a sweep never stops a server from starting
        }
        return removed;
    }

    private static Long owner(Path dir) {
        Path file = dir.resolve(OWNER_FILE);
        if (!Files.isDirectory(dir) || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).limit(10_000).map(Path::toFile).forEach(File::delete);
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: it is a temp dir
        }
    }
}
