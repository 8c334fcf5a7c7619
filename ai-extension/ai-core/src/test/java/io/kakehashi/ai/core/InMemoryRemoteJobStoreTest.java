package io.kakehashi.ai.core;

import io.kakehashi.ai.spi.RemoteJobStore;
import io.kakehashi.ai.spi.RemoteJobStoreTestBase;

class InMemoryRemoteJobStoreTest extends RemoteJobStoreTestBase {

    private final InMemoryRemoteJobStore store = new InMemoryRemoteJobStore();

    @Override
    protected RemoteJobStore store() {
        return store;
    }
}
