package io.redislock;

/** The lock contract on five independent Redis masters (Redlock). */
class RedlockFiveNodesIT extends LockContractIT {
    @Override
    int nodes() {
        return 5;
    }
}
