package io.redislock.benchmarks;

import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Number formatting for the markdown tables. Units and decimals are chosen after rounding, so a value
 * just under a threshold is printed like the rounded value it shows (e.g. {@code 10.0 ms}, not
 * {@code 10,000 µs}); negative zero is printed as {@code 0}.
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
        return Double.isNaN(v) ? "–" : fixed("%,.0f", v);
    }

    /**
     * Nanoseconds as microseconds, e.g. {@code 84.2 µs} below 100 µs, {@code 1,265 µs} below 10 ms, else
     * milliseconds ({@code 10.0 ms}).
     *
     * @param nanos the value
     * @return the text, "–" for NaN
     */
    public static String micros(double nanos) {
        if (Double.isNaN(nanos)) {
            return "–";
        }
        double us = nanos / 1000.0;
        if (Math.abs(round(us, 1)) < 100) {
            return fixed("%.1f", us) + " µs";
        }
        if (Math.abs(round(us, 0)) < 10_000) {
            return fixed("%,.0f", us) + " µs";
        }
        return fixed("%,.1f", us / 1000.0) + " ms";
    }

    /**
     * A time already in microseconds (e.g. Redis CPU per operation), formatted like {@link #micros}.
     *
     * @param us the value in microseconds
     * @return the text, "–" for NaN
     */
    public static String cpuMicros(double us) {
        return micros(us * 1000.0);
    }

    /**
     * A ratio with two decimals (none from 100 on) and an {@code ×}.
     *
     * @param v the value
     * @return the text, "–" for NaN
     */
    public static String ratio(double v) {
        return Double.isNaN(v) ? "–" : fixed(decimals(v) == 2 ? "%.2f" : "%.0f", v) + "×";
    }

    /**
     * A ratio summary over rounds, e.g. {@code 0.93× (0.88–0.97)}; see {@link #spread}.
     *
     * @param s the summary
     * @return the text
     */
    public static String ratio(Summary s) {
        return ratio(s, 0);
    }

    /**
     * A ratio summary over rounds, with n shown when fewer than {@code rounds}; see {@link #spread}.
     *
     * @param s the summary
     * @param rounds the configured rounds, or 0 if unknown
     * @return the text
     */
    public static String ratio(Summary s, int rounds) {
        int d = decimals(s.median(), s.low(), s.high());
        return spread(s, rounds, v -> fixed(d == 2 ? "%.2f" : "%.0f", v), "×");
    }

    /**
     * A count summary over rounds; see {@link #spread}.
     *
     * @param s the summary
     * @return the text
     */
    public static String count(Summary s) {
        return count(s, 0);
    }

    /**
     * A count summary over rounds, with n shown when fewer than {@code rounds}; see {@link #spread}.
     *
     * @param s the summary
     * @param rounds the configured rounds, or 0 if unknown
     * @return the text
     */
    public static String count(Summary s, int rounds) {
        return spread(s, rounds, Fmt::count, "");
    }

    /**
     * A plain-number summary over rounds, all three numbers with the same decimals; see {@link #spread}.
     *
     * @param s the summary
     * @param rounds the configured rounds, or 0 if unknown
     * @return the text
     */
    public static String plain(Summary s, int rounds) {
        int d = decimals(s.median(), s.low(), s.high());
        return spread(s, rounds, v -> fixed(d == 2 ? "%.2f" : "%.0f", v), "");
    }

    /**
     * A summary as its median and spread: {@code median (p25–p75)} from {@value Summary#MIN_FOR_QUARTILES}
     * values on, {@code median (range min–max)} below, the bare value for a single measurement; {@code n=K}
     * is added when {@code rounds} is known and more than the values summarized.
     *
     * @param s the summary
     * @param rounds the configured rounds, or 0 if unknown
     * @param number formats one number
     * @param unit appended to the median, e.g. "×"
     * @return the text, "–" without values
     */
    public static String spread(Summary s, int rounds, DoubleFunction<String> number, String unit) {
        if (!s.present()) {
            return "–";
        }
        String median = number.apply(s.median()) + unit;
        String n = rounds > s.n() ? "n=" + s.n() : "";
        if (s.n() == 1) {
            return n.isEmpty() ? median : median + " (" + n + ")";
        }
        String range = (s.hasQuartiles() ? "" : "range ") + number.apply(s.low()) + "–" + number.apply(s.high());
        return median + " (" + range + (n.isEmpty() ? "" : ", " + n) + ")";
    }

    /**
     * A number with two decimals, none from 100 on.
     *
     * @param v the value
     * @return the text, "–" for NaN
     */
    public static String plain(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return fixed(decimals(v) == 2 ? "%.2f" : "%.0f", v);
    }

    /**
     * A share as a percentage: whole percents, with as many decimals (up to three) as it takes not to
     * print a share that is not exactly 0 or 1 as {@code 0%} or {@code 100%}, e.g. {@code 99.6%}.
     *
     * @param v in [0, 1]
     * @return the text, "–" for NaN
     */
    public static String percent(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double p = v * 100;
        int d = 0;
        while (d < 3 && ((v < 1 && round(p, d) >= 100) || (v > 0 && round(p, d) <= 0))) {
            d++;
        }
        return fixed("%." + d + "f", p) + "%";
    }

    /** 2 if every value still shows below 100 with two decimals, else 0. */
    private static int decimals(double... values) {
        for (double v : values) {
            if (!Double.isNaN(v) && Math.abs(round(v, 2)) >= 100) {
                return 0;
            }
        }
        return 2;
    }

    private static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }

    /** Formats, printing a negative value that rounds to zero without its sign. */
    private static String fixed(String format, double v) {
        String s = String.format(Locale.ROOT, format, v);
        return s.matches("-0(\\.0+)?") ? s.substring(1) : s;
    }
}
