package io.kakehashi.transfer.spi;

/**
 * One bulk push to a peer's sink ({@link BulkPushes#push}). {@link #run()} is called once; {@link #stop} may be called
 * from another thread at any time. Thread-safe.
 */
public interface OutboundPush {

    /** Sends the whole source, resuming after broken calls as its {@link PushRetry} allows, and answers how it ended. */
    PushOutcome run();

    /** Stops the push: the running call is cancelled with {@code reason}, and no further call is made. */
    void stop(String reason);
}
