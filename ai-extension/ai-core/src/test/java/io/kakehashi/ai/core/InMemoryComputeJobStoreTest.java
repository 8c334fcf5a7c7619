package io.kakehashi.ai.core;

import io.kakehashi.ai.spi.ComputeJobStore;
import io.kakehashi.ai.spi.ComputeJobStoreTestBase;

class InMemoryComputeJobStoreTest extends ComputeJobStoreTestBase {

    private final InMemoryComputeJobStore store = new InMemoryComputeJobStore();

    @Override
    protected ComputeJobStore store() {
        return store;
    }
}
