package io.redislock.benchmarks;

import java.util.List;

/**
 * Median and spread of a metric over rounds: the quartiles (interpolated between order statistics, see
 * {@link Stats#quantile}) and the extremes. With fewer than {@value #MIN_FOR_QUARTILES} values the
 * quartiles say little, so reports show the range (min–max) instead.
 *
 * @param median the median
 * @param p25 the 25th percentile
 * @param p75 the 75th percentile
 * @param min the smallest value
 * @param max the largest value
 * @param n how many rounds
 *
 * <p>Thread-safety: immutable.
 */
public record Summary(double median, double p25, double p75, double min, double max, int n) {
    /** No values. */
    public static final Summary EMPTY = new Summary(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);

    /** The fewest values for which the interquartile range is reported rather than the range. */
    public static final int MIN_FOR_QUARTILES = 5;

    /**
     * Summarizes values.
     *
     * @param values the values (may be empty)
     * @return the summary
     */
    public static Summary of(List<Double> values) {
        if (values.isEmpty()) {
            return EMPTY;
        }
        double[] a = Stats.toArray(values);
        return new Summary(Stats.median(a), Stats.quantile(0.25, a), Stats.quantile(0.75, a), Stats.min(a),
                Stats.max(a), a.length);
    }

    /** @return whether there is at least one value */
    public boolean present() {
        return n > 0;
    }

    /** @return whether the spread to report is the interquartile range (else the range, or none for one value) */
    public boolean hasQuartiles() {
        return n >= MIN_FOR_QUARTILES;
    }

    /** @return the lower end of the reported spread: the 25th percentile, or the minimum for few values */
    public double low() {
        return hasQuartiles() ? p25 : min;
    }

    /** @return the upper end of the reported spread: the 75th percentile, or the maximum for few values */
    public double high() {
        return hasQuartiles() ? p75 : max;
    }
}
