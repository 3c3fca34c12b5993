package io.redislock.benchmarks.report;

/**
 * One bar of the summary chart: a library's speed in one scenario relative to that scenario's floor
 * (1.0 = the floor; higher is better).
 *
 * @param group the scenario label
 * @param series the library label
 * @param value the ratio to the floor
 *
 * <p>Thread-safety: immutable.
 */
public record ChartBar(String group, String series, double value) {}
