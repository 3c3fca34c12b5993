package io.redislock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SignalWitnessTest {
    private static final int SIGINT = 2;
    private static final int SIGTERM = 15;

    @Test
    void aSignalTheWitnessDidNotGetCameToThisProcessAlone() throws Exception {
        try (SignalWitness w = SignalWitness.start()) {
            awaitWitness(w);
            assertThat(w.reachedGroup(SIGINT)).hasValue(false);
            assertThat(w.reachedGroup(SIGTERM)).hasValue(false);
        }
    }

    @Test
    void aSignalTheWitnessDiedOfReachedTheGroupAndANewWitnessTakesItsPlace() throws Exception {
        try (SignalWitness w = SignalWitness.start()) {
            long first = awaitWitness(w);
            kill("INT", first); // as a Ctrl-C would: to every process of the group, the witness too
            assertThat(w.reachedGroup(SIGINT)).hasValue(true);
            assertThat(w.groupSignalRecently()).isTrue();
            long second = awaitWitness(w);
            assertThat(second).isNotEqualTo(first);
            assertThat(w.reachedGroup(SIGINT)).as("the next signal is told apart again").hasValue(false);
        }
    }

    @Test
    void aWitnessStartedJustNowCannotTellYet() throws Exception {
        try (SignalWitness w = SignalWitness.start()) {
            assertThat(w.reachedGroup(SIGINT)).isEmpty(); // none yet, or one that may postdate the signal
            assertThat(w.groupSignalRecently()).isFalse();
        }
    }

    @Test
    void aWitnessThatDiedOfAnotherSignalTellsNothingAndIsReplaced() throws Exception {
        try (SignalWitness w = SignalWitness.start()) {
            long first = awaitWitness(w);
            kill("TERM", first);
            ProcessHandle.of(first).ifPresent(h -> h.onExit().orTimeout(10, TimeUnit.SECONDS).join());
            assertThat(w.reachedGroup(SIGINT)).isEmpty();
            assertThat(awaitWitness(w)).isNotEqualTo(first);
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
