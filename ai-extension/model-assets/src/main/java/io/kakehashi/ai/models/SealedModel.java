package io.kakehashi.ai.models;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the holder's connector knows about a vendor's model in its sealed store — never the weights. Immutable and
 * thread-safe.
 *
 * @param localAgreementId this connector's id of the agreement the model was received under
 * @param agreementId      the agreement's DSP id, the one the vendor knows
 * @param vendorId         the vendor (the agreement's provider)
 * @param vendorAddress    the vendor's DSP address, where the run reports go (the transfer's counterparty address)
 * @param assetId          the vendor's model asset
 * @param sha256           the SHA-256 of the model as received
 * @param size             its size in bytes
 * @param receivedAt       when it was sealed
 * @param features         the input columns the model names in its metadata ({@code kakehashi.features}), empty if none
 * @param labels           the classes it names in its metadata ({@code kakehashi.labels}), empty if none
 */
public record SealedModel(String localAgreementId, String agreementId, String vendorId, String vendorAddress, String assetId, String sha256, long size,
                          Instant receivedAt, List<String> features, List<String> labels) {

    public SealedModel {
        Objects.requireNonNull(localAgreementId, "localAgreementId");
        Objects.requireNonNull(agreementId, "agreementId");
        Objects.requireNonNull(vendorId, "vendorId");
        Objects.requireNonNull(assetId, "assetId");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(receivedAt, "receivedAt");
        features = List.copyOf(features);
        labels = List.copyOf(labels);
    }
}
