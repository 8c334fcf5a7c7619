package io.kakehashi.deletion;

import java.time.Instant;
import java.util.Objects;

/**
 * A deletion receipt one side keeps: the consumer keeps the receipt it signed and whether the provider confirmed it;
 * the provider keeps the receipt it verified. Immutable and thread-safe.
 *
 * @param role                which side this connector is
 * @param agreementId         this connector's id of the agreement
 * @param protocolAgreementId the agreement's id in the protocol
 * @param counterpartyId      the other side's participant id
 * @param assetId             the provider's asset
 * @param receipt             the receipt's compact JWS
 * @param receiptSha256       its SHA-256, hex
 * @param deletedAt           when the consumer deleted
 * @param recordedAt          when this record was written
 * @param delivery            at the consumer, what became of sending the receipt; at the provider {@link Delivery#KEPT}
 * @param detail              why a delivery is {@code REFUSED} or {@code PENDING} (the peer's answer), else null
 */
public record DeletionRecord(Role role, String agreementId, String protocolAgreementId, String counterpartyId, String assetId, String receipt,
                             String receiptSha256, Instant deletedAt, Instant recordedAt, Delivery delivery, String detail) {

    public enum Role { CONSUMER, PROVIDER }

    public enum Delivery {
        /** Not yet delivered: the provider could not be reached or answered 5xx; sent again at the next check. */
        PENDING,
        /** The provider's connector verified and kept the receipt. */
        CONFIRMED,
        /** The provider's connector has no receipt endpoint (it answered 404): the deletion stays unconfirmed. */
        NOT_CONFIRMING,
        /** The provider's connector refused the receipt (a 4xx other than 404), with its reason in {@code detail}. */
        REFUSED,
        /** At the provider: the receipt was verified and kept. */
        KEPT
    }

    public DeletionRecord {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(agreementId, "agreementId");
        Objects.requireNonNull(receipt, "receipt");
        Objects.requireNonNull(delivery, "delivery");
    }

    public DeletionRecord withDelivery(Delivery delivery, String detail, Instant at) {
        return new DeletionRecord(role, agreementId, protocolAgreementId, counterpartyId, assetId, receipt, receiptSha256, deletedAt, at, delivery, detail);
    }
}
