package io.redislock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The deadline never exceeds what the calls that may still be applied in Redis would leave. */
class ExpiryLedgerTest {

    @Test
    void aShorterExtendLowersTheDeadlineFromTheMomentItIsSentAndStaysLowIfItIsNeverAnswered() {
        ExpiryLedger l = new ExpiryLedger(30_000);
        l.sending(1_500);
        assertThat(l.validUntil()).isEqualTo(1_500);
    }

    @Test
    void aLongerExtendRaisesTheDeadlineOnlyOnceConfirmed() {
        ExpiryLedger l = new ExpiryLedger(3_000);
        long seq = l.sending(60_000);
        assertThat(l.validUntil()).isEqualTo(3_000);
        assertThat(l.confirmed(seq)).isTrue();
        assertThat(l.validUntil()).isEqualTo(60_000);
    }

    @Test
    void aConfirmedCallDoesNotLiftTheDeadlineAboveALaterCallThatMayStillBeApplied() {
        ExpiryLedger l = new ExpiryLedger(3_000);
        long longer = l.sending(60_000); // the user's extend
        long renewal = l.sending(4_000); // a renewal sent after it with a shorter lease
        assertThat(l.confirmed(longer)).as("not the latest call").isFalse();
        assertThat(l.validUntil()).isEqualTo(4_000);
        assertThat(l.confirmed(renewal)).isTrue();
        assertThat(l.validUntil()).as("Redis applied the renewal last").isEqualTo(4_000);
    }

    @Test
    void anEarlierCallConfirmedAfterALaterOneChangesNothing() {
        ExpiryLedger l = new ExpiryLedger(3_000);
        long first = l.sending(5_000);
        long second = l.sending(6_000);
        assertThat(l.confirmed(second)).isTrue();
        assertThat(l.confirmed(first)).isFalse();
        assertThat(l.validUntil()).isEqualTo(6_000);
    }

    @Test
    void anUnansweredCallIsForgottenOnceALaterOneIsConfirmed() {
        ExpiryLedger l = new ExpiryLedger(30_000);
        l.sending(1_000); // no answer: it may have been applied
        assertThat(l.validUntil()).isEqualTo(1_000);
        long retry = l.sending(31_000);
        assertThat(l.confirmed(retry)).isTrue();
        assertThat(l.validUntil()).isEqualTo(31_000);
    }
}
