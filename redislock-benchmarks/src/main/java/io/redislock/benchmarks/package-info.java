/**
 * The benchmark harness of redislock (never deployed; nothing depends on it). {@link
 * io.redislock.benchmarks.BenchmarkMain} starts its own redis-server processes, runs the four scenarios of
 * issue 5 against a raw Lettuce floor, Redisson and Spring Integration's {@code RedisLockRegistry}, and
 * writes a markdown report and a chart. Libraries are interleaved in short blocks shuffled per round, and
 * every comparison is a ratio paired within a round, because absolute numbers on a small shared machine
 * are noise. This package holds the statistics and measurement helpers.
 */
package io.redislock.benchmarks;
