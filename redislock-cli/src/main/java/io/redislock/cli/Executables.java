package io.redislock.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the program {@code run} starts, the way {@code execvp(3)} and shells do, so that redislock itself
 * tells "not found" (127) from "found but not executable" (126) before anything is started; and probes the
 * programs the command is started through: util-linux {@code setpriv(1)}, which gives it a parent-death
 * signal, and GNU {@code env(1)}, which unblocks SIGQUIT (every thread of a JDK 17 JVM blocks SIGQUIT, and a
 * started process inherits that mask: the command would ignore Ctrl-\ and {@code kill -QUIT}).
 *
 * <p>Thread-safety: thread-safe.
 */
final class Executables {
    private static final String DEFAULT_PATH = "/usr/bin:/bin";
    private static final List<String> SETPRIV_PATHS = List.of("/usr/bin/setpriv", "/bin/setpriv");
    private static final List<String> ENV_PATHS = List.of("/usr/bin/env", "/bin/env");
    private static final String DEFAULT_QUIT = "--default-signal=QUIT";
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
        return Probed.SETPRIV;
    }

    /**
     * The programs and options a command is started through, in order, each of which execs the next: {@code
     * setpriv --pdeathsig TERM --} and {@code env --default-signal=QUIT --}, each where it is installed and
     * supports that option. The env step is left out for a program whose name contains '=' (env would take
     * it for a variable) or is "-" (env would take it for -i and clear the environment).
     *
     * @param program the command's program as given
     * @return the prefix of the command line (empty: start the command directly)
     */
    static List<String> launchPrefix(String program) {
        List<String> argv = new ArrayList<>();
        Probed.SETPRIV.ifPresent(p -> argv.addAll(List.of(p.toString(), "--pdeathsig", "TERM", "--")));
        if (!program.contains("=") && !program.equals("-")) {
            Probed.ENV.ifPresent(p -> argv.addAll(List.of(p.toString(), DEFAULT_QUIT, "--")));
        }
        return argv;
    }

    private static final class Probed {
        static final Optional<Path> SETPRIV =
                find(SETPRIV_PATHS, "setpriv").filter(p -> works(p, "--pdeathsig", "TERM"));
        static final Optional<Path> ENV = find(ENV_PATHS, "env").filter(p -> works(p, DEFAULT_QUIT));
    }

    /** A program at one of the usual places, else in an absolute PATH entry (never a ./program by accident). */
    private static Optional<Path> find(List<String> usual, String name) {
        for (String candidate : usual) {
            Path p = Path.of(candidate);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        StringBuilder absolute = new StringBuilder();
        for (String dir : String.valueOf(System.getenv("PATH")).split(":")) {
            if (dir.startsWith("/")) {
                absolute.append(absolute.length() == 0 ? "" : ":").append(dir);
            }
        }
        try {
            return absolute.length() == 0 ? Optional.empty() : Optional.of(resolve(name, absolute.toString()));
        } catch (CannotStart e) {
            return Optional.empty();
        }
    }

    /** Whether {@code program options -- program --version} runs and exits 0 (one short process). */
    private static boolean works(Path program, String... options) {
        String s = program.toString();
        List<String> argv = new ArrayList<>(List.of(s));
        argv.addAll(List.of(options));
        argv.addAll(List.of("--", s, "--version"));
        try {
            Process p = new ProcessBuilder(argv)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            if (!p.waitFor(PROBE_MILLIS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
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
