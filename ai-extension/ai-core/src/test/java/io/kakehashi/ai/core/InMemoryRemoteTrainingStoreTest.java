package io.kakehashi.ai.core;

import io.kakehashi.ai.spi.RemoteTrainingStore;
import io.kakehashi.ai.spi.RemoteTrainingStoreTestBase;

class InMemoryRemoteTrainingStoreTest extends RemoteTrainingStoreTestBase {

    private final InMemoryRemoteTrainingStore store = new InMemoryRemoteTrainingStore();

    @Override
    protected RemoteTrainingStore store() {
        return store;
    }
}
