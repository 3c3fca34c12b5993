package io.redislock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Argument handling in-process: none of these reach Redis. */
@Timeout(30)
class UsageTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.execute(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void topLevelHelpPrintsTheExitCodeTable() {
        assertThat(run("--help")).isZero();
        assertThat(stdout()).contains("Exit codes:", "64", "69", "74", "75", "127", "REDISLOCK_REDIS",
                "REDISLOCK_PASSWORD", "run", "status", "list", "release", "demo");
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "status", "list", "release", "demo"})
    void everySubcommandHasHelp(String command) {
        assertThat(run(command, "--help")).isZero();
        assertThat(stdout()).contains("Usage: redislock " + command);
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "status", "list", "release", "demo"})
    void helpFormatsCleanlyWithoutWarnings(String command) {
        PrintStream systemErr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8)); // picocli's own warnings go there
        try {
            assertThat(run(command, "--help")).isZero();
        } finally {
            System.setErr(systemErr);
        }
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(stderr()).isEmpty();
        assertThat(stdout()).doesNotContain("%%");
    }

    @Test
    void helpCommandPrintsTopLevelHelp() {
        assertThat(run("help")).isZero();
        assertThat(stdout()).contains("Usage: redislock", "Exit codes:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "status", "list", "release", "demo"})
    void helpCommandPrintsTheHelpOfASubcommand(String command) {
        assertThat(run("help", command)).isZero();
        assertThat(stdout()).contains("Usage: redislock " + command);
    }

    @Test
    void helpOfAnUnknownCommandIsAUsageError() {
        assertThat(run("help", "bogus")).isEqualTo(64);
        assertThat(stderr()).contains("bogus");
    }

    @Test
    void versionIsPrinted() {
        assertThat(run("--version")).isZero();
        assertThat(stdout()).startsWith("redislock ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "status", "list", "release", "demo"})
    void everySubcommandPrintsTheVersion(String command) {
        assertThat(run(command, "--version")).isZero();
        assertThat(stdout()).startsWith("redislock ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "--help", "help"})
    void exits74WhenStdoutCannotBeWritten(String arg) {
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        int code = Main.execute(new String[] {arg}, Map.of(), new PrintStream(full, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(74);
        assertThat(stderr()).contains("could not write the results to standard output");
    }

    @Test
    void anEmptyRedisOptionIsAUsageErrorNotTheDefault() {
        assertThat(run("status", "--redis", "", "--name", "x")).isEqualTo(64);
        assertThat(stderr()).contains("--redis must not be empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis://:pw4sure@127.0.0.1:notaport", "redis://:pw4sure@127.0.0.1:99999",
        "redis://:pw4s/ure@127.0.0.1:6379", "redis://:pw4s@ure@127.0.0.1:6379", "redis://:pw4s ure@127.0.0.1:6379",
        "redis://:pw4sure@127.0.0.1:0"})
    void aMalformedHostOrPortIsAUsageErrorAndThePasswordIsMasked(String uri) {
        assertThat(run("status", "--redis", uri, "--name", "x")).isEqualTo(64);
        assertThat(stderr()).contains("--redis").doesNotContain("pw4s");
    }

    @Test
    void noSubcommandIsAUsageError() {
        assertThat(run()).isEqualTo(64);
        assertThat(stderr()).contains("missing command");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(run("run", "--bogus", "--name", "x", "--", "true")).isEqualTo(64);
        assertThat(stderr()).contains("--bogus").contains("Usage: redislock run");
    }

    @Test
    void missingNameIsAUsageError() {
        assertThat(run("run", "--", "true")).isEqualTo(64);
        assertThat(stderr()).contains("--name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--lease=abc", "--lease=-1s", "--lease=0s", "--wait=-1s", "--wait=abc", "--kill-grace=0",
        "--kill-grace=x", "--lease=50ms"})
    void badDurationsAreUsageErrorsNamingTheOption(String option) {
        assertThat(run("run", "--name", "x", option, "--", "true")).isEqualTo(64);
        assertThat(stderr()).contains(option.substring(0, option.indexOf('=')));
    }

    @Test
    void anOverLongLeaseIsAUsageErrorWordedForTheCommandLine() {
        assertThat(run("run", "--name", "x", "--lease", "1000000h", "--", "true")).isEqualTo(64);
        assertThat(stderr()).contains("--lease must be at most 36500 days").doesNotContain("AcquireMode");
    }

    @Test
    void negativeDurationAsSeparateArgumentIsRejected() {
        assertThat(run("run", "--name", "x", "--lease", "-1s", "--", "true")).isEqualTo(64);
        assertThat(stderr()).contains("--lease");
    }

    @Test
    void missingCommandIsAUsageError() {
        assertThat(run("run", "--name", "x")).isEqualTo(64);
        assertThat(stderr()).contains("CMD");
    }

    @Test
    void invalidNameIsAUsageError() {
        assertThat(run("run", "--redis", "redis://127.0.0.1:1", "--name", "a b", "--", "true")).isEqualTo(64);
        assertThat(stderr()).contains("--name");
    }

    @Test
    void malformedRedisUriIsAUsageErrorAndItsPasswordIsMasked() {
        assertThat(run("status", "--redis", "http://:topsecret@h:1", "--name", "x")).isEqualTo(64);
        assertThat(stderr()).contains("--redis").doesNotContain("topsecret");
    }

    @Test
    void releaseWithoutForceIsAUsageError() {
        assertThat(run("release", "--redis", "redis://127.0.0.1:1", "--name", "x")).isEqualTo(64);
        assertThat(stderr()).contains("--force");
    }

    @Test
    void demoRejectsOutOfRangeArguments() {
        assertThat(run("demo", "--workers", "0")).isEqualTo(64);
        assertThat(run("demo", "--seconds", "1")).isEqualTo(64);
        assertThat(run("demo", "--workers", "x")).isEqualTo(64);
    }

    @Test
    void optionsAfterTheCommandBelongToTheCommand() {
        // without "--": the first positional argument ends redislock's options
        assertThat(run("run", "--name", "x", "--lease", "abc", "sh", "-c", "true")).isEqualTo(64);
        assertThat(stderr()).contains("--lease").doesNotContain("Unknown option: '-c'");
    }
}
