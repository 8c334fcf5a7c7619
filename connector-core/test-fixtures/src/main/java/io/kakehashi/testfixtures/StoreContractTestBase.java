package io.kakehashi.testfixtures;

/**
 * The base of a store's contract test, which every implementation of the store subclasses: the subclass opens
 * instances, the contract's tests work with one ({@link #store()}), open another as a restarted connector would
 * ({@link #open()}) and ask for a {@link #replica()} to decide at the same moment. Not thread-safe (one test's own).
 *
 * @param <S> the store's interface
 */
public abstract class StoreContractTestBase<S> {

    private S store;

    /** A new instance on what the test works with, as a restarted connector opens it again. */
    protected abstract S open();

    /**
     * Another instance deciding at the same time: another replica on the same database; a store that one process owns
     * answers {@link #store()} itself.
     */
    protected S replica() {
        return open();
    }

    /** The instance the test works with, opened on first use. */
    protected S store() {
        if (store == null) {
            store = open();
        }
        return store;
    }
}
