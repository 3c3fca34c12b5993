package io.redislock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class JsonTest {
    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertThat(Json.quote("a\"b\\c\nd\te\u0001\u2028")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\\u2028\"");
    }

    @Test
    void buildsObjectsAndArrays() {
        String o = Json.object().field("name", "x").field("held", true).field("n", 3L).field("ttl", (Long) null)
                .field("holder", (String) null).end();
        assertThat(o).isEqualTo("{\"name\":\"x\",\"held\":true,\"n\":3,\"ttl\":null,\"holder\":null}");
        assertThat(Json.array(List.of("1", "{}"))).isEqualTo("[1,{}]");
        assertThat(Json.array(List.of())).isEqualTo("[]");
    }
}
