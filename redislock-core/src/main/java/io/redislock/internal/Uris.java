package io.redislock.internal;

import io.lettuce.core.RedisURI;
import java.util.regex.Pattern;

/** Parsing and password masking of Redis URIs; nothing here ever returns a password. */
public final class Uris {
    /** In free text: after "://", everything up to the last '@' before the next whitespace. */
    private static final Pattern USERINFO_IN_TEXT = Pattern.compile("(?<=://)\\S*@");
    /** A password-like query parameter ({@code ?password=...}): not a form Redis URIs use, but masked too. */
    private static final Pattern SECRET_PARAM = Pattern.compile("(?i)([?&](?:password|passwd|pass|pwd|auth|secret)=)([^&\\s#,]*)");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}");
    private static final String ENCODE_HINT = " (percent-encode '@', '/', ':', '%' and spaces in a password, e.g. '@' as %40)";

    private Uris() {}

    /**
     * Masks the user-info part of one URI (and any {@code password=}-like query parameter): everything
     * between {@code ://} and its last {@code @}, so that
     * a password containing {@code @}, {@code /} or spaces is masked too: {@code redis://:secret@h:1}
     * becomes {@code redis://***@h:1}.
     *
     * A malformed URI without {@code ://} (e.g. {@code :secret@h:1}) is masked from its start to its last
     * {@code @}: it may still carry a password.
     *
     * @param uri one URI, or any string
     * @return the masked string
     */
    public static String mask(String uri) {
        if (uri == null) {
            return "null";
        }
        uri = SECRET_PARAM.matcher(uri).replaceAll("$1***");
        int at = uri.lastIndexOf('@');
        if (at < 0) {
            return uri;
        }
        int scheme = uri.indexOf("://");
        int from = scheme >= 0 && scheme < at ? scheme + 3 : 0;
        return uri.substring(0, from) + "***" + uri.substring(at);
    }

    /**
     * The values of password-like query parameters ({@code ?password=...}) in a text, so that a caller can
     * mask them wherever else they appear.
     *
     * @param text a URI or a list of them
     * @return the non-empty values, as written
     */
    public static java.util.List<String> queryPasswords(String text) {
        java.util.List<String> out = new java.util.ArrayList<>();
        java.util.regex.Matcher m = SECRET_PARAM.matcher(text == null ? "" : text);
        while (m.find()) {
            if (!m.group(2).isEmpty()) {
                out.add(m.group(2));
            }
        }
        return out;
    }

    /**
     * Masks the user info of every URI in a free text (an exception message).
     *
     * @param text any text
     * @return the masked text
     */
    public static String maskText(String text) {
        return text == null ? "null"
                : SECRET_PARAM.matcher(USERINFO_IN_TEXT.matcher(text).replaceAll("***@")).replaceAll("$1***");
    }

    /** The authority of a URI: between "://" and the first '/', '?' or '#' (or the end). */
    private static String authority(String uri) {
        int from = uri.indexOf("://") + 3;
        int end = uri.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = uri.indexOf(c, from);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return uri.substring(from, end);
    }

    /**
     * Who a password given apart from a URI (an option, {@code REDISLOCK_PASSWORD}) is for.
     *
     * @param uri a checked URI string
     * @return null if the URI carries a password ({@code user:password@}, {@code :password@}, or
     *     {@code password@} as Lettuce and redis-cli read it); else the ACL user it names with an empty
     *     password ({@code user:@}), or "" for the default user (no user info at all)
     */
    public static String userWithoutPassword(String uri) {
        String a = authority(uri);
        int at = a.lastIndexOf('@');
        if (at < 0) {
            return "";
        }
        String info = a.substring(0, at);
        int colon = info.indexOf(':');
        if (colon < 0 || colon < info.length() - 1) {
            return null;
        }
        return java.net.URLDecoder.decode(info.substring(0, colon).replace("+", "%2B"),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Checks that a URI parses into the host and port it appears to name.
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
        String authority = authority(u);
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? "" : authority.substring(0, at);
        String hostPort = authority.substring(at + 1);
        if (userInfo.indexOf('@') >= 0 || userInfo.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("invalid Redis URI " + mask(u) + ENCODE_HINT);
        }
        String host;
        String port = "";
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            host = close < 0 ? "" : hostPort.substring(1, close);
            String after = close < 0 ? "" : hostPort.substring(close + 1);
            if (close < 0 || host.isEmpty() || !host.matches("[0-9A-Fa-f:.]+") || !(after.isEmpty() || after.startsWith(":"))) {
                throw new IllegalArgumentException("Redis URI has no valid host and port: " + mask(u) + ENCODE_HINT);
            }
            port = after.isEmpty() ? "" : after.substring(1);
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            port = colon < 0 ? "" : hostPort.substring(colon + 1);
            if (!HOST.matcher(host).matches()) {
                throw new IllegalArgumentException("Redis URI has no valid host and port: " + mask(u) + ENCODE_HINT);
            }
        }
        boolean colon = hostPort.startsWith("[") ? hostPort.indexOf("]:") >= 0 : hostPort.indexOf(':') >= 0;
        if (colon && (port.isEmpty() || !port.matches("[0-9]{1,9}") || Integer.parseInt(port) < 1
                || Integer.parseInt(port) > 65535)) {
            throw new IllegalArgumentException("Redis URI port must be a number 1..65535: " + mask(u) + ENCODE_HINT);
        }
        try {
            RedisURI.create(u);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid Redis URI " + mask(u) + ENCODE_HINT);
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
        RedisURI r = toRedisUri(uri);
        return canonicalHost(r.getHost()) + ":" + r.getPort();
    }

    /**
     * Parses a checked URI into Lettuce's form, with the host and port the URI names. (Lettuce's parser
     * takes {@code redis://redis_1:6380} as host "redis_1:6380" on port 6379: a host name with an
     * underscore, as Docker Compose service names have, is not a valid URI host for Java's parser.)
     *
     * @param uri a URI that passed {@link #check(String)}
     * @return the Lettuce URI: credentials, database and options as parsed, host and port as written
     */
    public static RedisURI toRedisUri(String uri) {
        RedisURI r = RedisURI.create(uri);
        String hostPort = authority(uri).substring(authority(uri).lastIndexOf('@') + 1);
        String host;
        int port = RedisURI.DEFAULT_REDIS_PORT;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            host = hostPort.substring(1, close);
            if (close + 1 < hostPort.length()) {
                port = Integer.parseInt(hostPort.substring(close + 2));
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            if (colon >= 0) {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            }
        }
        String parsedHost = r.getHost() == null ? "" : r.getHost().replace("[", "").replace("]", "");
        if (parsedHost.equalsIgnoreCase(host) && r.getPort() == port) {
            return r;
        }
        return RedisURI.builder(r).withHost(host).withPort(port).build();
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
