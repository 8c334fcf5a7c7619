package io.kakehashi.policy.decisionlog.runtime;

/**
 * Where {@link PublicLogController} hands {@code /decision-log/v1/receipts} to: the {@link ReceiptController}, or
 * nothing (404) when receipts are off. One root resource serves the whole public path, so that Jersey never has two
 * root resources to choose from for it. Thread-safe.
 */
public final class ReceiptEndpoint {

    private final ReceiptController controller;

    ReceiptEndpoint(ReceiptController controller) {
        this.controller = controller;
    }

    /**
     * No receipts taken.
     */
    static ReceiptEndpoint none() {
        return new ReceiptEndpoint(null);
    }

    ReceiptController controller() {
        return controller;
    }
}
