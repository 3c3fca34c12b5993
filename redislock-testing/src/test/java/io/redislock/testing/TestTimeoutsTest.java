package io.redislock.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TestTimeoutsTest {

    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(TestTimeouts.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(TestTimeouts.PROPERTY);
        } else {
            System.setProperty(TestTimeouts.PROPERTY, saved);
        }
    }

    @Test
    void defaultsToOne() {
        System.clearProperty(TestTimeouts.PROPERTY);
        assertThat(TestTimeouts.factor()).isEqualTo(1.0);
        assertThat(TestTimeouts.scaled(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void scalesByTheProperty() {
        System.setProperty(TestTimeouts.PROPERTY, "2.5");
        assertThat(TestTimeouts.factor()).isEqualTo(2.5);
        assertThat(TestTimeouts.scaled(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void rejectsNonPositiveOrGarbage() {
        System.setProperty(TestTimeouts.PROPERTY, "0");
        assertThatThrownBy(TestTimeouts::factor).isInstanceOf(IllegalStateException.class);
        System.setProperty(TestTimeouts.PROPERTY, "-1");
        assertThatThrownBy(TestTimeouts::factor).isInstanceOf(IllegalStateException.class);
        System.setProperty(TestTimeouts.PROPERTY, "fast");
        assertThatThrownBy(TestTimeouts::factor).isInstanceOf(IllegalStateException.class);
    }
}
