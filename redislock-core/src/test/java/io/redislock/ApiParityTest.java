package io.redislock;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every blocking operation of the public API has an {@code xAsync} mirror returning a CompletableFuture. */
class ApiParityTest {
    private static final List<String> NOT_BLOCKING = List.of(
            "name", "options", "token", "fencingToken", "isHeld", "remainingValidity", "onLost", "lost",
            "asJavaLock", "lock", "nodeCount", "quorum", "toString", "hashCode", "equals");

    @ParameterizedTest
    @ValueSource(classes = {DistributedLock.class, Lease.class, LockClient.class})
    void everyBlockingMethodHasAnAsyncMirror(Class<?> type) {
        List<Method> methods = Arrays.stream(type.getMethods())
                .filter(m -> m.getDeclaringClass() == type && !Modifier.isStatic(m.getModifiers()))
                .toList();
        for (Method m : methods) {
            String n = m.getName();
            if (n.endsWith("Async") || NOT_BLOCKING.contains(n)) {
                continue;
            }
            String mirror = n.equals("acquire") ? "acquireAsync" : n.equals("close") ? "closeAsync" : n + "Async";
            if (type == Lease.class && n.equals("close")) {
                mirror = "releaseAsync";
            }
            String expected = mirror;
            assertThat(methods)
                    .as("%s.%s needs %s", type.getSimpleName(), n, expected)
                    .anyMatch(a -> a.getName().equals(expected)
                            && CompletableFuture.class.isAssignableFrom(a.getReturnType()));
        }
    }
}
