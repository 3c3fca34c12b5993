package io.redislock.benchmarks;

import java.util.List;

/**
 * Median and spread of a metric over rounds: the interquartile range (nearest-rank 25th and 75th
 * percentiles; with three rounds, the minimum and maximum) and the extremes.
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
        return new Summary(Stats.median(a), Stats.percentile(25, a), Stats.percentile(75, a), Stats.min(a),
                Stats.max(a), a.length);
    }

    /** @return whether there is at least one value */
    public boolean present() {
        return n > 0;
    }
}
