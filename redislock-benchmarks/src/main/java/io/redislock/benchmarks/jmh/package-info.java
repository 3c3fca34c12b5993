/**
 * JMH benchmarks for single-operation latency, run separately from the harness with
 * {@code ./benchmark --jmh}.
 */
package io.redislock.benchmarks.jmh;
