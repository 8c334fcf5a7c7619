package io.kakehashi.consent.withdrawal;

import java.io.IOException;

/**
 * Sends a signed withdrawal notice to a consumer's connector. Implementations are thread-safe.
 */
@FunctionalInterface
public interface NoticeSender {

    /**
     * The consumer's answer.
     *
     * @param status  its HTTP status
     * @param receipt the signed deletion receipt of a 200 answer, else null
     * @param message the {@code message} of an error answer (at most 200 characters), or empty
     */
    record Answer(int status, String receipt, String message) {
    }

    /**
     * POSTs {@code {"notice": "<JWS>"}} to {@code protocolBase + }{@link WithdrawalController#PATH}.
     *
     * @throws IOException when the consumer cannot be reached
     */
    Answer send(String protocolBase, String notice) throws IOException;
}
