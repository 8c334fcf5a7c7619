package io.kakehashi.deletion;

import java.io.IOException;

/**
 * Sends a signed deletion receipt to the provider's connector. Implementations are thread-safe.
 */
@FunctionalInterface
public interface ReceiptSender {

    /** The path under the provider's protocol context where receipts are received. */
    String PATH = "/kakehashi/deletion/v1/receipts";

    /**
     * The provider's answer.
     *
     * @param status  its HTTP status
     * @param message the {@code message} of its error answer (at most 200 characters), or empty
     */
    record Answer(int status, String message) {
    }

    /**
     * POSTs {@code {"receipt": "<JWS>"}} to {@code protocolBase + }{@value #PATH}.
     *
     * @throws IOException when the provider cannot be reached
     */
    Answer send(String protocolBase, String receipt) throws IOException;
}
