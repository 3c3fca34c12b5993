package io.redislock.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Entry point of the {@code redislock} command; the only place that calls {@link System#exit(int)}.
 *
 * <p>Thread-safety: {@link #execute} may be called from one thread at a time per output pair.
 */
public final class Main {
    private Main() {}

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        int code = execute(args, System.getenv(), System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /**
     * Runs the command line without exiting.
     *
     * @param args the arguments
     * @param env the environment (for masking secrets)
     * @param out where results go
     * @param err where diagnostics go
     * @return the exit code ({@link ExitCodes}); {@link ExitCodes#OUTPUT_FAILED} if the command succeeded but
     *     its results could not be written to {@code out}
     */
    public static int execute(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Secrets secrets = Secrets.from(args, env);
        PrintWriter outWriter = new PrintWriter(out, true);
        PrintWriter errWriter = new PrintWriter(err, true);
        CommandLine cl = commandLine(secrets, outWriter, errWriter);
        int code = cl.execute(args);
        boolean outFailed = outWriter.checkError() | out.checkError(); // both: each flushes, neither throws
        if (outFailed && code == ExitCodes.OK) {
            errWriter.println("redislock: could not write the results to standard output (device full, or the "
                    + "reader went away?)");
            code = ExitCodes.OUTPUT_FAILED;
        }
        errWriter.flush();
        return code;
    }

    static CommandLine commandLine(Secrets secrets, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new RedislockCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.getSubcommands().get("run").setStopAtPositional(true);
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.table());
        cl.setParameterExceptionHandler((ex, args) -> usageError(ex, secrets));
        cl.setExecutionExceptionHandler((ex, command, parseResult) -> {
            if (ex instanceof CommandLine.ParameterException pe) {
                return usageError(pe, secrets);
            }
            PrintWriter e = command.getErr();
            String message = RedisReplies.describe(ex, uris(command)).orElseGet(() -> describe(ex));
            e.println(prefix(command) + secrets.mask(message));
            if (ExitCodes.of(ex) == ExitCodes.FAILURE) {
                e.println("redislock: unexpected " + ex.getClass().getName() + "; please report it");
            }
            e.flush();
            return ExitCodes.of(ex);
        });
        return cl;
    }

    private static int usageError(CommandLine.ParameterException ex, Secrets secrets) {
        CommandLine c = ex.getCommandLine();
        PrintWriter e = c.getErr();
        e.println(prefix(c) + secrets.mask(ex.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, e);
        e.print(c.getHelp().fullSynopsis());
        e.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
        e.flush();
        return ExitCodes.USAGE;
    }

    /** @return the Redis URIs the command uses, or none if it has no --redis or they are unreadable */
    private static List<String> uris(CommandLine c) {
        for (Object mixin : c.getMixins().values()) {
            if (mixin instanceof RedisOptions r) {
                try {
                    return r.uris();
                } catch (RuntimeException e) {
                    return List.of();
                }
            }
        }
        return List.of();
    }

    private static String prefix(CommandLine c) {
        return c.getCommandSpec().qualifiedName() + ": ";
    }

    private static String describe(Throwable ex) {
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        Throwable root = ex;
        for (int i = 0; i < 16 && root.getCause() != null && root.getCause() != root; i++) {
            root = root.getCause();
        }
        if (root == ex && ex.getSuppressed().length > 0) {
            root = ex.getSuppressed()[0];
        }
        // (an error reply is quoted in the message already, without the script location Redis adds)
        if (root != ex && root.getMessage() != null && !message.contains(root.getMessage())
                && !message.contains("replied with an error")) {
            message += " (cause: " + root.getMessage().strip() + ")";
        }
        return message;
    }
}
