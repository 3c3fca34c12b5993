package io.redislock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redislock.internal.PatientWait;
import io.redislock.testing.RedisServer;
import io.redislock.testing.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@link Lock} adapter's edges: nested calls after a lost lease, pending interrupts, one queue place. */
@WithRedis
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JavaLockAdapterIT {

    @Test
    void aNestedLockOfAThreadWhoseLeaseWasLostFailsInsteadOfCounting(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(redis.uri())) {
            Lock lock = c.lock("juc-nested-lost").asJavaLock();
            lock.lock();
            Lease lease = ((io.redislock.juc.RedisJavaLock) lock).currentLease();
            redis.command("DEL", "juc-nested-lost"); // lost behind its back; found at the next renewal
            lease.extendAsync(Duration.ofSeconds(30)).exceptionally(e -> null).get(5, TimeUnit.SECONDS);
            assertThat(lease.isHeld()).isFalse();
            assertThatThrownBy(lock::lock).isInstanceOf(LockLostException.class);
            assertThatThrownBy(lock::tryLock).isInstanceOf(LockLostException.class);
            assertThatThrownBy(() -> lock.tryLock(1, TimeUnit.SECONDS)).isInstanceOf(LockLostException.class);
            assertThatThrownBy(lock::lockInterruptibly).isInstanceOf(LockLostException.class);
            // the outer hold is still this thread's to unlock, and says the lease was lost
            assertThatThrownBy(lock::unlock).isInstanceOf(LockLostException.class);
            assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
        }
    }

    @Test
    void aPendingInterruptEndsNestedInterruptibleCallsAsWithReentrantLock(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(redis.uri())) {
            Lock lock = c.lock("juc-interrupt").asJavaLock();
            lock.lock();
            try {
                Thread.currentThread().interrupt();
                assertThatThrownBy(lock::lockInterruptibly).isInstanceOf(InterruptedException.class);
                Thread.currentThread().interrupt();
                assertThatThrownBy(() -> lock.tryLock(1, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
                assertThat(Thread.interrupted()).as("the flag is cleared by the throw").isFalse();
            } finally {
                lock.unlock();
            }
            assertThat(redis.command("EXISTS", "juc-interrupt")).as("one hold, released").isEqualTo(0L);
        }
    }

    @Test
    void aPatientWaitKeepsOneQueuePlaceWhileTheLockIsHeldLongerThanItsUnreachableLimit(RedisServer redis)
            throws Exception {
        try (LockClient holder = LockClient.create(redis.uri()); LockClient waiter = LockClient.create(redis.uri())) {
            LockOptions o = LockOptions.builder().lease(Duration.ofSeconds(10)).build();
            Lease held = holder.lock("juc-patient", o).acquire(Duration.ofSeconds(5));
            PatientWait patient = (PatientWait) waiter.lock("juc-patient", o);
            CompletableFuture<Lease> got = CompletableFuture.supplyAsync(() -> {
                try {
                    return patient.acquireWhileReachable(Duration.ofMillis(300), true);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> queue(redis).size() == 1);
            Object member = queue(redis).get(0);
            Thread.sleep(1_500); // several times the limit, and past a safety-net retry (0.5-1 s)
            assertThat(got).isNotDone();
            assertThat(queue(redis)).as("the same entry, not a new one at the tail").containsExactly(member);
            held.release();
            try (Lease mine = got.get(10, TimeUnit.SECONDS)) {
                assertThat(mine.isHeld()).isTrue();
            }
        }
    }

    @Test
    void aPatientWaitEndsOnceRedisWasUnreachableForItsLimit(RedisServer redis) throws Exception {
        try (LockClient c = LockClient.create(LockClientOptions.builder().uris(redis.uri())
                .commandTimeout(Duration.ofMillis(300)).build())) {
            PatientWait patient = (PatientWait) c.lock("juc-unreachable");
            redis.kill();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> patient.acquireWhileReachable(Duration.ofSeconds(1), false))
                    .isInstanceOf(LockUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> queue(RedisServer redis) {
        return (List<Object>) redis.command("ZRANGE", "{juc-patient}:waiters", "0", "-1");
    }
}
