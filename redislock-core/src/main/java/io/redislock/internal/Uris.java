package io.redislock.internal;

import io.lettuce.core.RedisURI;
import java.util.regex.Pattern;

/** Parsing and password masking of Redis URIs; nothing here ever returns a password. */
public final class Uris {
    private static final Pattern USERINFO = Pattern.compile("(?<=://)[^@/]*@");

    private Uris() {}

    /**
     * Masks the user-info part of a URI: {@code redis://:secret@h:1} becomes {@code redis://***@h:1}.
     *
     * @param uri any string
     * @return the masked string
     */
    public static String mask(String uri) {
        return uri == null ? "null" : USERINFO.matcher(uri).replaceFirst("***@");
    }

    /**
     * Whether a URI carries user info (a password).
     *
     * @param uri a URI string
     * @return true if it has {@code user:password@} or {@code :password@}
     */
    public static boolean hasUserInfo(String uri) {
        return USERINFO.matcher(uri).find();
    }

    /**
     * Checks that a URI parses.
     *
     * @param uri the URI
     * @return the trimmed URI
     * @throws IllegalArgumentException with a masked message when it does not
     */
    public static String check(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("Redis URI must not be null or blank");
        }
        String u = uri.trim();
        if (!u.startsWith("redis://") && !u.startsWith("rediss://")) {
            throw new IllegalArgumentException(
                    "Redis URI must start with redis:// or rediss://, was " + mask(u));
        }
        try {
            RedisURI parsed = RedisURI.create(u);
            if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
                throw new IllegalArgumentException("Redis URI has no host: " + mask(u));
            }
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Redis URI")) {
                throw e;
            }
            throw new IllegalArgumentException("invalid Redis URI " + mask(u));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid Redis URI " + mask(u));
        }
        return u;
    }

    /**
     * A URI's server (host and port), for duplicate detection: two databases of one server are one node,
     * since one crash takes both.
     *
     * @param uri a checked URI
     * @return "host:port"
     */
    public static String identity(String uri) {
        RedisURI r = RedisURI.create(uri);
        return r.getHost().toLowerCase(java.util.Locale.ROOT) + ":" + r.getPort();
    }

    /**
     * A display form without credentials: {@code redis://host:port[/db]}.
     *
     * @param r a parsed URI
     * @return the display string
     */
    public static String display(RedisURI r) {
        String scheme = r.isSsl() ? "rediss" : "redis";
        return scheme + "://" + r.getHost() + ":" + r.getPort() + (r.getDatabase() != 0 ? "/" + r.getDatabase() : "");
    }
}
