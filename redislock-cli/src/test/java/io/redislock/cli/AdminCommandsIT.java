package io.redislock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.redislock.testing.RedisServer;
import io.redislock.testing.RedisServers;
import io.redislock.testing.TestTimeouts;
import io.redislock.testing.WithRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code status}, {@code list} and {@code release} as separate processes against a real redis-server. */
@WithRedis
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminCommandsIT {
    private static final String PASSWORD = "s3cret-Pa55word";

    @TempDir
    Path dir;

    @Test
    void statusListAndForcedReleaseOfAHeldLock(RedisServer redis) {
        Path marker = dir.resolve("holding");
        try (CliProcess holder = CliProcess.start("run", "--redis", redis.uri(), "--name", "job-1", "--lease", "1500ms",
                "--", "sh", "-c", "touch " + marker + "; sleep 60")) {
            awaitFile(marker, holder);

            CliProcess.Result status = CliProcess.run("status", "--redis", redis.uri(), "--name", "job-1");
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.stdout()).contains("lock 'job-1' is held").contains("holder:").contains("ttl:");

            CliProcess.Result json = CliProcess.run("status", "--redis", redis.uri(), "--name", "job-1", "--json");
            assertThat(json.exitCode()).as(json.toString()).isZero();
            assertThat(json.stdout().trim()).startsWith("{").endsWith("}")
                    .contains("\"name\":\"job-1\"", "\"held\":true", "\"fencingCounter\":")
                    .containsPattern("\"ttlMillis\":\\d+");

            CliProcess.Result list = CliProcess.run("list", "--redis", redis.uri(), "--pattern", "job-*", "--json");
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.stdout().trim()).startsWith("[").endsWith("]").contains("\"name\":\"job-1\"");
            CliProcess.Result none = CliProcess.run("list", "--redis", redis.uri(), "--pattern", "other-*");
            assertThat(none.stdout()).contains("no locks held");

            CliProcess.Result refused = CliProcess.run("release", "--redis", redis.uri(), "--name", "job-1");
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(64);
            assertThat(refused.stderr()).contains("--force");
            assertThat(redis.command("EXISTS", "job-1")).isEqualTo(1L);

            CliProcess.Result released = CliProcess.run("release", "--redis", redis.uri(), "--name", "job-1", "--force",
                    "--json");
            assertThat(released.exitCode()).as(released.toString()).isZero();
            assertThat(released.stdout()).contains("\"wasHeld\":true");
            assertThat(redis.command("EXISTS", "job-1")).isEqualTo(0L);

            // the holder notices at its next renewal (every 500 ms), stops its command and reports it
            CliProcess.Result held = holder.await(Duration.ofSeconds(30));
            assertThat(held.exitCode()).as(held.toString()).isEqualTo(74);
        }
        CliProcess.Result free = CliProcess.run("status", "--redis", redis.uri(), "--name", "job-1", "--json");
        assertThat(free.stdout()).contains("\"held\":false", "\"holder\":null");
        CliProcess.Result again = CliProcess.run("release", "--redis", redis.uri(), "--name", "job-1", "--force");
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).contains("was not held");
    }

    @Test
    void statusOfAFreeLockExitsZeroAndUnreachableRedisExits69(RedisServer redis) {
        CliProcess.Result free = CliProcess.run(CliProcess.env(RedisOptions.REDIS_ENV, redis.uri()), "status",
                "--name", "never");
        assertThat(free.exitCode()).as(free.toString()).isZero();
        assertThat(free.stdout()).contains("lock 'never' is free");

        redis.kill();
        CliProcess.Result down = CliProcess.run("list", "--redis", redis.uri());
        assertThat(down.exitCode()).as(down.toString()).isEqualTo(69);
    }

    @Test
    void statusAndListExit74WhenStdoutIsAFullDevice(RedisServer redis) throws IOException, InterruptedException {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "needs /dev/full");
        for (String[] args : new String[][] {{"status", "--redis", redis.uri(), "--name", "x"},
            {"status", "--redis", redis.uri(), "--name", "x", "--json"}, {"list", "--redis", redis.uri()},
            {"list", "--redis", redis.uri(), "--json"}}) {
            Path err = dir.resolve("err");
            Process p = new ProcessBuilder(CliProcess.command(args)).redirectOutput(full.toFile())
                    .redirectError(err.toFile()).start();
            try {
                assertThat(p.waitFor(TestTimeouts.scaled(Duration.ofSeconds(60)).toMillis(), TimeUnit.MILLISECONDS))
                        .isTrue();
                assertThat(p.exitValue()).as(String.join(" ", args)).isEqualTo(74);
                assertThat(Files.readString(err)).contains("could not write the results to standard output");
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    @WithRedis(servers = 3)
    void statusShowsALockHeldOnOneOfThreeNodesAsFreeWithoutHolderOrTtl(RedisServers nodes) {
        nodes.get(0).command("SET", "minor", "token-1", "PX", "60000");
        String uris = String.join(",", nodes.uris());

        CliProcess.Result json = CliProcess.run("status", "--redis", uris, "--name", "minor", "--json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(json.stdout()).contains("\"held\":false", "\"holder\":null", "\"ttlMillis\":null",
                "\"nodesHolding\":1", "\"nodesAnswered\":3");

        CliProcess.Result text = CliProcess.run("status", "--redis", uris, "--name", "minor");
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.stdout()).contains("lock 'minor' is free", "(not a majority)").doesNotContain("token-1");
    }

    @Test
    void aRedisErrorReplyIsReportedAsSuchAndExits69(RedisServer redis) {
        redis.command("HSET", "hashed", "field", "value");
        String where = "127.0.0.1:" + redis.port() + " replied with an error: WRONGTYPE";
        for (String[] args : new String[][] {{"run", "--redis", redis.uri(), "--name", "hashed", "--", "true"},
            {"status", "--redis", redis.uri(), "--name", "hashed"},
            {"release", "--redis", redis.uri(), "--name", "hashed", "--force"}}) {
            CliProcess.Result r = CliProcess.run(args);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(69);
            assertThat(r.stderr()).as(r.toString()).contains("lock 'hashed': Redis at ").contains(where)
                    .doesNotContain("did not answer", "reachable", "@user_script");
        }
    }

    @Test
    void listExits69WithTheReplyWhenTheAclHidesAHeldLockInsteadOfSayingNoneIsHeld(RedisServer redis) {
        CliProcess.Result took = CliProcess.run("run", "--redis", redis.uri(), "--name", "hidden", "--", "true");
        assertThat(took.exitCode()).as(took.toString()).isZero();
        redis.command("SET", "hidden", "someone", "PX", "60000"); // held
        redis.command("ACL", "SETUSER", "lister", "on", ">pw", "~other:*", "&*", "+@all");
        CliProcess.Result list = CliProcess.run("list", "--redis", "redis://lister:pw@127.0.0.1:" + redis.port());
        assertThat(list.exitCode()).as(list.toString()).isEqualTo(69);
        assertThat(list.stderr()).contains("NOPERM").doesNotContain(":pw@");
        assertThat(list.stdout()).doesNotContain("no locks held");
    }

    @Test
    void listShowsTheLocksEvenWhenOtherProgramsLeftOddKeysBehind(RedisServer redis) {
        CliProcess.Result held = CliProcess.run("run", "--redis", redis.uri(), "--name", "real", "--", "true");
        assertThat(held.exitCode()).as(held.toString()).isZero();
        redis.command("SET", "real", "someone", "PX", "60000"); // held (by a token of another program)
        redis.command("SET", "ev\nil\u001b[31m", "tok", "PX", "60000"); // a name redislock would refuse
        redis.command("SET", "{ev\nil\u001b[31m}:fence", "5");
        redis.command("HSET", "hashy", "f", "v"); // another type of value under a lock-like name
        redis.command("SET", "{hashy}:fence", "7");
        for (String format : new String[] {"--json", "--pattern=*"}) {
            CliProcess.Result list = CliProcess.run("list", "--redis", redis.uri(), format);
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.stdout()).as(list.toString()).contains("real").doesNotContain("hashy")
                    .doesNotContain("\u001b[31m");
        }
    }

    @Test
    void statusReportsAFencingCounterThatIsNotANumberAsSuchAndExits69(RedisServer redis) {
        redis.command("SET", "{odd}:fence", "notanumber");
        CliProcess.Result status = CliProcess.run("status", "--redis", redis.uri(), "--name", "odd");
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(69);
        assertThat(status.stderr()).contains("fencing counter '{odd}:fence'", "does not hold an integer")
                .doesNotContain("For input string");

        // list leaves out what is not a lock of ours instead of listing nothing
        CliProcess.Result list = CliProcess.run("list", "--redis", redis.uri(), "--json");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.stdout()).doesNotContain("\"odd\"");

        // acquiring replaces a counter that is not a number (by one from the clock); status reads it again
        CliProcess.Result run = CliProcess.run("run", "--redis", redis.uri(), "--name", "odd", "--", "true");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        CliProcess.Result after = CliProcess.run("status", "--redis", redis.uri(), "--name", "odd");
        assertThat(after.exitCode()).as(after.toString()).isZero();
    }

    @Test
    void aMalformedUriFromTheEnvironmentIsReportedAsComingFromTheEnvironmentVariable() {
        CliProcess.Result r = CliProcess.run(CliProcess.env(RedisOptions.REDIS_ENV, "garbage"), "status", "--name", "x");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(64);
        assertThat(r.stderr()).contains("environment variable REDISLOCK_REDIS: ").doesNotContain("--redis:");

        CliProcess.Result flag = CliProcess.run("status", "--redis", "garbage", "--name", "x");
        assertThat(flag.exitCode()).as(flag.toString()).isEqualTo(64);
        assertThat(flag.stderr()).contains("--redis: ");
    }

    @Test
    @WithRedis(args = {"--requirepass", PASSWORD})
    void takesThePasswordFromTheUriOrTheEnvironmentAndNeverPrintsIt(RedisServer redis) {
        String withPassword = "redis://:" + PASSWORD + "@127.0.0.1:" + redis.port();
        CliProcess.Result fromUri = CliProcess.run("status", "--redis", withPassword, "--name", "p", "--json");
        assertThat(fromUri.exitCode()).as(fromUri.toString()).isZero();

        CliProcess.Result fromEnv = CliProcess.run(CliProcess.env(Secrets.PASSWORD_ENV, PASSWORD), "run", "--redis",
                redis.uri(), "--name", "p", "--", "true");
        assertThat(fromEnv.exitCode()).as(fromEnv.toString()).isZero();

        CliProcess.Result badUri = CliProcess.run("status", "--redis", withPassword + ",redis://:" + PASSWORD
                + "@127.0.0.1:" + redis.port(), "--name", "p");
        assertThat(badUri.exitCode()).as(badUri.toString()).isEqualTo(64);
        CliProcess.Result unmatched = CliProcess.run("status", "--name", "p", withPassword);
        assertThat(unmatched.exitCode()).as(unmatched.toString()).isEqualTo(64);
        CliProcess.Result wrong = CliProcess.run(CliProcess.env(Secrets.PASSWORD_ENV, "wrong-" + PASSWORD), "status",
                "--redis", redis.uri(), "--name", "p");
        assertThat(wrong.exitCode()).as(wrong.toString()).isNotZero();

        for (CliProcess.Result r : new CliProcess.Result[] {fromUri, fromEnv, badUri, unmatched, wrong}) {
            assertThat(r.stdout() + r.stderr()).doesNotContain(PASSWORD);
        }
    }

    private static void awaitFile(Path file, CliProcess process) {
        long deadline = System.nanoTime() + TestTimeouts.scaled(Duration.ofSeconds(30)).toNanos();
        for (int i = 0; i < 10_000 && System.nanoTime() - deadline < 0; i++) {
            if (Files.exists(file)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("redislock exited early: " + process.await(Duration.ofSeconds(1)));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(file + " did not appear; stderr so far: " + process.stderrSoFar());
    }
}
