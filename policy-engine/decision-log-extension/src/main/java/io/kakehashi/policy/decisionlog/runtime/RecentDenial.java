package io.kakehashi.policy.decisionlog.runtime;

import java.util.Optional;

/**
 * The disclosed message of the last denial decided on the current thread, so that the protocol layer can add it to
 * the error it sends back when EDC's own message is generic (a refused transfer says only "agreement not found or
 * not valid"). EDC's DSP endpoints handle a request on one thread from filter to response, so a thread-local is
 * scoped to exactly one request once the request filter has cleared it. Thread-safe (per thread).
 */
final class RecentDenial {

    private final ThreadLocal<String> message = new ThreadLocal<>();

    void remember(String disclosed) {
        message.set(disclosed);
    }

    /** Returns the message remembered on this thread, if any, and forgets it. */
    Optional<String> take() {
        var value = message.get();
        message.remove();
        return Optional.ofNullable(value);
    }

    void clear() {
        message.remove();
    }
}
