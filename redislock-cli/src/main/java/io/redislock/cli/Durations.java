package io.redislock.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Parses the durations of the command line: {@code 500ms}, {@code 30s}, {@code 1.5s}, {@code 5m},
 * {@code 1h}, Go-style compounds of these ({@code 1m30s}, {@code 1h2m3.5s}, as consul and etcd accept),
 * a plain number meaning seconds ({@code 42}, {@code 0.25}), or ISO-8601 ({@code PT30S}). Negative values
 * and anything else are rejected.
 *
 * <p>Thread-safety: stateless.
 */
public final class Durations {
    private static final Pattern PLAIN = Pattern.compile("\\d{1,12}(?:\\.\\d{1,9})?");
    private static final Pattern PART = Pattern.compile("\\G(\\d{1,12}(?:\\.\\d{1,9})?)(ms|s|m|h)");
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    private Durations() {}

    /**
     * Parses a duration.
     *
     * @param text e.g. {@code "30s"} or {@code "1m30s"}
     * @return the duration, zero or positive
     * @throws IllegalArgumentException if the text is not such a duration
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt")) {
            try {
                Duration iso = Duration.parse(t);
                if (!iso.isNegative()) {
                    iso.toNanos(); // as the other forms: at most Long.MAX_VALUE ns
                    return iso;
                }
            } catch (ArithmeticException tooLong) {
                throw tooLong(text);
            } catch (java.time.format.DateTimeParseException e) {
                // falls through to the error below
            }
            throw notADuration(text);
        }
        BigDecimal nanos;
        if (PLAIN.matcher(t).matches()) {
            nanos = new BigDecimal(t).multiply(BigDecimal.valueOf(nanosPer("s")));
        } else {
            nanos = BigDecimal.ZERO;
            Matcher m = PART.matcher(t);
            int end = 0;
            while (m.find()) { // each match consumes input: at most t.length() rounds
                nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(nanosPer(m.group(2)))));
                end = m.end();
            }
            if (end == 0 || end != t.length()) {
                throw notADuration(text);
            }
        }
        if (nanos.compareTo(MAX_NANOS) > 0) {
            throw tooLong(text);
        }
        return Duration.ofNanos(nanos.setScale(0, RoundingMode.DOWN).longValueExact());
    }

    private static long nanosPer(String unit) {
        return switch (unit) {
            case "ms" -> 1_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 1_000_000_000L;
        };
    }

    private static IllegalArgumentException tooLong(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration this tool accepts: at most 292 years");
    }

    private static IllegalArgumentException notADuration(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration: use e.g. 500ms, 30s, 1.5s, 5m, 1h,"
                + " 1m30s, a number of seconds or ISO-8601 (PT30S); no negative values");
    }

    /**
     * Formats a duration for people: {@code 850ms}, {@code 12.3s}, {@code 5m0s}.
     *
     * @param d the duration
     * @return the text
     */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        return d.toMinutes() + "m" + d.toSecondsPart() + "s";
    }

    /** Converter for durations that may be zero ({@code --wait}). */
    public static final class NonNegative implements CommandLine.ITypeConverter<Duration> {
        /** Creates the converter (picocli does this). */
        public NonNegative() {}

        @Override
        public Duration convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Converter for durations that must be positive ({@code --lease}, {@code --kill-grace}). */
    public static final class Positive implements CommandLine.ITypeConverter<Duration> {
        /** Creates the converter (picocli does this). */
        public Positive() {}

        @Override
        public Duration convert(String value) {
            Duration d;
            try {
                d = parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
            if (d.isZero()) {
                throw new CommandLine.TypeConversionException("'" + value + "' must be greater than zero");
            }
            return d;
        }
    }
}
