package io.redislock.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the program {@code run} starts, the way {@code execvp(3)} and shells do, so that redislock itself
 * tells "not found" (127) from "found but not executable" (126) before anything is started; and probes
 * util-linux {@code setpriv(1)}, which starts the command with a parent-death signal.
 *
 * <p>Thread-safety: thread-safe.
 */
final class Executables {
    private static final String DEFAULT_PATH = "/usr/bin:/bin";
    private static final List<String> SETPRIV = List.of("/usr/bin/setpriv", "/bin/setpriv");
    private static final long PROBE_MILLIS = 2000;

    /** Why a program cannot be started, with the shells' exit code. */
    static final class CannotStart extends Exception {
        private static final long serialVersionUID = 1L;
        private final int exitCode;

        CannotStart(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }

        /** @return 127 (not found) or 126 (found, not executable) */
        int exitCode() {
            return exitCode;
        }
    }

    private Executables() {}

    /**
     * Finds a program: a name with a slash as a path, else in each PATH entry (an empty one is the current
     * directory), skipping entries where it exists but cannot be executed.
     *
     * @param program the program as given
     * @param path the PATH value, or null for a default
     * @return the file that will be executed
     * @throws CannotStart 127 if there is no such file, 126 if it is a directory or not executable
     */
    static Path resolve(String program, String path) throws CannotStart {
        String quoted = "'" + LockInfoFormat.printable(program) + "'";
        if (program.isEmpty()) {
            throw new CannotStart("cannot start " + quoted + ": not found", ExitCodes.COMMAND_NOT_FOUND);
        }
        if (program.contains("/")) {
            Path p = path(program);
            if (p == null || !Files.exists(p)) {
                throw new CannotStart("cannot start " + quoted + ": no such file", ExitCodes.COMMAND_NOT_FOUND);
            }
            if (Files.isDirectory(p)) {
                throw new CannotStart("cannot start " + quoted + ": is a directory", ExitCodes.CANNOT_EXECUTE);
            }
            if (!Files.isExecutable(p)) {
                throw new CannotStart("cannot start " + quoted + ": permission denied (not executable)",
                        ExitCodes.CANNOT_EXECUTE);
            }
            return p;
        }
        Path notExecutable = null;
        for (String dir : (path == null ? DEFAULT_PATH : path).split(":", -1)) {
            Path p = path((dir.isEmpty() ? "." : dir) + File.separator + program);
            if (p == null || !Files.exists(p)) {
                continue;
            }
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
            if (notExecutable == null) {
                notExecutable = p;
            }
        }
        if (notExecutable != null) {
            throw new CannotStart("cannot start " + quoted + ": " + LockInfoFormat.printable(notExecutable.toString())
                    + (Files.isDirectory(notExecutable) ? " is a directory" : " is not executable")
                    + " (permission denied)", ExitCodes.CANNOT_EXECUTE);
        }
        throw new CannotStart("cannot start " + quoted + ": command not found (PATH is searched)",
                ExitCodes.COMMAND_NOT_FOUND);
    }

    /**
     * The {@code setpriv} to start commands with, if one is installed and supports {@code --pdeathsig};
     * probed once (one short process).
     *
     * @return its path, or empty to start commands directly
     */
    static Optional<Path> setpriv() {
        return SetprivHolder.PATH;
    }

    private static final class SetprivHolder {
        static final Optional<Path> PATH = probe();
    }

    private static Optional<Path> probe() {
        Path found = null;
        for (String candidate : SETPRIV) {
            Path p = Path.of(candidate);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                found = p;
                break;
            }
        }
        if (found == null) {
            // only absolute PATH entries: never a ./setpriv from the current directory the user did not name
            StringBuilder absolute = new StringBuilder();
            for (String dir : String.valueOf(System.getenv("PATH")).split(":")) {
                if (dir.startsWith("/")) {
                    absolute.append(absolute.length() == 0 ? "" : ":").append(dir);
                }
            }
            try {
                found = absolute.length() == 0 ? null : resolve("setpriv", absolute.toString());
            } catch (CannotStart e) {
                return Optional.empty();
            }
            if (found == null) {
                return Optional.empty();
            }
        }
        String s = found.toString();
        try {
            Process p = new ProcessBuilder(s, "--pdeathsig", "TERM", "--", s, "--version")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            if (!p.waitFor(PROBE_MILLIS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(found) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Path path(String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
