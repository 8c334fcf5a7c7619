package io.kakehashi.consent.withdrawal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What a provider tells a consumer when a data subject whose records it delivered under an agreement withdraws its
 * consent: delete that subject's records from what the agreement delivered. The subject is named by a salted digest —
 * {@code SHA-256(salt ‖ subject id)}, hex — so the notice (which both sides keep as evidence) carries no personal data
 * in clear, yet the consumer finds the records by hashing each record's subject field with the salt. Immutable and
 * thread-safe.
 *
 * @param agreementId  the agreement's id in the protocol
 * @param assetId      the provider's asset
 * @param providerId   the provider (its DID), whose key signs the notice
 * @param consumerId   the consumer
 * @param subjectField the field (CSV column, JSON member) that holds a record's data subject
 * @param salt         the salt of this notice, 32 hex characters
 * @param subject      the salted digest of the subject, 64 hex characters
 * @param withdrawnAt  when the subject withdrew
 */
public record WithdrawalNotice(String agreementId, String assetId, String providerId, String consumerId, String subjectField, String salt, String subject,
                               Instant withdrawnAt) {

    public WithdrawalNotice {
        Objects.requireNonNull(agreementId, "agreementId");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(consumerId, "consumerId");
        Objects.requireNonNull(subjectField, "subjectField");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(withdrawnAt, "withdrawnAt");
    }

    /** The salted digest of a subject id. */
    public static String digest(String salt, String subjectId) {
        try {
            var sha = MessageDigest.getInstance("SHA-256");
            sha.update(HexFormat.of().parseHex(salt));
            return HexFormat.of().formatHex(sha.digest(subjectId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a record's subject value is the notice's subject. */
    public boolean names(String subjectId) {
        return subject.equals(digest(salt, subjectId));
    }
}
