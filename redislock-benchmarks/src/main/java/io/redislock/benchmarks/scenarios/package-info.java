/**
 * The four scenarios: uncontended single-thread, contended with separate clients, many keys through the
 * async API, and Redlock over five nodes. Each returns a {@link io.redislock.benchmarks.report.Section}
 * with its table, the targets it evaluates and its chart bars.
 */
package io.redislock.benchmarks.scenarios;
