package io.redislock.testing;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension behind {@link WithRedis}: starts servers before each test, injects
 * {@link RedisServer}/{@link RedisServers} parameters and stops the servers after each test,
 * whether it passed or not. Without any {@code @WithRedis} it starts one default server.
 */
public final class RedisExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(RedisExtension.class);
    private static final String KEY = "servers";
    private static final int MAX_ENCLOSING_DEPTH = 32;

    /** Creates the extension (JUnit does this). */
    public RedisExtension() {
    }

    /** Starts the servers configured for this test. */
    @Override
    public void beforeEach(ExtensionContext context) {
        WithRedis config = findConfig(context).orElse(null);
        int count = config == null ? 1 : config.servers();
        String[] args = config == null ? new String[0] : config.args();
        RedisServers servers = RedisServers.start(count, args);
        context.getStore(NAMESPACE).put(KEY, servers);
    }

    /** Stops this test's servers. */
    @Override
    public void afterEach(ExtensionContext context) {
        RedisServers servers = context.getStore(NAMESPACE).remove(KEY, RedisServers.class);
        if (servers != null) {
            servers.close();
        }
    }

    /** Supports {@link RedisServer} and {@link RedisServers} parameters of instance methods. */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return (type == RedisServer.class || type == RedisServers.class)
                && parameterContext.getDeclaringExecutable() instanceof Method method
                && !Modifier.isStatic(method.getModifiers());
    }

    /** Returns the first server or all servers of the current test. */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        RedisServers servers = extensionContext.getStore(NAMESPACE).get(KEY, RedisServers.class);
        if (servers == null) {
            throw new ParameterResolutionException("No redis servers for "
                    + parameterContext.getDeclaringExecutable()
                    + ": they exist only around each test (test, @BeforeEach and @AfterEach methods)");
        }
        return parameterContext.getParameter().getType() == RedisServer.class ? servers.get(0) : servers;
    }

    private static Optional<WithRedis> findConfig(ExtensionContext context) {
        Optional<WithRedis> onMethod = context.getTestMethod().flatMap(m -> find(m));
        if (onMethod.isPresent()) {
            return onMethod;
        }
        Class<?> type = context.getTestClass().orElse(null);
        for (int depth = 0; type != null && depth < MAX_ENCLOSING_DEPTH; depth++) {
            Optional<WithRedis> onType = find(type);
            if (onType.isPresent()) {
                return onType;
            }
            type = type.getEnclosingClass();
        }
        return Optional.empty();
    }

    private static Optional<WithRedis> find(AnnotatedElement element) {
        return AnnotationSupport.findAnnotation(element, WithRedis.class);
    }
}
