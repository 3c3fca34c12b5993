/**
 * Implementation of redislock: the lock algorithm over one or several Redis nodes, Lettuce access, Lua
 * scripts, the watchdog clock and wake-up routing. Nothing in this package is public API and it may change
 * in any release without notice; use the types in {@code io.redislock} instead.
 */
package io.redislock.internal;
