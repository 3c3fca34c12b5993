package io.redislock.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code redislock} command: only dispatches to its subcommands.
 *
 * <p>Thread-safety: one invocation per instance.
 */
@Command(name = "redislock", mixinStandardHelpOptions = true, versionProvider = RedislockCommand.Version.class,
        description = "Distributed locks on Redis for shell scripts and operators (single instance or Redlock).",
        subcommands = {RunCommand.class, StatusCommand.class, ListCommand.class, ReleaseCommand.class,
            DemoCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  " + RedisOptions.REDIS_ENV + "     default for --redis (else " + RedisOptions.DEFAULT_URI + ")",
            "  " + Secrets.PASSWORD_ENV + "  password for URIs that carry none (never printed)",
            "",
            "Start with: redislock demo"})
public final class RedislockCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** Creates the command (picocli does this). */
    public RedislockCommand() {}

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command: one of run, status, list, release, demo");
    }

    /** Reads the version from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"redislock " + version()};
        }

        static String version() {
            Properties p = new Properties();
            try (InputStream in = RedislockCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                return "unknown";
            }
            return p.getProperty("version", "unknown");
        }
    }
}
