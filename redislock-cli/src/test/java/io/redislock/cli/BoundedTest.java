package io.redislock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redislock.LockUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BoundedTest {
    /** A call that completes just before it is cancelled: the race between a grant and a signal. */
    private static CompletableFuture<String> completingAsItIsCancelled() {
        return new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                complete("granted");
                return super.cancel(mayInterruptIfRunning);
            }
        };
    }

    @Test
    void aResultThatArrivesAsTheWaitIsInterruptedIsGivenBack() {
        List<String> givenBack = new ArrayList<>();
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> Bounded.get(completingAsItIsCancelled(), Duration.ofSeconds(5), "acquiring", givenBack::add))
                .isInstanceOf(InterruptedException.class);
        assertThat(givenBack).containsExactly("granted");
    }

    @Test
    void aResultThatArrivesAsTheBoundPassesIsGivenBack() {
        List<String> givenBack = new ArrayList<>();
        assertThatThrownBy(() -> Bounded.get(completingAsItIsCancelled(), Duration.ofMillis(1), "acquiring", givenBack::add))
                .isInstanceOf(LockUnavailableException.class)
                .hasMessageContaining("acquiring did not complete within");
        assertThat(givenBack).containsExactly("granted");
    }

    @Test
    void aCallCancelledInTimeGivesNothingBack() {
        List<String> givenBack = new ArrayList<>();
        CompletableFuture<String> pending = new CompletableFuture<>();
        assertThatThrownBy(() -> Bounded.get(pending, Duration.ofMillis(1), "acquiring", givenBack::add))
                .isInstanceOf(LockUnavailableException.class);
        assertThat(pending).isCancelled();
        assertThat(givenBack).isEmpty();
    }
}
