package io.redislock;

/** The lock contract on one Redis: the SET NX PX lease. */
class SingleNodeLockIT extends LockContractIT {
    @Override
    int nodes() {
        return 1;
    }
}
