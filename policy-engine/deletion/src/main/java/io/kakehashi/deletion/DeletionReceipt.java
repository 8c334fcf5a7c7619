package io.kakehashi.deletion;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a consumer's connector states when it has deleted what it received and derived under an agreement: the
 * agreement (its protocol id, the one both sides share), the asset, both parties, why it deleted (the deadline or the
 * agreement's termination), when, and every item its lineage holds with the SHA-256 recorded when it arrived.
 * Signed, it is the deletion receipt the provider keeps. With cause {@link #CONSENT_WITHDRAWN} it states instead that the
 * records of one data subject were deleted from what was received (docs/decisions/0045): {@code subject} then names
 * that subject the way the provider's withdrawal notice did, as a salted digest. Immutable and thread-safe.
 *
 * @param agreementId the agreement's id in the protocol
 * @param assetId     the provider's asset
 * @param providerId  the provider's participant id (DID)
 * @param consumerId  the consumer's participant id (DID), whose key signs the receipt
 * @param cause       {@link #DEADLINE}, {@link #TERMINATION} or {@link #CONSENT_WITHDRAWN}
 * @param deadline    the deletion deadline the agreement set
 * @param deletedAt   when the consumer's connector deleted the items
 * @param items       what was deleted, in lineage order (with {@link #CONSENT_WITHDRAWN}: the files the subject's
 *                    records were deleted from, {@code deleted} true when the file held some)
 * @param subject     with {@link #CONSENT_WITHDRAWN}, the salted digest of the data subject the withdrawal notice named
 *                    (hex); otherwise null
 */
public record DeletionReceipt(String agreementId, String assetId, String providerId, String consumerId, String cause, Instant deadline,
                              Instant deletedAt, List<Item> items, String subject) {

    public static final String DEADLINE = "deadline";
    public static final String TERMINATION = "termination";
    /** A data subject withdrew its consent: its records were deleted from what the agreement delivered. */
    public static final String CONSENT_WITHDRAWN = "consent-withdrawn";

    public DeletionReceipt {
        Objects.requireNonNull(agreementId, "agreementId");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(consumerId, "consumerId");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(deletedAt, "deletedAt");
        items = List.copyOf(items);
    }

    /** A receipt for the whole of what was received (cause {@link #DEADLINE} or {@link #TERMINATION}). */
    public DeletionReceipt(String agreementId, String assetId, String providerId, String consumerId, String cause, Instant deadline,
                           Instant deletedAt, List<Item> items) {
        this(agreementId, assetId, providerId, consumerId, cause, deadline, deletedAt, items, null);
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
