package io.redislock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SecretsTest {
    @Test
    void masksUserInfoOfUrisAndEveryKnownPasswordAnywhere() {
        Secrets s = Secrets.from(new String[] {"--redis", "redis://user:hunter2%21@h:1,redis://:other-pw@h:2"},
                Map.of(Secrets.PASSWORD_ENV, "env-secret"));
        assertThat(s.mask("failed redis://user:hunter2%21@h:1 and redis://:x@h:3"))
                .isEqualTo("failed redis://***@h:1 and redis://***@h:3");
        assertThat(s.mask("AUTH hunter2! / hunter2%21 / other-pw / env-secret"))
                .isEqualTo("AUTH *** / *** / *** / ***");
        assertThat(s.mask(null)).isEmpty();
    }

    @Test
    void masksAPasswordWrittenAsAQueryParameter() {
        String uri = "redis://127.0.0.1:abc?password=Zq9Secret";
        Secrets s = Secrets.from(new String[] {"status", "--redis", uri, "--name", "a"}, Map.of());
        assertThat(s.mask("--redis: Redis URI port must be a number 1..65535: " + uri)).doesNotContain("Zq9Secret");
        assertThat(io.redislock.internal.Uris.mask(uri)).isEqualTo("redis://127.0.0.1:abc?password=***");
    }

    @Test
    void readsThePasswordOfTheDefaultUriFromTheEnvironment() {
        Secrets s = Secrets.from(new String[0], Map.of(RedisOptions.REDIS_ENV, "redis://:from-env-uri@h:1"));
        assertThat(s.mask("bad password from-env-uri")).isEqualTo("bad password ***");
    }

    @Test
    void masksThePasswordOfAUriMistypedWithoutItsScheme() {
        for (String uri : new String[] {":Zq7Secret@127.0.0.1:1", "redis:/:Zq7Secret@h:1", "redis//:Zq7Secret@h:1"}) {
            Secrets s = Secrets.from(new String[] {"run", "--redis", uri, "--name", "n", "--", "mail", "to@x"},
                    Map.of());
            assertThat(s.mask("Redis URI must start with redis:// or rediss://, was " + uri)).doesNotContain("Zq7Secret");
            Secrets eq = Secrets.from(new String[] {"status", "--redis=" + uri}, Map.of());
            assertThat(eq.mask("bad " + uri)).doesNotContain("Zq7Secret");
        }
        // the command's own arguments are not taken for passwords
        assertThat(Secrets.from(new String[] {"run", "--redis", "redis://h:1", "--", "mail", "root:abc@x"}, Map.of())
                .mask("root:abc@x")).isEqualTo("root:abc@x");
    }

    @Test
    void aPasswordWithCommasIsNotSplitIntoUrisSoNoPieceOfItIsReportedAsAUri() {
        assertThat(RedisOptions.split("redis://:a,b@h:1,redis://h:2")).containsExactly("redis://:a,b@h:1", "redis://h:2");
        assertThat(RedisOptions.split("redis://u:x,yy,zz@h:1")).containsExactly("redis://u:x,yy,zz@h:1");
        assertThat(RedisOptions.split("redis://h:1,,redis://h:2")).containsExactly("redis://h:1", "", "redis://h:2");
        assertThat(RedisOptions.split("redis://h:1,h:2")).containsExactly("redis://h:1", "h:2");
        assertThat(RedisOptions.split(":a,b@h:1")).containsExactly(":a,b@h:1"); // mistyped without its scheme

        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        for (String uri : new String[] {"redis://comma:Zq7,Secret@127.0.0.1:notaport", ":Zq7,Secret@127.0.0.1:1",
            "bob:Zq7,Sec,ret@127.0.0.1:1", "redis//bob:Zq7,Secret@127.0.0.1:1"}) {
            out.reset();
            err.reset();
            int code = Main.execute(new String[] {"status", "--redis", uri, "--name", "n"}, Map.of(),
                    new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));
            assertThat(code).as(uri).isEqualTo(64);
            assertThat(err.toString() + out).as(uri).doesNotContain("Zq7").doesNotContain("Sec");
        }
    }
}
