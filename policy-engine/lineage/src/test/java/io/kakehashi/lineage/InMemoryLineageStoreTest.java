package io.kakehashi.lineage;

class InMemoryLineageStoreTest extends LineageStoreTestBase {

    private final InMemoryLineageStore store = new InMemoryLineageStore();

    @Override
    protected LineageStore store() {
        return store;
    }
}
