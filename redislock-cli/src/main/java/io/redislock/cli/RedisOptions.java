package io.redislock.cli;

import io.redislock.LockClient;
import io.redislock.LockClientOptions;
import io.redislock.LockOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options every Redis-facing subcommand shares: {@code --redis} and {@code --key-prefix}, with the
 * password taken from the URI or {@code REDISLOCK_PASSWORD}.
 *
 * <p>Thread-safety: used by one command invocation on one thread.
 */
public final class RedisOptions {
    /** The environment variable with the default {@code --redis} value. */
    public static final String REDIS_ENV = "REDISLOCK_REDIS";
    /** The URI used when neither {@code --redis} nor {@code REDISLOCK_REDIS} is given. */
    public static final String DEFAULT_URI = "redis://127.0.0.1:6379";

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--redis", paramLabel = "URI[,URI...]",
            description = "Redis URI; several comma-separated independent masters mean Redlock (majority quorum). "
                    + "Default: $" + REDIS_ENV + ", else " + DEFAULT_URI + ". A password may be given in the URI "
                    + "(redis://:PASSWORD@host:6379) or in $" + Secrets.PASSWORD_ENV + "; it is never printed.")
    private String redis;

    @Option(names = "--key-prefix", paramLabel = "PREFIX", defaultValue = "",
            description = "Prefix put before lock names to form their Redis keys (default: none).")
    private String keyPrefix;

    /** Creates the mixin (picocli does this). */
    public RedisOptions() {}

    /**
     * The URIs to use, from {@code --redis}, then the environment, then the default.
     *
     * @return one URI (single instance) or several (Redlock)
     * @throws CommandLine.ParameterException if the list has an empty element
     */
    public List<String> uris() {
        String value = redis;
        if (value != null && value.isBlank()) {
            throw usage("--redis must not be empty (leave it out to use $" + REDIS_ENV + " or " + DEFAULT_URI + ")");
        }
        if (value == null) {
            value = System.getenv(REDIS_ENV);
        }
        String source = source();
        if (value == null || value.isBlank()) {
            return List.of(DEFAULT_URI);
        }
        List<String> uris = new ArrayList<>();
        for (String part : split(value)) {
            if (part.isBlank()) {
                throw usage(source + ": empty URI in the comma-separated list");
            }
            uris.add(part.trim());
        }
        return uris;
    }

    /**
     * Splits a comma-separated list of URIs. A comma in a URI's user info (a password such as {@code a,b})
     * does not split it: after a part with no '@', the parts without a scheme up to the last one that holds
     * an '@' belong to it, also when the URI is mistyped without its scheme. (Split at every comma, a piece
     * of the password would be reported as a malformed URI, and printed.)
     *
     * @param value the list
     * @return its URIs, untrimmed; blank ones included
     */
    static List<String> split(String value) {
        String[] raw = value.split(",", -1);
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < raw.length) {
            StringBuilder part = new StringBuilder(raw[i]);
            int next = i + 1;
            if (raw[i].indexOf('@') < 0) {
                int end = i;
                for (int k = i + 1; k < raw.length && !raw[k].contains("://"); k++) {
                    if (raw[k].indexOf('@') >= 0) {
                        end = k;
                    }
                }
                for (; next <= end; next++) {
                    part.append(',').append(raw[next]);
                }
            }
            parts.add(part.toString());
            i = next;
        }
        return parts;
    }

    /**
     * The validated key prefix.
     *
     * @return the prefix, possibly empty
     * @throws CommandLine.ParameterException if it is invalid
     */
    public String keyPrefix() {
        try {
            return LockOptions.builder().keyPrefix(keyPrefix).build().keyPrefix();
        } catch (IllegalArgumentException e) {
            throw usage("--key-prefix: " + e.getMessage());
        }
    }

    /**
     * Client options for the URIs, with the password from {@code REDISLOCK_PASSWORD} for URIs without one.
     *
     * @return the options
     * @throws CommandLine.ParameterException if a URI is malformed or repeated
     */
    public LockClientOptions clientOptions() {
        try {
            return LockClientOptions.builder()
                    .uris(uris())
                    .password(System.getenv(Secrets.PASSWORD_ENV))
                    .build();
        } catch (IllegalArgumentException e) {
            throw usage(source() + ": " + e.getMessage());
        }
    }

    /** @return where the URIs come from, for messages: {@code --redis} or the environment variable */
    private String source() {
        return redis != null ? "--redis" : "environment variable " + REDIS_ENV;
    }

    /**
     * Creates a client (it connects in the background; calls fail with
     * {@link io.redislock.LockUnavailableException} while Redis is unreachable).
     *
     * @return the client, to be closed by the caller
     */
    public LockClient connect() {
        return LockClient.create(clientOptions());
    }

    /**
     * Checks a lock name the way the library does, as a usage error naming {@code --name}.
     *
     * @param client a client
     * @param name the name
     * @return the name
     * @throws CommandLine.ParameterException if it is invalid
     */
    public String checkName(LockClient client, String name) {
        try {
            client.lock(name, LockOptions.defaults());
            return name;
        } catch (IllegalArgumentException e) {
            throw usage("--name: " + e.getMessage());
        }
    }

    /**
     * A usage error of the command this mixin belongs to.
     *
     * @param message the explanation
     * @return the exception, to throw
     */
    public CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(mixee.commandLine(), message);
    }
}
