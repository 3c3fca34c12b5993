package io.redislock.cli;

import io.redislock.internal.Uris;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks Redis credentials in anything the CLI prints: the user-info part of every URI, and every
 * password this process was given (in a {@code --redis} URI or in {@code REDISLOCK_PASSWORD}) wherever
 * it appears.
 *
 * <p>Thread-safety: immutable.
 */
public final class Secrets {
    /** The environment variable holding the password for URIs that carry none. */
    public static final String PASSWORD_ENV = "REDISLOCK_PASSWORD";

    private static final Pattern USERINFO = Pattern.compile("(?<=://)[^@/\\s]*@");
    private static final Pattern URI_PASSWORD = Pattern.compile("://([^@/\\s]*)@");
    private static final int MIN_LITERAL = 3;

    private final List<String> literals;

    private Secrets(List<String> literals) {
        this.literals = literals;
    }

    /**
     * Collects the secrets from the command line and the environment.
     *
     * @param args the raw arguments
     * @param env the environment
     * @return the masker
     */
    public static Secrets from(String[] args, Map<String, String> env) {
        List<String> found = new ArrayList<>();
        add(found, env.get(PASSWORD_ENV));
        for (String arg : args) {
            collectFromUris(found, arg);
        }
        for (String value : redisValues(args)) {
            collectFromMalformed(found, value);
            collectFromQuery(found, value);
        }
        String fromEnvUri = env.get(RedisOptions.REDIS_ENV);
        if (fromEnvUri != null) {
            collectFromUris(found, fromEnvUri);
            collectFromMalformed(found, fromEnvUri);
            collectFromQuery(found, fromEnvUri);
        }
        found.sort(Comparator.comparingInt(String::length).reversed());
        return new Secrets(List.copyOf(found));
    }

    private static void collectFromUris(List<String> found, String text) {
        Matcher m = URI_PASSWORD.matcher(text);
        while (m.find()) {
            String userInfo = m.group(1);
            int colon = userInfo.indexOf(':');
            String password = colon >= 0 ? userInfo.substring(colon + 1) : userInfo;
            addRawAndDecoded(found, password);
        }
    }

    /**
     * A password-like query parameter ({@code ?password=...}): not a form redislock reads, but a user who
     * writes one means it as a secret.
     */
    private static void collectFromQuery(List<String> found, String value) {
        for (String secret : Uris.queryPasswords(value)) {
            addRawAndDecoded(found, secret);
        }
    }

    /** Adds a password as written and percent-decoded (a malformed encoding: as written only). */
    private static void addRawAndDecoded(List<String> found, String password) {
        add(found, password);
        try {
            add(found, URLDecoder.decode(password, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException malformed) {
            // keep the raw form only
        }
    }

    /** The values given to {@code --redis} before the command's own arguments (after {@code --}). */
    private static List<String> redisValues(String[] args) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < args.length && !args[i].equals("--"); i++) {
            if (args[i].equals("--redis") && i + 1 < args.length) {
                values.add(args[i + 1]);
            } else if (args[i].startsWith("--redis=")) {
                values.add(args[i].substring("--redis=".length()));
            }
        }
        return values;
    }

    /**
     * A URI without {@code ://} (mistyped, e.g. {@code :secret@host:6379} or {@code redis:/:secret@host})
     * is rejected, but may still carry a password: whatever follows the first ':' of the part before its
     * last '@' (after its last '/').
     */
    private static void collectFromMalformed(List<String> found, String value) {
        for (String uri : RedisOptions.split(value)) {
            int at = uri.lastIndexOf('@');
            if (at < 0 || uri.contains("://")) {
                continue;
            }
            String userInfo = uri.substring(uri.lastIndexOf('/', at) + 1, at);
            int colon = userInfo.indexOf(':');
            String password = colon >= 0 ? userInfo.substring(colon + 1) : userInfo;
            addRawAndDecoded(found, password);
        }
    }

    private static void add(List<String> found, String secret) {
        if (secret != null && secret.length() >= MIN_LITERAL && !found.contains(secret)) {
            found.add(secret);
        }
    }

    /**
     * Masks a message.
     *
     * @param text any text, may be null
     * @return the text with URI user info replaced by {@code ***@} and every known password by {@code ***}
     */
    public String mask(String text) {
        if (text == null) {
            return "";
        }
        String masked = USERINFO.matcher(text).replaceAll("***@");
        for (String secret : literals) {
            masked = masked.replace(secret, "***");
        }
        return masked;
    }
}
