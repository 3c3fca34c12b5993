package io.redislock.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts fresh real redis-server processes before each test and stops them after it.
 *
 * <p>Test (and {@code @BeforeEach}/{@code @AfterEach}) methods may declare a
 * {@link RedisServer} parameter (the first server) and/or a {@link RedisServers} parameter
 * (all of them). An annotation on the method overrides the one on the class.
 *
 * <pre>{@code
 * @WithRedis(servers = 3)
 * class RedlockTest {
 *     @Test
 *     void acquires(RedisServers redis) { ... }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(RedisExtension.class)
public @interface WithRedis {

    /**
     * Number of independent servers to start.
     *
     * @return at least 1
     */
    int servers() default 1;

    /**
     * Extra redis-server arguments for every server, e.g. {@code {"--requirepass", "secret"}}.
     *
     * @return the arguments
     */
    String[] args() default {};
}
