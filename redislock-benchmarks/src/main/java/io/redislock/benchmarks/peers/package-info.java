/**
 * One {@link io.redislock.benchmarks.peers.Locker} per compared library configuration (redislock, the raw
 * Lettuce floors, Redisson, Spring's registry) and the diagnostic prototypes; each locker owns its
 * clients, as a separate process would.
 */
package io.redislock.benchmarks.peers;
