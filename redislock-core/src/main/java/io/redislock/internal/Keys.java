package io.redislock.internal;

import java.util.Objects;

/**
 * Redis key layout of one lock. The lock key is {@code prefix + name} and holds the owner token as a
 * plain string (the convention of the Redis docs, redis-py, node-redlock and redsync). Companion keys
 * wrap the lock key in a hash tag, {@code {prefix+name}:fence} and {@code {prefix+name}:waiters},
 * so that all three share one Redis Cluster slot (a key without braces hashes whole, the same as its
 * hash tag).
 */
public final class Keys {
    /** Longest accepted lock name, in chars. */
    public static final int MAX_NAME_LENGTH = 512;
    /** Longest accepted key prefix, in chars. */
    public static final int MAX_PREFIX_LENGTH = 128;

    private Keys() {}

    /**
     * Validates a lock name.
     *
     * @param name the name
     * @return the name
     * @throws IllegalArgumentException if null, blank, too long, or containing whitespace, control
     *     characters or braces
     */
    public static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be null or blank");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(
                    "name must be at most " + MAX_NAME_LENGTH + " characters, was " + name.length());
        }
        checkChars(name, "name");
        return name;
    }

    /**
     * Validates a key prefix (may be empty).
     *
     * @param prefix the prefix
     * @return the prefix
     * @throws IllegalArgumentException if too long or containing whitespace, control characters or braces
     */
    public static String checkPrefix(String prefix) {
        Objects.requireNonNull(prefix, "keyPrefix must not be null (use \"\" for none)");
        if (prefix.length() > MAX_PREFIX_LENGTH) {
            throw new IllegalArgumentException(
                    "keyPrefix must be at most " + MAX_PREFIX_LENGTH + " characters, was " + prefix.length());
        }
        checkChars(prefix, "keyPrefix");
        return prefix;
    }

    private static void checkChars(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c) || c == '{' || c == '}') {
                throw new IllegalArgumentException(what + " must not contain whitespace, control characters, '{' or '}'"
                        + " (found at index " + i + ")");
            }
        }
    }

    /**
     * The three keys of a lock, in the order the scripts expect: lock, fence, waiters.
     *
     * @param prefix the key prefix
     * @param name the lock name
     * @return the keys
     */
    public static String[] of(String prefix, String name) {
        String key = prefix + name;
        String tag = "{" + key + "}";
        return new String[] {key, tag + ":fence", tag + ":waiters"};
    }

    /**
     * The fencing-counter key pattern for SCAN, matching names against a glob pattern.
     *
     * @param prefix the key prefix
     * @param namePattern a glob over lock names
     * @return the SCAN MATCH pattern
     */
    public static String fencePattern(String prefix, String namePattern) {
        return "{" + prefix + namePattern + "}:fence";
    }

    /**
     * The lock key a fencing-counter key belongs to, or null when it is not one.
     *
     * @param fenceKey a key returned by SCAN
     * @return the lock key
     */
    public static String lockKeyOfFence(String fenceKey) {
        if (fenceKey.startsWith("{") && fenceKey.endsWith("}:fence")) {
            return fenceKey.substring(1, fenceKey.length() - "}:fence".length());
        }
        return null;
    }
}
