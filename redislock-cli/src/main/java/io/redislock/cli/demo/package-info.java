/**
 * The pieces of {@code redislock demo}: a minimal RESP client for the demo's protected resource (the
 * "stock" counter, kept apart from the lock library's own connections), the worker harness that runs
 * read-modify-write increments for a fixed time, the fencing-token scenario, the progress bar and the
 * final report. Internal to the CLI; no compatibility promise.
 */
package io.redislock.cli.demo;
