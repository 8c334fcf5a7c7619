package io.kakehashi.deletion;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a consumer's connector states when it has deleted what it received and derived under an agreement: the
 * agreement (its protocol id, the one both sides share), the asset, both parties, why it deleted (the deadline or the
 * agreement's termination), when, and every item its lineage holds with the SHA-256 recorded when it arrived.
 * Signed, it is the deletion receipt the provider keeps. Immutable and thread-safe.
 *
 * @param agreementId the agreement's id in the protocol
 * @param assetId     the provider's asset
 * @param providerId  the provider's participant id (DID)
 * @param consumerId  the consumer's participant id (DID), whose key signs the receipt
 * @param cause       {@link #DEADLINE} or {@link #TERMINATION}
 * @param deadline    the deletion deadline the agreement set
 * @param deletedAt   when the consumer's connector deleted the items
 * @param items       what was deleted, in lineage order
 */
public record DeletionReceipt(String agreementId, String assetId, String providerId, String consumerId, String cause, Instant deadline,
                              Instant deletedAt, List<Item> items) {

    public static final String DEADLINE = "deadline";
    public static final String TERMINATION = "termination";

    public DeletionReceipt {
        Objects.requireNonNull(agreementId, "agreementId");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(consumerId, "consumerId");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(deletedAt, "deletedAt");
        items = List.copyOf(items);
    }

    /**
     * One deleted item.
     *
     * @param lineageId the consumer's lineage id (the transfer process or compute job that delivered it)
     * @param kind      {@code FILE}, {@code COMPUTE_RESULT} or {@code MODEL}
     * @param sha256    its SHA-256 when it arrived, hex; null when the content was never at the connector
     * @param deleted   whether the connector held the content and deleted it; false for content delivered elsewhere and
     *                  for what the agreement lets the consumer keep
     * @param retained  why it was kept — {@code derivedData keep} or {@code derivedModels keep} — or null
     */
    public record Item(String lineageId, String kind, String sha256, boolean deleted, String retained) {
        public Item {
            Objects.requireNonNull(lineageId, "lineageId");
            Objects.requireNonNull(kind, "kind");
        }

        public Item(String lineageId, String kind, String sha256, boolean deleted) {
            this(lineageId, kind, sha256, deleted, null);
        }
    }
}
