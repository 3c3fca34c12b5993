package io.redislock.cli;

/**
 * A minimal JSON writer for the {@code --json} outputs: objects built field by field, strings escaped
 * per RFC 8259.
 *
 * <p>Thread-safety: not thread-safe; one instance per document.
 */
public final class Json {
    private final StringBuilder out = new StringBuilder();
    private boolean first = true;

    private Json() {}

    /**
     * Starts an object.
     *
     * @return the writer
     */
    public static Json object() {
        Json j = new Json();
        j.out.append('{');
        return j;
    }

    /**
     * Adds a string field (null becomes {@code null}).
     *
     * @param name the field name
     * @param value the value
     * @return this writer
     */
    public Json field(String name, String value) {
        return raw(name, value == null ? "null" : quote(value));
    }

    /**
     * Adds a number field.
     *
     * @param name the field name
     * @param value the value
     * @return this writer
     */
    public Json field(String name, long value) {
        return raw(name, Long.toString(value));
    }

    /**
     * Adds a number field that may be absent.
     *
     * @param name the field name
     * @param value the value or null
     * @return this writer
     */
    public Json field(String name, Long value) {
        return raw(name, value == null ? "null" : Long.toString(value));
    }

    /**
     * Adds a boolean field.
     *
     * @param name the field name
     * @param value the value
     * @return this writer
     */
    public Json field(String name, boolean value) {
        return raw(name, Boolean.toString(value));
    }

    /**
     * Adds a field whose value is already JSON (an object or array).
     *
     * @param name the field name
     * @param json the JSON text
     * @return this writer
     */
    public Json raw(String name, String json) {
        if (!first) {
            out.append(',');
        }
        first = false;
        out.append(quote(name)).append(':').append(json);
        return this;
    }

    /**
     * Closes the object.
     *
     * @return the JSON text
     */
    public String end() {
        return out.append('}').toString();
    }

    /**
     * Quotes and escapes a string.
     *
     * @param s the string
     * @return the JSON string literal
     */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                case '\b':
                    b.append("\\b");
                    break;
                case '\f':
                    b.append("\\f");
                    break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }

    /**
     * Joins JSON values into an array.
     *
     * @param values JSON texts
     * @return the array text
     */
    public static String array(Iterable<String> values) {
        StringBuilder b = new StringBuilder("[");
        boolean firstValue = true;
        for (String v : values) {
            if (!firstValue) {
                b.append(',');
            }
            firstValue = false;
            b.append(v);
        }
        return b.append(']').toString();
    }
}
