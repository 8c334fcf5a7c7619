package io.kakehashi.consent;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One data subject's consent as the holder keeps it: for which purposes, to which recipient (a participant's DID, or a
 * class of recipients: {@code membership:<dataspace>}, {@code jurisdiction:<country or group>}, {@code any}), for one
 * asset or every asset of the holder, from when, until when, and whether it was withdrawn. Immutable and thread-safe.
 *
 * @param id          the register's id of the consent
 * @param subjectId   the data subject as the asset's subject field names it
 * @param assetId     the asset it is given for, or null for every asset that holds the subject's data
 * @param purposes    the purposes consented to, from {@code Purposes} ({@code analytics} admits itself only;
 *                    {@code ai} admits {@code ai.training})
 * @param recipient   a DID, {@code membership:<dataspace>}, {@code jurisdiction:<code or group>} or {@value #ANY}
 * @param grantedAt   when the subject gave it
 * @param expiresAt   when it lapses, or null when it does not
 * @param withdrawnAt when the subject withdrew it, or null
 */
public record Consent(String id, String subjectId, String assetId, List<String> purposes, String recipient, Instant grantedAt, Instant expiresAt,
                      Instant withdrawnAt) {

    /** The recipient class that admits every consumer. */
    public static final String ANY = "any";

    public Consent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(grantedAt, "grantedAt");
        purposes = List.copyOf(purposes);
    }

    public Consent withdrawn(Instant at) {
        return new Consent(id, subjectId, assetId, purposes, recipient, grantedAt, expiresAt, at);
    }

    /** Whether it concerns the asset (it names it, or names none). */
    public boolean concerns(String asset) {
        return assetId == null || assetId.equals(asset);
    }
}
