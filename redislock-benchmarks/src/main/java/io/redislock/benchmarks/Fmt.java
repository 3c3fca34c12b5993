package io.redislock.benchmarks;

import java.util.Locale;

/**
 * Number formatting for the markdown tables.
 *
 * <p>Thread-safety: stateless.
 */
public final class Fmt {
    private Fmt() {}

    /**
     * A count with thousands separators, e.g. {@code 12,345}.
     *
     * @param v the value
     * @return the text, "–" for NaN
     */
    public static String count(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,.0f", v);
    }

    /**
     * Nanoseconds as microseconds, e.g. {@code 84.2 µs}, or milliseconds above 10 ms.
     *
     * @param nanos the value
     * @return the text, "–" for NaN
     */
    public static String micros(double nanos) {
        if (Double.isNaN(nanos)) {
            return "–";
        }
        double us = nanos / 1000.0;
        if (us >= 10_000) {
            return String.format(Locale.ROOT, "%,.1f ms", us / 1000.0);
        }
        return String.format(Locale.ROOT, us >= 100 ? "%,.0f µs" : "%.1f µs", us);
    }

    /**
     * A ratio with two decimals and an {@code ×}.
     *
     * @param v the value
     * @return the text, "–" for NaN
     */
    public static String ratio(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, v >= 100 ? "%.0f×" : "%.2f×", v);
    }

    /**
     * A ratio summary: median with the interquartile range over rounds, e.g. {@code 0.93× (0.88–0.97)}.
     *
     * @param s the summary
     * @return the text
     */
    public static String ratio(Summary s) {
        if (!s.present()) {
            return "–";
        }
        return ratio(s.median()) + " (" + plain(s.p25()) + "–" + plain(s.p75()) + ")";
    }

    /**
     * A count summary: median with the interquartile range over rounds.
     *
     * @param s the summary
     * @return the text
     */
    public static String count(Summary s) {
        if (!s.present()) {
            return "–";
        }
        return count(s.median()) + " (" + count(s.p25()) + "–" + count(s.p75()) + ")";
    }

    /**
     * A number with two significant decimals.
     *
     * @param v the value
     * @return the text, "–" for NaN
     */
    public static String plain(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.2f", v);
    }

    /**
     * A share as a percentage.
     *
     * @param v in [0, 1]
     * @return the text, "–" for NaN
     */
    public static String percent(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f%%", v * 100);
    }
}
