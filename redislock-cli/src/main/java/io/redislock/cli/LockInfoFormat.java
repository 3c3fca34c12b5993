package io.redislock.cli;

import io.redislock.LockInfo;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Renders {@link LockInfo} snapshots for people and as JSON ({@code status}, {@code list}). Text output shows
 * names and holders read from Redis with control and other invisible characters escaped ({@code \n},
 * {@code \x1b} and the like), so that a foreign key cannot move the cursor, recolour or forge lines.
 *
 * <p>Thread-safety: stateless.
 */
public final class LockInfoFormat {
    private LockInfoFormat() {}

    /**
     * One lock as a JSON object: name, key, held, holder, ttlMillis, fencingCounter, nodesHolding,
     * nodesAnswered. holder and ttlMillis are null unless the lock is held (with Redlock: on a majority);
     * nodesHolding still counts the nodes where a token was found.
     *
     * @param info the snapshot
     * @return the JSON text
     */
    public static String json(LockInfo info) {
        return Json.object()
                .field("name", info.name())
                .field("key", info.key())
                .field("held", info.held())
                .field("holder", info.held() ? info.owner().orElse(null) : null)
                .field("ttlMillis", info.held() ? info.ttl().map(Duration::toMillis).orElse(null) : null)
                .field("fencingCounter", info.fencingCounter())
                .field("nodesHolding", info.nodesHolding())
                .field("nodesAnswered", info.nodesAnswered())
                .end();
    }

    /**
     * One lock for people, several lines.
     *
     * @param info the snapshot
     * @param nodes how many nodes the client uses
     * @return the text, ending with a newline
     */
    public static String human(LockInfo info, int nodes) {
        StringBuilder b = new StringBuilder();
        b.append("lock '").append(printable(info.name())).append("' is ").append(info.held() ? "held" : "free").append('\n');
        b.append(String.format(Locale.ROOT, "  %-9s %s%n", "key:", printable(info.key())));
        if (info.held()) {
            b.append(String.format(Locale.ROOT, "  %-9s %s%n", "holder:", printable(info.owner().orElse("?"))));
            b.append(String.format(Locale.ROOT, "  %-9s %s%n", "ttl:", ttl(info)));
        }
        // under Redlock each node counts on its own: the highest counter may exceed every token handed out
        b.append(String.format(Locale.ROOT, "  %-9s %d%s%n", "fencing:", info.fencingCounter(),
                info.fencingCounter() == 0 ? " (never granted, or not for a day)"
                        : nodes == 1 ? " (last token handed out)"
                        : " (highest counter on the nodes; no token handed out so far is higher)"));
        b.append(String.format(Locale.ROOT, "  %-9s %d of %d hold it, %d answered%s%n", "nodes:",
                info.nodesHolding(), nodes, info.nodesAnswered(),
                !info.held() && info.nodesHolding() > 0 ? " (not a majority)" : ""));
        return b.toString();
    }

    /**
     * Held locks as a table for people.
     *
     * @param locks the held locks
     * @return the text, ending with a newline
     */
    public static String table(List<LockInfo> locks) {
        int nameWidth = "NAME".length();
        int holderWidth = "HOLDER".length();
        for (LockInfo i : locks) {
            nameWidth = Math.max(nameWidth, printable(i.name()).length());
            holderWidth = Math.max(holderWidth, printable(i.owner().orElse("?")).length());
        }
        String row = "%-" + nameWidth + "s  %-" + holderWidth + "s  %8s  %s%n";
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, row, "NAME", "HOLDER", "TTL", "FENCING"));
        for (LockInfo i : locks) {
            b.append(String.format(Locale.ROOT, row, printable(i.name()), printable(i.owner().orElse("?")), ttl(i),
                    i.fencingCounter()));
        }
        return b.toString();
    }

    /**
     * Escapes what a terminal would act on or not show: C0 and C1 controls, DEL, line and paragraph
     * separators, format characters (bidi overrides, zero-width) and lone surrogates. Other text is kept.
     *
     * @param s text from Redis or the command line
     * @return the text, safe to print on one line
     */
    static String printable(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String escaped = escape(c, s, i);
            if (escaped != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (escaped != null) {
                    b.append(escaped);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    private static String escape(char c, String s, int i) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                break;
        }
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            return null;
        }
        if (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1))) {
            return null;
        }
        int type = Character.getType(c);
        boolean invisible = type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
        if (!invisible) {
            return null;
        }
        return c < 0x100 ? String.format(Locale.ROOT, "\\x%02x", (int) c) : String.format(Locale.ROOT, "\\u%04x", (int) c);
    }

    private static String ttl(LockInfo info) {
        return info.ttl().map(Durations::format).orElse("no expiry");
    }
}
