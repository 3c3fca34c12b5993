package io.redislock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import io.redislock.LockUnavailableException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RedisRepliesTest {
    private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    @Test
    void describesAnErrorReplyWithTheServerAndWithoutTheScriptLocation() {
        LockUnavailableException e = new LockUnavailableException("could not try lock 'h': Redis at "
                + "redis://127.0.0.1:6379 did not answer (...); check that it is running and reachable",
                new RedisCommandExecutionException(WRONGTYPE
                        + " script: f3f344e2d6d32b30a53b563268e72f527a2ac3b4, on @user_script:73."));
        assertThat(RedisReplies.describe(e, List.of("redis://:pw@127.0.0.1:6379")))
                .contains("could not try lock 'h': Redis at 127.0.0.1:6379 replied with an error: " + WRONGTYPE);
        assertThat(ExitCodes.of(e)).isEqualTo(69);
        // Redis 6.2 puts the location first
        assertThat(RedisReplies.find(new RedisCommandExecutionException("ERR Error running script (call to"
                + " f_f3f344e2d6d32b30a53b563268e72f527a2ac3b4): @user_script:73: " + WRONGTYPE))).contains(WRONGTYPE);
        // ... and, for a command the script called, the call's location too
        assertThat(RedisReplies.find(new RedisCommandExecutionException("ERR Error running script (call to"
                + " f_f3f344e2d6d32b30a53b563268e72f527a2ac3b4): @user_script:1: @user_script: 1: -READONLY You can't"
                + " write against a read only replica."))).contains("READONLY You can't write against a read only replica.");
        // an unknown command's arguments (script SHA, keys, owner token) are left out
        assertThat(RedisReplies.find(new RedisCommandExecutionException("ERR unknown command 'EVALSHA', with args"
                + " beginning with: '3b9c' '3' 'job' "))).contains("ERR unknown command 'EVALSHA'");
    }

    @Test
    void findsAReplyAmongSuppressedFailuresAndNamesNoServerUnderRedlock() {
        LockUnavailableException e = new LockUnavailableException("could not read lock 'h': only 0 of 3 Redis nodes "
                + "answered", null);
        e.addSuppressed(new RedisCommandExecutionException("ERR user_script:1: boom"));
        assertThat(RedisReplies.describe(e, List.of("redis://a:1", "redis://b:2", "redis://c:3")))
                .contains("could not read lock 'h': only 0 of 3 Redis nodes answered; a Redis node replied with an error: "
                        + "ERR user_script:1: boom");
    }

    @Test
    void anErrorReplyMapsTo69WhateverExceptionCarriesIt() {
        assertThat(ExitCodes.of(new IllegalStateException(new RedisCommandExecutionException(WRONGTYPE))))
                .isEqualTo(69);
    }

    @Test
    void leavesRefusedCredentialsAndOtherFailuresToTheirOwnMessages() {
        LockUnavailableException auth = new LockUnavailableException("could not read lock 'h': Redis at x refused the "
                + "credentials", new RedisCommandExecutionException("WRONGPASS invalid username-password pair"));
        assertThat(RedisReplies.describe(auth, List.of("redis://127.0.0.1:6379"))).isEmpty();
        assertThat(RedisReplies.describe(new LockUnavailableException("down", new java.io.IOException("refused")),
                List.of("redis://127.0.0.1:6379"))).isEmpty();
    }
}
