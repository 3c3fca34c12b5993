package io.redislock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SignalWitnessTest {
    // SIGHUP and SIGTERM: a test JVM may have been started with SIGINT ignored (a script's background job),
    // and its children inherit that
    private static final int SIGHUP = 1;
    private static final int SIGINT = 2;
    private static final int SIGTERM = 15;

    @Test
    void aSignalTheWitnessDidNotGetCameToThisProcessAlone() throws Exception {
        try (SignalWitness w = SignalWitness.start()) {
            awaitWitness(w);
            assertThat(w.reachedGroup(SIGINT, System.nanoTime())).hasValue(false);
            assertThat(w.reachedGroup(SIGTERM, System.nanoTime())).hasValue(false);
        }
    }

    @Test
    void aSignalTheWitnessDiedOfReachedTheGroupAndANewWitnessTakesItsPlace() throws Exception {
        try (SignalWitness w = SignalWitness.start()) {
            long first = awaitWitness(w);
            kill("HUP", first); // as a hangup would: to every process of the group, the witness too
            assertThat(w.reachedGroup(SIGHUP, System.nanoTime())).hasValue(true);
            // while it is replaced: a second SIGHUP counts as sent to the group too; a SIGTERM cannot be told
            if (w.pid().isEmpty()) {
                assertThat(w.reachedGroup(SIGHUP, System.nanoTime())).hasValue(true);
                assertThat(w.reachedGroup(SIGTERM, System.nanoTime())).isEmpty();
            }
            long second = awaitWitness(w);
            assertThat(second).isNotEqualTo(first);
            assertThat(w.reachedGroup(SIGHUP, System.nanoTime())).as("the next signal is told apart again").hasValue(false);
        }
    }

    @Test
    void aWitnessStartedJustNowCannotTellYet() throws Exception {
        try (SignalWitness w = SignalWitness.start()) {
            assertThat(w.reachedGroup(SIGINT, System.nanoTime())).isEmpty(); // none yet, or one that may postdate the signal
        }
    }

    @Test
    void aWitnessKilledByAnythingElseIsReplacedAtOnceAndNotTakenLaterForASignalToTheGroup() throws Exception {
        try (SignalWitness w = SignalWitness.start()) {
            long first = awaitWitness(w);
            kill("TERM", first); // e.g. someone's pkill -x cat
            long second = first;
            for (int i = 0; i < 500 && second == first; i++) { // bounded: 10 s
                TimeUnit.MILLISECONDS.sleep(20);
                second = w.pid().orElse(first);
            }
            assertThat(second).as("replaced without waiting for a signal").isNotEqualTo(first);
            awaitWitness(w);
            assertThat(w.reachedGroup(SIGTERM, System.nanoTime())).as("a later SIGTERM to this process alone").hasValue(false);
        }
    }

    @Test
    void threadsThatFindTheWitnessDeadAtOnceStartOneReplacement() throws Exception {
        try (SignalWitness w = SignalWitness.start()) {
            long first = awaitWitness(w);
            kill("HUP", first);
            ProcessHandle.of(first).ifPresent(h -> h.onExit().orTimeout(10, TimeUnit.SECONDS).join());
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                java.util.List<java.util.concurrent.Future<?>> calls = new java.util.ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    calls.add(pool.submit(() -> w.reachedGroup(SIGHUP, System.nanoTime())));
                }
                for (java.util.concurrent.Future<?> f : calls) {
                    f.get(10, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            awaitWitness(w);
            TimeUnit.MILLISECONDS.sleep(200); // a second start would have ended by now
            assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().command().orElse("").endsWith("/cat")).count()).isEqualTo(1);
        }
    }

    @Test
    void closingStopsTheWitness() throws Exception {
        SignalWitness w = SignalWitness.start();
        long pid = awaitWitness(w);
        w.close();
        ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(w.pid()).isEmpty();
    }

    private static long awaitWitness(SignalWitness w) throws InterruptedException {
        for (int i = 0; i < 500; i++) { // bounded: 10 s
            OptionalLong pid = w.pid();
            if (pid.isPresent()) {
                TimeUnit.MILLISECONDS.sleep(150); // a witness just started cannot tell yet
                return pid.getAsLong();
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new AssertionError("no witness started within 10 s");
    }

    private static void kill(String signal, long pid) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(k.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(k.exitValue()).isZero();
    }
}
