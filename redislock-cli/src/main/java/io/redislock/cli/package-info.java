/**
 * The {@code redislock} command line: {@code run} executes a command while holding a lock (like
 * {@code flock(1)} for Redis), {@code status}, {@code list} and {@code release} inspect and administer
 * locks, and {@code demo} shows lost updates without a lock and none with one, on redis-server processes
 * it starts itself.
 *
 * <p>{@link io.redislock.cli.Main} is the entry point and the only place that exits the JVM; each
 * subcommand is one class; {@link io.redislock.cli.ExitCodes} maps the core exception hierarchy to the
 * documented exit codes. Results go to stdout, diagnostics to stderr, and Redis passwords are masked in
 * every message ({@link io.redislock.cli.Secrets}).
 */
package io.redislock.cli;
