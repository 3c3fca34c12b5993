package io.redislock.internal;

import io.lettuce.core.RedisURI;
import java.util.regex.Pattern;

/** Parsing and password masking of Redis URIs; nothing here ever returns a password. */
public final class Uris {
    /** After "://", everything up to the last '@' before the next whitespace: a password may contain '@' or '/'. */
    private static final Pattern USERINFO = Pattern.compile("(?<=://)\\S*@");

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}");

    private Uris() {}

    /**
     * Masks the user-info part of a URI: {@code redis://:secret@h:1} becomes {@code redis://***@h:1}.
     *
     * @param uri any string
     * @return the masked string
     */
    public static String mask(String uri) {
        return uri == null ? "null" : USERINFO.matcher(uri).replaceAll("***@");
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
            // the standard parser first: Lettuce's is lenient and would take "h:abc" or "a@b@h" as a host name
            java.net.URI strict = new java.net.URI(u);
            if (strict.getHost() == null || strict.getHost().isEmpty()) {
                throw new IllegalArgumentException("Redis URI has no valid host and port: " + mask(u)
                        + " (percent-encode '@', '/', ':' and '%' in a password, e.g. '@' as %40)");
            }
            if (strict.getPort() > 65535) {
                throw new IllegalArgumentException("Redis URI port must be 1..65535: " + mask(u));
            }
            RedisURI parsed = RedisURI.create(u);
            if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
                throw new IllegalArgumentException("Redis URI has no host: " + mask(u));
            }
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("invalid Redis URI " + mask(u)
                    + " (percent-encode '@', '/', ':' and '%' in a password, e.g. '@' as %40)");
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
        return canonicalHost(r.getHost()) + ":" + r.getPort();
    }

    /**
     * A host name as one server is known: lower case, "localhost" as 127.0.0.1, IP literals in their
     * canonical form. Names are not resolved (no DNS lookup while building options).
     */
    static String canonicalHost(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.equals("localhost.")) {
            return "127.0.0.1";
        }
        if (IPV4.matcher(h).matches() || h.contains(":")) {
            try {
                // a literal: parsed without DNS
                return java.net.InetAddress.getByName(h).getHostAddress();
            } catch (java.net.UnknownHostException e) {
                return h;
            }
        }
        return h;
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
